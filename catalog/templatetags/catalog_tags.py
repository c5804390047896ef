"""Template helpers for video pages: links in descriptions, durations, compact counts, relative dates,
thumbnail placeholders and pagination links."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django import template
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
    html = _urlize(text or "", nofollow=True, autoescape=True)
    # urlize escaped every character of the user's text, so this attribute can only be one urlize wrote.
    return mark_safe(html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"'))  # noqa: S308


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
