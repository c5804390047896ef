"""The whole journey in Chromium: a viewer reports a comment through the dialog, a moderator approves it
from the queue, the comment is gone for viewers, an admin unmasks the reason, a moderator restores it and
the count is right again."""

from __future__ import annotations

import pytest

from accounts.tests.factories import browser_sign_in
from community import services as community_services

pytestmark = pytest.mark.browser

REASON = "He posts this under every video"


def _sign_out(page):
    page.context.clear_cookies()


def test_report_approve_unmask_restore(page, viewer, moderator, admin, video, comment):
    community_services.comment_post(actor=viewer, video_id=video.video_id, text="Great talk, thanks")
    browser_sign_in(page, viewer.email)
    page.goto(f"/watch/{video.video_id}")
    page.wait_for_selector("#comments-title")
    assert page.inner_text("#comments-title") == "2 comments"
    page.get_by_role("link", name="Report the comment by Otto Other").click()
    dialog = page.get_by_role("dialog", name="Report this comment")
    dialog.get_by_label("Spam").check()
    dialog.get_by_label("Details (optional)").fill(REASON)
    dialog.get_by_role("button", name="Send report").click()
    page.wait_for_selector("text=Your report was sent")
    page.get_by_role("link", name="Close").click()
    assert page.get_by_role("dialog").count() == 0

    _sign_out(page)
    browser_sign_in(page, moderator.email)
    page.locator("#main-nav").get_by_role("link", name="Moderation").click()
    page.get_by_role("radio", name="Open").check()
    queue = page.locator("#queue")
    queue.get_by_role("link", name="Comment").click()
    assert "Buy cheap pills now" in page.inner_text("main")
    assert REASON not in page.content()
    assert page.get_by_role("button", name="Unmask the details").count() == 0
    page.get_by_label("Notes (optional)").fill("Spam")
    page.get_by_role("button", name="Approve and remove").click()
    page.wait_for_selector("#case-status:has-text('Marked approved')")

    _sign_out(page)
    page.goto(f"/watch/{video.video_id}")
    page.wait_for_selector("#comments-title")
    assert page.inner_text("#comments-title") == "1 comment"
    assert "Buy cheap pills now" not in page.inner_text("#comment-list")

    browser_sign_in(page, admin.email)
    page.goto("/moderation?status=approved")
    page.locator("#queue").get_by_role("link", name="Comment").click()
    page.get_by_role("button", name="Unmask the details").click()
    page.wait_for_selector(f"text={REASON}")

    _sign_out(page)
    browser_sign_in(page, moderator.email)
    page.goto("/moderation?status=approved")
    page.locator("#queue").get_by_role("link", name="Comment").click()
    assert REASON not in page.content()
    page.get_by_role("button", name="Restore the comment").click()
    page.wait_for_selector("text=Restored.")

    _sign_out(page)
    page.goto(f"/watch/{video.video_id}")
    page.wait_for_selector("#comments-title")
    assert page.inner_text("#comments-title") == "2 comments"
    assert "Buy cheap pills now" in page.inner_text("#comment-list")
