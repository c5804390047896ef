"""The creator's journey in a real browser: submit -> live status -> READY -> watch page -> home."""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import browser_sign_in
from catalog.tests.youtube_standin import OkVideo

VID = "dQw4w9WgXcQ"


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
    assert page.locator(f'iframe[src="https://www.youtube-nocookie.com/embed/{VID}"]').count() == 1
    page.goto("/")
    assert page.get_by_role("link", name="Browser journey video").count() == 1
