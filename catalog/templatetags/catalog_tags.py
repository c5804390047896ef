"""Template helpers for video pages: links in descriptions, durations, compact counts, relative dates,
thumbnail placeholders and pagination links."""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, datetime

from django import template
from django.template.loader import render_to_string
from django.utils.html import Urlizer
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Placeholder gradients defined in app.css (.thumb-h0 ... .thumb-h7).
PLACEHOLDER_HUES = 8
_AGO_UNITS = (
    (365 * 86400, "year"),
    (30 * 86400, "month"),
    (7 * 86400, "week"),
    (86400, "day"),
    (3600, "hour"),
    (60, "minute"),
)


class _WebUrlizer(Urlizer):
    """Django's urlize, for http(s) links only: an e-mail address in what people write stays text."""

    @staticmethod
    def is_email_simple(value: str) -> bool:
        return False


_urlize = _WebUrlizer()


@register.filter(needs_autoescape=True)
def linkify(text: str, autoescape: bool = True) -> SafeString:
    """Escape user text, then turn http(s) URLs into links marked as user-generated (no SEO credit, no
    opener); any other scheme (javascript:, data:, mailto:) stays text."""
    return mark_safe(_linkified(text or ""))  # noqa: S308 - _linkified escapes everything it does not link


@functools.lru_cache(maxsize=4096)
def _linkified(text: str) -> str:
    """The linkified HTML of one text (memoised: a page of comments or cards repeats the same texts
    request after request, and urlize is the most expensive thing they render)."""
    html = _urlize(text, nofollow=True, autoescape=True)
    # urlize escaped every character of the user's text, so this attribute can only be one urlize wrote.
    return html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')


@register.filter
def score(value: float | None) -> str:
    """A sentiment score with two decimals ("0.42", "-0.10"): floatformat's result, without its Decimal."""
    return "" if value is None else f"{float(value):.2f}"


@register.filter
def duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def compact(number: int | None) -> str:
    """1234 -> "1.2K", 12_345 -> "12K", 1_250_000 -> "1.3M": what a card has room for."""
    value = int(number or 0)
    for limit, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(value) >= limit:
            scaled = value / limit
            text = f"{scaled:.1f}" if abs(scaled) < 10 else f"{scaled:.0f}"
            return text.removesuffix(".0") + suffix
    return str(value)


@register.filter
def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """ "3 weeks ago": the largest whole unit only (the exact date goes in a tooltip)."""
    if moment is None:
        return ""
    current = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = int((current - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in _AGO_UNITS:
        if seconds >= size:
            count = seconds // size
            if unit == "day" and count == 1:
                return "yesterday"
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


@register.filter
def elapsed(moment: datetime | None, now: datetime | None = None) -> str:
    """Time since `moment` as "42 s" / "3 min 5 s" / "2 h 10 min" (processing status)."""
    if moment is None:
        return ""
    current = now or datetime.now(UTC)
    seconds = max(0, int((current - moment).total_seconds()))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


@register.filter
def hue(video_id: uuid.UUID | str) -> int:
    """A stable placeholder gradient per video (the same card always gets the same colour)."""
    return uuid.UUID(str(video_id)).int % PLACEHOLDER_HUES


@register.filter
def initial(title: str | None) -> str:
    """The first letter or digit of a title, for the placeholder shown when a thumbnail cannot load."""
    for char in title or "":
        if char.isalnum():
            return char.upper()
    return "▶"


@register.filter
def within(position: int, count: int) -> bool:
    """`forloop.counter|within:4`: the first cards are above the fold (loaded eagerly), the rest lazily."""
    return int(position) <= int(count)


@register.filter
def get_item(mapping: dict[str, object] | None, key: object) -> object:
    """`mapping|get_item:video.video_id`: a dict keyed by str(id) looked up from a template."""
    return (mapping or {}).get(str(key), "")


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL with ?page= replaced (other query parameters kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


# What a video card shows besides the video itself (given to the tag, or inherited from the page's context).
_CARD_OPTIONS = ("eager", "rank", "window_views", "window_label", "note", "thumb_class")


@register.simple_tag(takes_context=True)
def video_card(context: template.Context, video: object, **given: object) -> SafeString:
    """One video card (catalog/partials/video_card.html). The HTML is memoised per process under everything
    it shows: the video's own values (a frozen VideoSummary: title, counters, rating, uploader...), its
    "3 weeks ago" as of now, and the card's options; a change to any of them is another key, so a card is
    never stale, and a grid of cards seen before costs lookups instead of template renders."""
    options = tuple(given[name] if name in given else context.get(name) for name in _CARD_OPTIONS)
    try:
        return mark_safe(_card_html(video, ago(getattr(video, "added_date", None)), options))  # noqa: S308
    except TypeError:  # something unhashable: render without the memo
        return mark_safe(_render_card(video, options))  # noqa: S308


@functools.lru_cache(maxsize=4096)
def _card_html(video: object, _ago: str, options: tuple[object, ...]) -> str:
    return _render_card(video, options)


def _render_card(video: object, options: tuple[object, ...]) -> str:
    return render_to_string(
        "catalog/partials/video_card.html", {"video": video, **dict(zip(_CARD_OPTIONS, options, strict=True))}
    )
