"""Catalog journeys in a real browser: submit -> live status -> READY -> watch; cards, player, header, Studio."""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import browser_sign_in
from catalog.tests.youtube_standin import OkVideo
from killrvideo.tests.browser import at_size, check_axe, measure, screenshot
from killrvideo.tests.support import SAMPLE_YOUTUBE_ID

VID = SAMPLE_YOUTUBE_ID
FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"


@pytest.mark.browser
@pytest.mark.worker
def test_submit_watch_and_find_on_home(page, celery_worker, creator, standin):
    standin.set_scenario(VID, OkVideo(title="Browser journey video", channel_title="Journey"))
    browser_sign_in(page, creator.email)
    page.goto("/studio/new")
    page.get_by_label("YouTube link").fill(f"https://www.youtube.com/shorts/{VID}?feature=share")
    page.get_by_label("Tags").fill("journey, e2e")
    page.get_by_role("button", name="Submit video").click()
    page.wait_for_url(re.compile(r"/studio/videos/[0-9a-f-]+$"))
    # No reload: the status fragment polls every 2s and swaps itself until the video is READY.
    page.locator('[data-status="READY"]').wait_for(timeout=45_000)
    page.get_by_role("link", name="Watch it").click()
    assert page.locator("h1.video-title").inner_text() == "Browser journey video"
    page.goto("/")
    assert page.get_by_role("link", name="Browser journey video").count() == 1


@pytest.mark.browser
def test_player_is_a_facade_until_clicked(page, creator, publish_video):
    video = publish_video(creator, title="Facade video")
    page.goto(f"/watch/{video.video_id}")
    # Nothing from YouTube yet: our own frame with a play button and a plain link to YouTube.
    assert page.locator("iframe").count() == 0
    assert page.get_by_role("link", name="Watch on YouTube").get_attribute("href") == video.location
    facade = page.get_by_role("link", name="Play “Facade video”")
    facade.focus()
    page.keyboard.press("Enter")
    frame = page.locator("iframe")
    assert frame.count() == 1
    assert frame.get_attribute("src").startswith(f"https://www.youtube-nocookie.com/embed/{video.youtube_id}")
    assert frame.get_attribute("title") == "Facade video"


@pytest.mark.browser
def test_each_card_is_one_tab_stop_named_by_its_title(page, creator, publish_video):
    for n in range(3):
        publish_video(creator, title=f"Card {n}")
    page.goto("/explore")
    cards = page.locator(".video-card")
    assert cards.count() == 3
    for index in range(3):
        card = cards.nth(index)
        focusable = card.locator(FOCUSABLE)
        assert focusable.count() == 1
        assert re.fullmatch(r"Card \d", focusable.inner_text())
    # The whole card is the link: a click on the thumbnail opens the video.
    box = cards.first.locator(".thumb").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/watch/"))
    # Offline the thumbnail cannot load: the placeholder (title initial on a gradient) shows instead.
    page.go_back()
    thumb = page.locator(".video-card .thumb").first
    thumb.locator(".thumb-initial").wait_for()
    assert "is-broken" in (thumb.get_attribute("class") or "")
    assert thumb.locator(".thumb-initial").inner_text() == "C"


@pytest.mark.browser
def test_phone_header_is_one_row_with_search_and_menu_buttons(page):
    at_size(page, "mobile")
    page.goto("/trending")
    before = measure(page)
    assert before["headerHeight"] <= 64
    menu = page.get_by_role("button", name="Menu")
    search = page.get_by_role("button", name="Search", exact=True)
    assert not page.get_by_role("link", name="Explore").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Explore").is_visible()
    check_axe(page)
    screenshot(page, "test_phone_header-menu-open-mobile")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Explore").is_visible()
    search.click()
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("cassandra")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=cassandra"))
    # Trending's period pills stay on one line.
    page.goto("/trending")
    tops = page.locator(".pills a").evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(set(tops)) == 1
    assert page.locator(".pills").evaluate("e => e.scrollWidth <= e.clientWidth"), "every pill fits, no scrolling"
    assert measure(page)["scrollWidth"] <= 390


@pytest.mark.browser
def test_account_menu_closes_on_escape_and_outside_click(page, creator):
    from playwright.sync_api import expect

    browser_sign_in(page, creator.email)
    summary = page.locator(".user-menu summary")
    channel = page.get_by_role("link", name="My channel")
    expect(summary).to_have_attribute("aria-expanded", "false")
    summary.click()
    expect(summary).to_have_attribute("aria-expanded", "true")
    expect(channel).to_be_visible()
    page.keyboard.press("Escape")
    expect(summary).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    summary.click()
    expect(channel).to_be_visible()
    page.mouse.click(5, 500)  # anywhere outside the menu
    expect(summary).to_have_attribute("aria-expanded", "false")
    expect(channel).to_be_hidden()


@pytest.mark.browser
def test_studio_delete_asks_in_a_dialog_and_restore_lands_on_my_videos(page, creator, publish_video):
    from playwright.sync_api import expect

    publish_video(creator, title="Short-lived")
    browser_sign_in(page, creator.email)
    page.goto("/studio")
    assert page.get_by_role("link", name="My videos").get_attribute("aria-current") == "page"
    delete = page.get_by_role("link", name="Delete Short-lived")
    delete.click()
    dialog = page.get_by_role("dialog", name="Delete “Short-lived”?")
    expect(dialog).to_be_visible()
    check_axe(page)
    screenshot(page, "test_studio_delete-dialog-desktop")
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert page.evaluate("document.activeElement.textContent").startswith("Delete")
    delete.click()
    page.get_by_role("dialog").get_by_role("button", name="Delete video").click()
    expect(page.get_by_text("Video deleted.")).to_be_visible()
    page.get_by_role("link", name="Deleted").click()
    assert page.get_by_role("link", name="Deleted").get_attribute("aria-current") == "page"
    page.get_by_role("button", name="Restore Short-lived").click()
    expect(page.get_by_text("Video restored.")).to_be_visible()
    assert page.url.endswith("/studio")
    expect(page.get_by_role("link", name="Short-lived", exact=True)).to_be_visible()


@pytest.mark.browser
def test_without_javascript_header_delete_and_player_still_work(browser, live_server, creator, publish_video):
    video = publish_video(creator, title="No script")
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        browser_sign_in(page, creator.email)
        # No toggles without script: the nav and the search form are simply shown.
        assert page.get_by_role("link", name="Explore").is_visible()
        assert page.get_by_role("searchbox", name="Search videos").is_visible()
        page.goto(f"/watch/{video.video_id}")
        assert page.locator(".player-facade").get_attribute("href") == video.location
        page.goto("/studio")
        page.get_by_role("link", name="Delete No script").click()
        page.wait_for_url(re.compile(r"/delete$"))
        page.get_by_role("button", name="Delete video").click()
        assert page.get_by_text("Video deleted.").is_visible()
    finally:
        context.close()
