"""Activity: counted views (and ratings) join the viewer's private timeline; paging across month buckets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest

from accounts.tests.factories import api_headers
from catalog import services as catalog_services
from community.domain import ActivityType
from community.repositories import counts as counts_repo
from community.services import activity
from killrvideo import astra
from killrvideo.pagination import PageRequest

URL = "/api/v1/users/{}/activity"


def _view(actor, video, viewer_id=None):
    return catalog_services.video_view_record(
        video_id=video.video_id, actor=actor, viewer_id=viewer_id, ip="127.0.0.9", issued_now=viewer_id is None
    )


def _timeline(actor, user_id, activity_type=None, page=1, size=10):
    return activity.activity_page(
        actor=actor, user_id=user_id, activity_type=activity_type, request=PageRequest(page, size)
    )


def test_a_counted_view_is_recorded_once_and_only_for_signed_in_viewers(creator, viewer, publish_video):
    video = publish_video(creator, title="Cassandra in ten minutes")
    assert _view(viewer, video) is True
    assert _view(viewer, video) is False  # repeat view inside the window: not counted, not recorded
    assert _view(creator, video) is False  # the owner's views never count
    from accounts.domain import AnonymousUser

    assert _view(AnonymousUser(), video, viewer_id="anon-viewer-1") is True  # counted, but nobody's timeline
    page = _timeline(viewer, viewer.user_id)
    assert page.total == 1
    [entry] = page.items
    assert (entry.activity_type, entry.video_id, entry.video_name) == (
        ActivityType.VIEW,
        video.video_id,
        "Cassandra in ten minutes",
    )
    assert _timeline(creator, creator.user_id).total == 0
    assert _timeline(viewer, viewer.user_id, ActivityType.VIEW).total == 1
    assert _timeline(viewer, viewer.user_id, ActivityType.COMMENT).total == 0


def _seed(user_id, video_id, *, months=5, per_month=5):
    """Entries spread over several months, newest first in the returned list (types rotate)."""
    start = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)
    types = list(ActivityType)
    made = []
    for m in range(months):
        for i in range(per_month):
            at = start.replace(month=1 + m) + timedelta(hours=i)
            made.append(
                activity.activity_record(
                    user_id=user_id,
                    activity_type=types[(m * per_month + i) % 3],
                    video_id=video_id,
                    video_name="A video",
                    detail="3" if types[(m * per_month + i) % 3] is ActivityType.RATE else "",
                    at=at,
                )
            )
    return sorted(made, key=lambda a: (a.timestamp, a.activity_id), reverse=True)


def test_pages_walk_across_month_buckets_with_true_totals_per_filter(client, viewer, creator, publish_video):
    video = publish_video(creator, title="Paging")
    made = _seed(viewer.user_id, video.video_id)
    headers = api_headers(viewer)
    for kind in (None, "view", "comment", "rate"):
        expected = [str(a.activity_id) for a in made if kind is None or a.activity_type.value == kind]
        walked, page = [], 1
        while True:
            query = {"page": page, "pageSize": 4, **({"activity_type": kind} if kind else {})}
            body = client.get(URL.format(viewer.user_id), query, **headers).json()
            assert body["pagination"]["totalItems"] == len(expected)
            if not body["data"]:
                break
            walked += [item["activity_id"] for item in body["data"]]
            page += 1
        assert walked == expected, kind
    item = client.get(URL.format(viewer.user_id), {"pageSize": 1}, **headers).json()["data"][0]
    assert set(item) >= {"activity_id", "activity_type", "activity_timestamp", "videoid", "activityId", "videoId"}
    assert item["videoid"] == str(video.video_id)
    assert item["activity_timestamp"].endswith(("Z", "+00:00"))
    assert counts_repo.buckets_read(activity.scope_of(viewer.user_id, "all"), 100) == [
        (202405, 5),
        (202404, 5),
        (202403, 5),
        (202402, 5),
        (202401, 5),
    ]


def test_a_deep_page_reads_only_its_own_months(viewer, creator, publish_video):
    video = publish_video(creator, title="Deep")
    made = _seed(viewer.user_id, video.video_id, months=6, per_month=4)
    calls = []
    table = astra.get_table("activity_by_user")
    original = type(table).find

    def counting(self, *args, **kwargs):
        if self.name == "activity_by_user":
            calls.append(args[0] if args else kwargs.get("filter"))
        return original(self, *args, **kwargs)

    type(table).find = counting
    try:
        page = _timeline(viewer, viewer.user_id, page=3, size=6)  # rows 12..17: one whole month, the start of the next
    finally:
        type(table).find = original
    assert [a.activity_id for a in page.items] == [a.activity_id for a in made[12:18]]
    assert len(calls) <= 3


@pytest.mark.parametrize("role", ["viewer", "other_creator", "admin_self"])
def test_who_may_read_a_timeline(client, request, role, viewer, creator, other_creator, moderator, admin):
    url = URL.format(creator.user_id)
    assert client.get(url).status_code == HTTPStatus.UNAUTHORIZED
    assert client.get(url, **api_headers(creator)).status_code == HTTPStatus.OK
    assert client.get(url, **api_headers(moderator)).status_code == HTTPStatus.OK
    assert client.get(url, **api_headers(admin)).status_code == HTTPStatus.OK
    if role == "admin_self":
        assert client.get(URL.format(admin.user_id), **api_headers(admin)).status_code == HTTPStatus.OK
        return
    other = request.getfixturevalue(role)
    response = client.get(url, **api_headers(other))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "FORBIDDEN"
    assert client.get(url, HTTP_AUTHORIZATION="Bearer nonsense").status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(
    "query",
    [
        {"activity_type": "like"},
        {"activity_type": "VIEW"},
        {"page": 0},
        {"page": "x"},
        {"page": 10_001},
        {"pageSize": 0},
        {"pageSize": 101},
    ],
)
def test_bad_input_is_422_and_writes_nothing(client, viewer, query):
    before = counts_repo.total_get(activity.scope_of(viewer.user_id, "all"))
    response = client.get(URL.format(viewer.user_id), query, **api_headers(viewer))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert body["detail"]
    assert counts_repo.total_get(activity.scope_of(viewer.user_id, "all")) == before
    assert client.get(URL.format("not-a-uuid"), **api_headers(viewer)).status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_an_unknown_user_has_an_empty_timeline_for_a_moderator(client, moderator):
    body = client.get(URL.format(uuid.uuid4()), **api_headers(moderator)).json()
    assert body == {"data": [], "pagination": {"currentPage": 1, "pageSize": 10, "totalItems": 0, "totalPages": 1}}


def test_a_removed_video_keeps_its_entry_without_its_title(viewer, creator, moderator, publish_video):
    video = publish_video(creator, title="Soon gone")
    _view(viewer, video)
    catalog_services.video_soft_delete(actor=moderator, video_id=video.video_id)
    [entry] = _timeline(viewer, viewer.user_id).items
    assert entry.video_name == ""


def test_comments_and_ratings_are_recorded(viewer, creator, publish_video):
    from community.services import comments, ratings

    video = publish_video(creator, title="Talk")
    posted = comments.comment_post(actor=viewer, video_id=video.video_id, text="What a great talk")
    ratings.rating_set(actor=viewer, video_id=video.video_id, rating=4)
    ratings.rating_set(actor=viewer, video_id=video.video_id, rating=4)  # the same stars again: nothing new
    ratings.rating_set(actor=viewer, video_id=video.video_id, rating=5)
    page = _timeline(viewer, viewer.user_id)
    assert [(a.activity_type, a.detail) for a in page.items] == [
        (ActivityType.RATE, "5"),
        (ActivityType.RATE, "4"),
        (ActivityType.COMMENT, "What a great talk"),
    ]
    assert page.items[2].activity_id == posted.comment_id
    assert _timeline(viewer, viewer.user_id, ActivityType.RATE).total == 2
    assert _timeline(viewer, viewer.user_id, ActivityType.COMMENT).total == 1
