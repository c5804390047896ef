"""Rating a video in a real browser, with the keyboard only, without a page reload."""

from __future__ import annotations

import pytest

from accounts.tests.factories import browser_sign_in
from community.tests.ratings_support import stored, stored_rating
from killrvideo.tests.browser import at_size, check_axe, check_layout, screenshot


@pytest.mark.browser
def test_rate_four_stars_with_the_keyboard(page, creator, viewer, publish_video):
    video = publish_video(creator, title="Keyboard stars")
    browser_sign_in(page, viewer.email)
    page.goto(f"/watch/{video.video_id}")
    widget = page.locator("#video-rating")
    widget.get_by_text("No ratings yet").wait_for()
    page.evaluate("window.kvNoReload = true")
    # From the last link before the widget, Tab lands on the radio group; arrows move the choice; Enter submits.
    page.get_by_role("link", name="Watch on YouTube").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    assert page.evaluate("document.activeElement.id") == "rating-star-1"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="4 stars").is_checked()
    page.keyboard.press("Enter")
    widget.get_by_text("from 1 rating").wait_for()
    assert "4.0 out of 5" in widget.inner_text()
    assert page.evaluate("window.kvNoReload") is True  # the widget was swapped in place
    assert page.get_by_role("radio", name="4 stars").is_checked()
    assert page.evaluate("document.activeElement.closest('#video-rating') !== null")  # focus stays in the widget
    assert stored_rating(video.video_id, viewer) == 4
    assert stored(video.video_id) == (1, 4)
    check_axe(page)
    screenshot(page, "ratings-watch-page")
    at_size(page, "mobile")
    page.reload()
    widget.get_by_text("from 1 rating").wait_for()
    check_layout(page, "mobile")
    screenshot(page, "ratings-watch-page-mobile")


@pytest.mark.browser
def test_a_refused_rating_shows_its_message_in_place(page, creator, viewer, publish_video, settings):
    settings.RATING_RATE_LIMIT = 1
    video = publish_video(creator, title="Too keen")
    browser_sign_in(page, viewer.email)
    page.goto(f"/watch/{video.video_id}")
    widget = page.locator("#video-rating")
    page.locator("label[for=rating-star-5]").click()  # a click on the star itself
    page.get_by_role("button", name="Rate").click()
    widget.get_by_text("from 1 rating").wait_for()
    page.locator("label[for=rating-star-2]").click()
    page.get_by_role("button", name="Change rating").click()
    widget.get_by_role("alert").wait_for()  # the 429 answer is swapped in, with its message
    assert "Too many requests" in widget.get_by_role("alert").inner_text()
    assert "5.0 out of 5" in widget.inner_text()
    assert stored_rating(video.video_id, viewer) == 5
