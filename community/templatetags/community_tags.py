"""Template tags of the comment lists."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from catalog.templatetags.catalog_tags import ago

register = template.Library()

COMMENT_PARTIAL = "community/video_comments.html#comment"


@register.simple_tag(takes_context=True)
def comment_item(context: template.Context, comment: Any) -> SafeString:
    """One comment of a video's list (the `comment` partial of community/video_comments.html).

    A comment the viewer cannot delete renders the same for everyone: its HTML is memoised per process under
    the comment's own values (a frozen Comment, with its author's current name) and its "3 minutes ago" as of
    now, so any change is another key. One the viewer may delete carries a form with their CSRF token, so it
    is rendered for them, in their request's context."""
    deletable = context.get("can_moderate") or comment.user_id == context.get("viewer_id")
    if deletable:
        values: dict[str, Any] = {str(name): value for name, value in context.flatten().items()}
        return mark_safe(render_to_string(COMMENT_PARTIAL, {**values, "comment": comment}))  # noqa: S308
    return mark_safe(_shared_html(comment, ago(comment.created_at)))  # noqa: S308


@functools.lru_cache(maxsize=4096)
def _shared_html(comment: Any, _ago: str) -> str:
    return render_to_string(COMMENT_PARTIAL, {"comment": comment, "viewer_id": None, "can_moderate": False})
