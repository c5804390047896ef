"""Tag autocomplete (ARIA combobox) and the related-videos sidebar in a real browser."""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import browser_sign_in
from killrvideo.tests.browser import check_axe, screenshot


@pytest.mark.browser
def test_header_search_suggests_tags_and_the_keyboard_picks_one(page, creator, publish_video):
    publish_video(creator, title="Modeling data", tags=("data modeling", "cassandra"))
    publish_video(creator, title="Another", tags=("database",))
    page.goto("/")
    box = page.get_by_role("combobox", name="Search videos")
    box.click()
    box.press_sequentially("dat", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_by_role("option").count() == 2
    check_axe(page)
    screenshot(page, "discovery-header-autocomplete")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active
    assert page.locator(f"#{active}").get_attribute("data-value") == "data modeling"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=data\+modeling"))
    assert "Modeling data" in page.locator("main").inner_text()


@pytest.mark.browser
def test_studio_tag_field_completes_the_last_tag(page, creator, publish_video):
    video = publish_video(creator, title="Tagged", tags=("cassandra", "database"))
    browser_sign_in(page, creator.email)
    page.goto(f"/studio/videos/{video.video_id}/edit")
    field = page.get_by_role("combobox", name="Tags")
    field.fill("")
    field.press_sequentially("cassandra, datab", delay=30)
    page.get_by_role("listbox").wait_for()
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == "cassandra, database, "
    field.press_sequentially("ca", delay=30)
    page.get_by_role("option").first.wait_for()
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"


@pytest.mark.browser
def test_watch_page_shows_related_videos(page, creator, publish_video):
    video = publish_video(creator, title="Cassandra intro", tags=("cassandra",))
    publish_video(creator, title="Cassandra deep dive", tags=("cassandra",))
    page.goto(f"/watch/{video.video_id}")
    sidebar = page.get_by_role("complementary", name="More videos")
    sidebar.get_by_role("link", name="Cassandra deep dive").wait_for()
    assert "Shared tags: #cassandra" in sidebar.inner_text()
    check_axe(page)
