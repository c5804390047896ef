"""Every page as a new user sees it, at 1366×900 and 390×844, in a real Chromium (issue 10).

Each page passes the layout checks (nothing touches the header or footer, no horizontal overflow, 16:9
thumbnails with a designed placeholder when the image cannot load — always, offline) and axe-core with no
serious or critical violation; screenshots land in test-artifacts/ named after the test, the page and the size.
"""

from __future__ import annotations

import re

import pytest

from accounts.domain import Role
from accounts.tests.factories import browser_sign_in, make_user
from catalog import services
from killrvideo.tests.browser import SIZES, at_size, check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(creator, publish_video):
    """26 public videos (two pages of Explore), tagged."""
    made = [
        publish_video(creator, title=f"Data modeling part {n}", tags=("cassandra", "tutorial" if n % 2 else "astra"))
        for n in range(25)
    ]
    made.append(publish_video(creator, title="Vector search with Astra DB", tags=("vector",)))
    return made


def _tour(page, size: str, test: str, steps: list[tuple[str, str]]) -> None:
    at_size(page, size)
    for name, url in steps:
        response = page.goto(url)
        assert response.status < 500, url
        check_page(page, size, f"{test}-{name}")


def test_public_pages(page, creator, catalogue):
    """Both sizes in one page session: the 26 published videos are made once, and the pages only read them."""
    from playwright.sync_api import expect

    newest = catalogue[-1]
    # Two anonymous views, flushed, so Trending has something for this week.
    page.goto(f"/watch/{newest.video_id}")
    services.views_flush()
    for size in SIZES:
        _tour(
            page,
            size,
            "test_public_pages",
            [
                ("home", "/"),
                ("explore", "/explore"),
                ("explore-page-2", "/explore?page=2"),
                ("tag", "/tags/cassandra"),
                ("search", "/search?q=vector"),
                ("search-empty", "/search"),
                ("trending", "/trending"),
                ("trending-month", "/trending?days=30"),
                ("watch", f"/watch/{newest.video_id}"),
                ("profile", f"/users/{creator.user_id}"),
                ("user-videos", f"/users/{creator.user_id}/videos"),
                ("signin", "/signin"),
                ("register", "/register"),
                ("not-found", "/no-such-page"),
            ],
        )
        # The profile's videos arrived through the widget seam (htmx replaced the fallback link).
        page.goto(f"/users/{creator.user_id}")
        expect(page.locator("#user-videos .video-card").first).to_be_visible()
        # Out of range: ?page=999 answers with the last page.
        page.goto("/explore?page=999")
        assert page.url.endswith("/explore?page=2"), size
        expect(page.locator(".pagination-summary")).to_have_text("Showing 25–26 of 26 videos")


def test_creator_pages(page, creator, catalogue, standin):
    """Both sizes in one signed-in page session, over one catalogue (the pages only read it)."""
    pending = services.video_submit(actor=creator, youtube_url="https://youtu.be/pendingVid1").video
    browser_sign_in(page, creator.email)
    video = catalogue[0]
    for size in SIZES:
        _tour(
            page,
            size,
            "test_creator_pages",
            [
                ("home", "/"),
                ("studio", "/studio"),
                ("studio-deleted", "/studio?show=deleted"),
                ("studio-new", "/studio/new"),
                ("studio-status", f"/studio/videos/{pending.video_id}"),
                ("studio-edit", f"/studio/videos/{video.video_id}/edit"),
                ("studio-delete", f"/studio/videos/{video.video_id}/delete"),
                ("profile-edit", "/profile"),
                ("password", "/profile/password"),
                ("watch-own", f"/watch/{video.video_id}"),
            ],
        )
        page.goto("/studio")
        row = page.locator("tr", has_text="pendingVid1")
        assert row.count() == 1, "an untitled video is named by its YouTube id"


@pytest.mark.parametrize("size", SIZES)
def test_error_pages(page, size):
    viewer = make_user(Role.VIEWER, first_name="Vic")
    at_size(page, size)
    browser_sign_in(page, viewer.email)
    page.goto("/studio")
    check_page(page, size, "test_error_pages-forbidden")
    # An expired form: the CSRF cookie is gone when the form is sent.
    page.goto("/profile")
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your form expired").is_visible()
    check_page(page, size, "test_error_pages-csrf")
    # The 500 page is a standalone template (it must render when base.html's needs are what failed).
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    page.route("**/boom", lambda route: route.fulfill(status=500, content_type="text/html", body=html))
    page.goto("/boom")
    assert page.get_by_role("heading", name=re.compile("Something went wrong")).is_visible()
    check_page(page, size, "test_error_pages-server-error")
