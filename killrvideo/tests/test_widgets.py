"""The widget seam: apps put content on another app's page by registering a widget for a named slot."""

from __future__ import annotations

import pytest

from killrvideo import widgets


def test_registry_orders_dedupes_and_rejects_unknown_slots() -> None:
    installed = widgets.for_slot("watch.comments")  # what the apps registered at start-up
    first = widgets.register("watch.comments", "comments_b", "B", order=20)
    second = widgets.register("watch.comments", "comments_a", "A", order=10)
    again = widgets.register("watch.comments", "comments_b", "B again", order=20)  # ready() may run twice
    try:
        ours = tuple(w for w in widgets.for_slot("watch.comments") if w not in installed)
        assert ours == (second, again)
        assert again.css_name == "comments-b"
        with pytest.raises(ValueError, match="Unknown widget slot"):
            widgets.register("watch.nowhere", "x", "X")
        with pytest.raises(AttributeError):
            first.label = "changed"  # type: ignore[misc]
    finally:
        widgets.unregister(second)
        widgets.unregister(again)
    assert widgets.for_slot("watch.comments") == installed


def test_apps_register_their_widgets_in_display_order() -> None:
    assert [w.url_name for w in widgets.for_slot("user_profile.main")][0] == "user_videos"
    assert "video_comments_widget" in [w.url_name for w in widgets.for_slot("watch.comments")]
    assert "video_rating_widget" in [w.url_name for w in widgets.for_slot("watch.rating")]


def test_profile_page_renders_the_widget_container_and_fallback(client) -> None:
    from accounts.tests.factories import make_user

    user = make_user(first_name="Wanda", last_name="Widget")
    html = client.get(f"/users/{user.user_id}").content.decode()
    url = f"/users/{user.user_id}/videos"
    assert f'hx-get="{url}" hx-trigger="load" hx-swap="outerHTML"' in html
    assert f'<a href="{url}">Videos by Wanda Widget</a>' in html
