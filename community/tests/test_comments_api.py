"""Comments API: shapes, newest first with true totals, authorization per role, bad input, rate limit."""

from __future__ import annotations

import uuid
from http import HTTPStatus

import pytest
from django.test import override_settings

from accounts.tests.factories import api_headers
from catalog import services as catalog_services
from community import services
from community.repositories import comments as repo
from community.repositories import counts as counts_repo
from community.repositories.comments import CommentList

URL = "/api/v1/videos/{}/comments"


@pytest.fixture
def video(creator, publish_video):
    return publish_video(creator, title="Data modelling")


def _post(client, user, video_id, text):
    return client.post(URL.format(video_id), {"text": text}, content_type="application/json", **api_headers(user))


def _nothing_written(video_id, user_id):
    assert services.video_comment_count(video_id=video_id) == 0
    assert counts_repo.buckets_read(CommentList.of_video(video_id).scope, 10) == []
    assert repo.list_read_bucket(CommentList.of_video(video_id), 0, 10) == []
    assert repo.list_read_bucket(CommentList.of_user(user_id), 0, 10) == []


def test_post_returns_the_comment_with_real_sentiment(client, viewer, video):
    response = _post(client, viewer, video.video_id, "  I love this, what a wonderful explanation!  ")
    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert set(body) == {
        "commentid", "videoid", "userid", "comment", "sentiment_score", "sentiment", "firstName", "lastName",
        "createdAt",
    }  # fmt: skip
    assert body["comment"] == "I love this, what a wonderful explanation!"
    assert body["sentiment"] == "positive"
    assert body["sentiment_score"] > 0.5
    assert (body["firstName"], body["lastName"]) == ("Vic", "Viewer")
    assert body["videoid"] == str(video.video_id)
    assert body["userid"] == str(viewer.user_id)


def test_lists_are_newest_first_with_true_totals(client, viewer, creator, video):
    for n in range(13):
        _post(client, viewer if n % 2 else creator, video.video_id, f"comment {n}")
    page = client.get(URL.format(video.video_id), {"page": 2, "pageSize": 5}).json()
    assert page["pagination"] == {"currentPage": 2, "pageSize": 5, "totalItems": 13, "totalPages": 3}
    assert [c["comment"] for c in page["data"]] == [f"comment {n}" for n in range(7, 2, -1)]
    mine = client.get(f"/api/v1/users/{viewer.user_id}/comments", {"pageSize": 100}).json()
    assert mine["pagination"]["totalItems"] == 6
    assert [c["comment"] for c in mine["data"]] == [f"comment {n}" for n in (11, 9, 7, 5, 3, 1)]


def test_pages_are_the_json_ninja_writes_and_follow_renames(client, viewer, video):
    """Items' JSON is memoised per process (killrvideo.schemas.page_json); the body is still exactly what
    ninja's encoder writes for the whole envelope, and an author's new name is another item at once."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from accounts import services as accounts_services

    _post(client, viewer, video.video_id, "first")
    _post(client, viewer, video.video_id, "second")
    for _ in range(2):  # encoded, then from the memo
        response = client.get(URL.format(video.video_id))
        body = response.content.decode()
        assert body == json.dumps(json.loads(body), cls=NinjaJSONEncoder)
    assert {(c["firstName"], c["lastName"]) for c in response.json()["data"]} == {(viewer.first_name, viewer.last_name)}
    accounts_services.user_update_profile(user_id=viewer.user_id, last_name="Renamed")
    data = client.get(URL.format(video.video_id)).json()["data"]
    assert [(c["comment"], c["lastName"]) for c in data] == [("second", "Renamed"), ("first", "Renamed")]


def test_hostile_text_is_stored_as_typed(client, viewer, video):
    hostile = '<script>alert(1)</script> [x](javascript:alert(1)) "onmouseover=alert(1)'
    assert _post(client, viewer, video.video_id, hostile).json()["comment"] == hostile
    assert client.get(URL.format(video.video_id)).json()["data"][0]["comment"] == hostile


def test_missing_and_not_public_videos_are_404(client, viewer, creator, video):
    assert _post(client, viewer, uuid.uuid4(), "hello").status_code == HTTPStatus.NOT_FOUND
    assert client.get(URL.format(uuid.uuid4())).status_code == HTTPStatus.NOT_FOUND
    catalog_services.video_soft_delete(actor=creator, video_id=video.video_id)
    response = _post(client, viewer, video.video_id, "hello")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "VIDEO_NOT_FOUND"
    assert client.get(URL.format(video.video_id)).status_code == HTTPStatus.NOT_FOUND


def test_authorization_of_every_endpoint(client, viewer, creator, other_creator, moderator, admin, video):
    vid = video.video_id
    assert client.post(URL.format(vid), {"text": "hi"}, content_type="application/json").status_code == 401
    for user in (viewer, creator, other_creator, moderator, admin):
        assert _post(client, user, vid, f"from {user.first_name}").status_code == HTTPStatus.CREATED
    for headers in ({}, api_headers(viewer), api_headers(moderator)):
        assert client.get(URL.format(vid), **headers).status_code == HTTPStatus.OK
        assert client.get(f"/api/v1/users/{viewer.user_id}/comments", **headers).status_code == HTTPStatus.OK
    by_viewer = services.comment_post(actor=viewer, video_id=vid, text="mine")
    delete = f"{URL.format(vid)}/{by_viewer.comment_id}"
    assert client.delete(delete).status_code == HTTPStatus.UNAUTHORIZED
    assert client.delete(delete, **api_headers(other_creator)).status_code == HTTPStatus.FORBIDDEN
    assert client.delete(delete, **api_headers(creator)).status_code == HTTPStatus.FORBIDDEN  # the video's owner
    assert client.delete(delete, **api_headers(viewer)).status_code == HTTPStatus.NO_CONTENT
    assert client.delete(delete, **api_headers(viewer)).status_code == HTTPStatus.NO_CONTENT  # idempotent
    assert client.delete(delete, **api_headers(other_creator)).status_code == HTTPStatus.NOT_FOUND  # gone
    for moderating in (moderator, admin):
        other = services.comment_post(actor=creator, video_id=vid, text="moderate me")
        url = f"{URL.format(vid)}/{other.comment_id}"
        assert client.delete(url, **api_headers(moderating)).status_code == HTTPStatus.NO_CONTENT
    assert services.video_comment_count(video_id=vid) == 5


def test_not_public_video_comments_are_for_owner_and_moderators(client, creator, moderator, viewer, video):
    services.comment_post(actor=viewer, video_id=video.video_id, text="before removal")
    catalog_services.video_soft_delete(actor=creator, video_id=video.video_id)
    assert client.get(URL.format(video.video_id), **api_headers(viewer)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(URL.format(video.video_id), **api_headers(moderator)).json()["pagination"]["totalItems"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   \n\t "},
        {"text": "x" * 1001},
        {"text": 5},
        {"text": ["a"]},
        {"text": None},
        {"text": "bad \x00 byte"},
        {"text": "sneaky \u202e override"},
        [],
        '"text"',
    ],
)
def test_bad_post_bodies_are_json_422_and_write_nothing(client, viewer, video, body):
    response = client.post(URL.format(video.video_id), body, content_type="application/json", **api_headers(viewer))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert isinstance(response.json()["detail"], str)
    assert isinstance(response.json()["code"], str)
    _nothing_written(video.video_id, viewer.user_id)


def test_a_comment_of_exactly_1000_characters_after_trimming_is_accepted(client, viewer, video):
    assert _post(client, viewer, video.video_id, "\n" + "é" * 1000 + "  ").status_code == HTTPStatus.CREATED


def test_bad_queries_and_paths_are_json_errors(client, viewer, video):
    for query in ({"page": 0}, {"pageSize": 101}, {"page": "abc"}, {"page": 10_001}):
        for url in (URL.format(video.video_id), f"/api/v1/users/{viewer.user_id}/comments"):
            response = client.get(url, query)
            assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, (url, query)
            assert response.json()["code"]
    assert client.get(URL.format("not-a-uuid")).status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert client.get(f"/api/v1/users/{uuid.uuid4()}/comments").status_code == HTTPStatus.NOT_FOUND
    headers = api_headers(viewer)
    assert client.delete(f"{URL.format(video.video_id)}/{uuid.uuid4()}", **headers).status_code == 404
    assert client.delete(f"{URL.format(video.video_id)}/not-a-uuid", **headers).status_code == 422
    _nothing_written(video.video_id, viewer.user_id)


def test_a_comment_is_deleted_only_through_its_own_video(client, viewer, creator, publish_video, video):
    other = publish_video(creator, title="Another")
    comment = services.comment_post(actor=viewer, video_id=video.video_id, text="here")
    url = f"{URL.format(other.video_id)}/{comment.comment_id}"
    assert client.delete(url, **api_headers(viewer)).status_code == HTTPStatus.NOT_FOUND
    assert services.video_comment_count(video_id=video.video_id) == 1


def test_posting_is_rate_limited_per_user(client, viewer, creator, video):
    with override_settings(COMMENT_RATE_LIMIT=3):
        for n in range(3):
            assert _post(client, viewer, video.video_id, f"ok {n}").status_code == HTTPStatus.CREATED
        response = _post(client, viewer, video.video_id, "one too many")
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert response.json()["code"] == "RATE_LIMITED"
        assert int(response["Retry-After"]) >= 1
        assert _post(client, creator, video.video_id, "someone else").status_code == HTTPStatus.CREATED
        # bad input is refused before it counts against the limit
        assert _post(client, creator, video.video_id, "").status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert services.video_comment_count(video_id=video.video_id) == 4
