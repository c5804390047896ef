"""The one seam through which an app puts its content on another app's page.

A page declares named slots (`{% widgets "watch.comments" video.video_id %}`); an app registers widgets for
a slot in its `AppConfig.ready()`. Each widget is a URL of the registering app that answers with an HTML
fragment: the page renders a container that htmx loads it into, and a plain link to the same URL for
browsers without JavaScript. So catalog's watch page never imports community, and a slot nobody fills
renders nothing at all (no empty landmark).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# Slots that pages declare; registering for another name is a typo, caught at start-up.
SLOTS = frozenset({"watch.rating", "watch.comments", "watch.sidebar", "user_profile.main", "explore.main"})

_lock = threading.Lock()
_registry: dict[str, tuple[Widget, ...]] = {}


@dataclass(frozen=True)
class Widget:
    """`url_name` is reversed with the slot's argument (a video id, a user id); `label` is the fallback
    link's text and may name the slot's keyword values, e.g. "Videos by {name}".
    """

    slot: str
    url_name: str
    label: str
    order: int = 100

    @property
    def css_name(self) -> str:
        return self.url_name.replace("_", "-").replace(":", "-")


def register(slot: str, url_name: str, label: str, *, order: int = 100) -> Widget:
    """Add a widget to a slot (idempotent: `ready()` may run more than once in tests)."""
    if slot not in SLOTS:
        raise ValueError(f"Unknown widget slot {slot!r}; pages declare {sorted(SLOTS)}.")
    widget = Widget(slot=slot, url_name=url_name, label=label, order=order)
    with _lock:
        current = [w for w in _registry.get(slot, ()) if w.url_name != url_name]
        _registry[slot] = tuple(sorted([*current, widget], key=lambda w: (w.order, w.url_name)))
    return widget


def unregister(widget: Widget) -> None:
    with _lock:
        _registry[widget.slot] = tuple(w for w in _registry.get(widget.slot, ()) if w != widget)


def for_slot(slot: str) -> tuple[Widget, ...]:
    """The slot's widgets in display order (lowest `order` first)."""
    return _registry.get(slot, ())
