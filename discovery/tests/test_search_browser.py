"""A search journey in a real browser: type, pick a tag suggestion, open a transcript moment, land on it."""

from __future__ import annotations

import re

import pytest

from discovery import repositories as repo
from discovery.services import search_index
from killrvideo.tests.browser import check_axe, screenshot


@pytest.mark.browser
def test_type_pick_a_suggestion_open_a_transcript_moment(page, creator, publish_video):
    talk = publish_video(creator, title="Storage engine deep dive", tags=("tombstones", "cassandra"))
    publish_video(creator, title="Getting started", tags=("tutorial",))
    repo.passages_put_many(
        talk.video_id,
        [
            (0, "hello and welcome to the deep dive"),
            (754, "a tombstone is a marker written on delete and tombstones are purged after the grace period"),
        ],
    )
    search_index.passages_embed(talk.video_id)

    page.goto("/")
    box = page.get_by_role("combobox", name="Search videos")
    box.click()
    box.press_sequentially("tomb", delay=30)
    page.get_by_role("listbox").wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=tombstones"))
    results = page.get_by_role("list", name="Search results")
    results.wait_for()
    moment = results.get_by_role("link", name=re.compile(r"At 12:34"))
    assert "tombstone" in results.inner_text()
    check_axe(page)
    screenshot(page, "discovery-search-results")
    moment.click()
    page.wait_for_url(re.compile(rf"/watch/{talk.video_id}\?t=754"))
    assert "Starts at 12:34" in page.locator("main").inner_text()
    assert "start=754" in (page.locator(".player-facade").get_attribute("data-embed") or "")
