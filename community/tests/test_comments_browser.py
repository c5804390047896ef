"""A signed-in viewer comments on the watch page: the comment, its badge and the new count appear without a
page reload."""

from __future__ import annotations

from accounts.tests.factories import browser_sign_in


def test_comment_appears_without_a_reload(page, viewer, creator, publish_video):
    video = publish_video(creator, title="Browser comments")
    browser_sign_in(page, viewer.email)
    page.goto(f"/watch/{video.video_id}")
    page.wait_for_selector("#comments-title")
    assert page.inner_text("#comments-title") == "0 comments"
    page.evaluate("window.__noReload = 'still here'")
    page.get_by_label("Add a comment").fill("What a wonderful, helpful talk!")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_selector("#comment-list .comment .sentiment-positive")
    assert page.inner_text("#comments-title") == "1 comment"
    assert "What a wonderful, helpful talk!" in page.inner_text("#comment-list")
    assert page.get_attribute("#comment-list .sentiment", "title").startswith("Sentiment score")
    assert page.evaluate("window.__noReload") == "still here"
    assert page.input_value("#comment-form textarea") == ""
    # an empty post answers in place with the message
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_selector("#comment-form .form-errors")
    assert page.evaluate("window.__noReload") == "still here"
