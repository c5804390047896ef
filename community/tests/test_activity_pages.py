"""The private Activity tab: a profile widget only its owner (or a moderator) gets, and the full page."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus

from accounts.tests.factories import signed_in_client
from community.domain import ActivityType
from community.services import activity

HTMX = {"HTTP_HX_REQUEST": "true"}


def _record(user, video, kind, *, detail="", month=3):
    activity.activity_record(
        user_id=user.user_id,
        activity_type=kind,
        video_id=video.video_id,
        video_name=video.name,
        detail=detail,
        at=datetime(2025, month, 2, 9, 30, tzinfo=UTC),
    )


def test_the_widget_is_there_only_for_the_member_and_moderators(client, viewer, creator, moderator, publish_video):
    video = publish_video(creator, title="Widget video")
    _record(viewer, video, ActivityType.RATE, detail="4")
    url = f"/users/{viewer.user_id}/activity/widget"
    assert client.get(url, **HTMX).content == b""  # anonymous: empty, htmx removes the container
    assert signed_in_client(client, creator).get(url, **HTMX).content == b""
    own = signed_in_client(client, viewer).get(url, **HTMX)
    assert own.status_code == HTTPStatus.OK
    html = own.content.decode()
    assert "Your activity" in html
    assert "Rated" in html
    assert "Widget video" in html
    assert "4" in html
    assert f'href="/watch/{video.video_id}"' in html
    assert "Widget video" in signed_in_client(client, moderator).get(url, **HTMX).content.decode()
    # without JavaScript the fallback link leads to the full page
    assert signed_in_client(client, viewer).get(url).status_code == HTTPStatus.FOUND
    profile = signed_in_client(client, viewer).get(f"/users/{viewer.user_id}").content.decode()
    assert url in profile


def test_the_page_filters_by_type_and_refuses_others(client, viewer, creator, publish_video):
    video = publish_video(creator, title="Filtered")
    _record(viewer, video, ActivityType.VIEW, month=1)
    _record(viewer, video, ActivityType.COMMENT, detail="Great talk", month=2)
    _record(viewer, video, ActivityType.RATE, detail="5", month=3)
    url = f"/users/{viewer.user_id}/activity"
    assert client.get(url).status_code == HTTPStatus.FOUND  # anonymous: to sign in
    assert signed_in_client(client, creator).get(url).status_code == HTTPStatus.FORBIDDEN
    page = signed_in_client(client, viewer).get(url).content.decode()
    assert "Watched" in page
    assert "Commented on" in page
    assert "Rated" in page
    assert 'aria-current="page">All<' in page
    comments = signed_in_client(client, viewer).get(url, {"type": "comment"}).content.decode()
    assert "Commented on" in comments
    assert "Great talk" in comments
    assert "Watched" not in comments
    assert 'aria-current="page">Comments<' in comments
    # unknown filters and page numbers fall back rather than fail
    assert signed_in_client(client, viewer).get(url, {"type": "nope", "page": "x"}).status_code == HTTPStatus.OK
    assert signed_in_client(client, viewer).get(url, {"page": 99}).status_code == HTTPStatus.FOUND


def test_the_page_paginates(client, viewer, creator, publish_video):
    video = publish_video(creator, title="Many")
    for month in range(1, 13):
        for _ in range(2):
            _record(viewer, video, ActivityType.VIEW, month=month)
    signed = signed_in_client(client, viewer)
    first = signed.get(f"/users/{viewer.user_id}/activity").content.decode()
    assert first.count('class="activity-entry') == 20
    assert "Showing 1–20 of 24 items" in first
    second = signed.get(f"/users/{viewer.user_id}/activity", {"page": 2}).content.decode()
    assert second.count('class="activity-entry') == 4
