"""`{% widgets "slot" arg %}`: every widget registered for a slot, lazy-loaded by htmx, with a link fallback.

`{% widgets "watch.sidebar" video.video_id as sidebar %}` stores the HTML instead, so a page can wrap it
(an `<aside>` landmark) only when the slot has widgets.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from killrvideo import widgets as registry

register = template.Library()


class _LabelValues(dict[str, str]):
    """Placeholders a page did not pass stay as written rather than failing the whole page."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@register.simple_tag(name="widgets")
def render_widgets(slot: str, *args: object, **label_values: object) -> SafeString:
    found = registry.for_slot(slot)
    if not found:
        return mark_safe("")
    items = [
        {
            "widget": widget,
            "url": reverse(widget.url_name, args=args),
            "label": widget.label.format_map(_LabelValues({k: str(v) for k, v in label_values.items()})),
        }
        for widget in found
    ]
    return mark_safe(render_to_string("widgets/slot.html", {"slot": slot, "items": items}))  # noqa: S308
