"""Template helpers for video pages."""

from __future__ import annotations

from django import template
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter(needs_autoescape=True)
def linkify(text: str, autoescape: bool = True) -> SafeString:
    """Escape user text, then turn URLs into links marked as user-generated (no SEO credit, no opener)."""
    html = urlize(text or "", nofollow=True, autoescape=True)
    # urlize escaped every character of the user's text, so this attribute can only be one urlize wrote.
    return mark_safe(html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"'))  # noqa: S308


@register.filter
def duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL with ?page= replaced (other query parameters kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
