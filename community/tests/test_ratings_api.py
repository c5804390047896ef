"""Ratings API: both contract pairs over one store, their shapes, authorization per role and bad input."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client

from accounts.tests.factories import api_headers
from catalog import services as catalog_services
from community.tests.ratings_support import LEGACY, NEW, get_ratings, post_rating, stored, stored_rating


def test_create_then_update_through_both_pairs_is_one_rating(client, creator, viewer, publish_video):
    video = publish_video(creator, title="Rated twice")
    empty = client.get(LEGACY.format(video.video_id)).json()
    assert empty == {"videoId": str(video.video_id), "averageRating": None, "ratingCount": 0}

    created = post_rating(client, NEW, video.video_id, {"rating": 3}, viewer)
    assert created.status_code == HTTPStatus.OK
    body = created.json()
    assert set(body) == {"videoid", "userid", "rating", "created_at", "updated_at"}
    assert (body["videoid"], body["userid"], body["rating"]) == (str(video.video_id), str(viewer.user_id), 3)

    legacy = post_rating(client, LEGACY, video.video_id, {"rating": 5}, viewer)
    assert legacy.status_code == HTTPStatus.NO_CONTENT
    assert legacy.content == b""
    assert client.get(LEGACY.format(video.video_id)).json() == {
        "videoId": str(video.video_id),
        "averageRating": 5.0,
        "ratingCount": 1,
    }
    mine = get_ratings(client, video.video_id, viewer).json()
    assert mine == {
        "videoId": str(video.video_id),
        "averageRating": 5.0,
        "totalRatingsCount": 1,
        "currentUserRating": 5,
    }
    updated = post_rating(client, NEW, video.video_id, {"rating": 4}, viewer).json()
    assert updated["created_at"] == body["created_at"]  # an update keeps when the rating was first made
    assert updated["updated_at"] > body["updated_at"]
    assert stored(video.video_id) == (1, 4)


def test_average_is_to_one_decimal_and_null_without_ratings(client, creator, viewer, other_creator, publish_video):
    video = publish_video(creator)
    anonymous = get_ratings(client, video.video_id).json()
    assert (anonymous["averageRating"], anonymous["totalRatingsCount"], anonymous["currentUserRating"]) == (
        None,
        0,
        None,
    )
    for user, stars in ((viewer, 4), (other_creator, 5)):
        post_rating(client, NEW, video.video_id, {"rating": stars}, user)
    from accounts.domain import Role
    from accounts.tests.factories import make_user

    post_rating(client, NEW, video.video_id, {"rating": 5}, make_user(Role.VIEWER))
    summary = client.get(LEGACY.format(video.video_id)).json()
    assert (summary["averageRating"], summary["ratingCount"]) == (4.7, 3)  # 14 / 3 = 4.666...
    card = catalog_services.video_get(video_id=video.video_id)
    assert (card.average_rating, card.total_ratings_count) == (4.7, 3)


def test_the_owner_may_not_rate_their_own_video(client, creator, publish_video):
    video = publish_video(creator)
    for url in (NEW, LEGACY):
        response = post_rating(client, url, video.video_id, {"rating": 5}, creator)
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json() == {"detail": "You can't rate your own video.", "code": "OWN_VIDEO"}
    assert stored(video.video_id) is None
    assert stored_rating(video.video_id, creator) is None


def test_missing_and_non_public_videos_are_404(client, creator, viewer, publish_video):
    import uuid

    hidden = publish_video(creator, title="Soon gone")
    catalog_services.video_soft_delete(actor=creator, video_id=hidden.video_id)
    for video_id in (uuid.uuid4(), hidden.video_id):
        for url in (NEW, LEGACY):
            response = post_rating(client, url, video_id, {"rating": 4}, viewer)
            assert response.status_code == HTTPStatus.NOT_FOUND
            assert response.json()["code"] == "VIDEO_NOT_FOUND"
        assert client.get(LEGACY.format(video_id)).status_code == HTTPStatus.NOT_FOUND
        assert get_ratings(client, video_id, viewer).status_code == HTTPStatus.NOT_FOUND
    assert stored(hidden.video_id) is None


ROLES = ["viewer", "creator", "other_creator", "moderator", "admin"]


@pytest.mark.parametrize("url", [NEW, LEGACY])
def test_who_may_rate(request, client, creator, publish_video, url):
    """Anonymous: 401; the owner (creator): 403; everyone else signed in may rate."""
    video = publish_video(creator)
    ok = HTTPStatus.OK if url == NEW else HTTPStatus.NO_CONTENT
    anonymous = post_rating(client, url, video.video_id, {"rating": 4})
    assert anonymous.status_code == HTTPStatus.UNAUTHORIZED
    assert anonymous.json()["code"] == "UNAUTHORIZED"
    expected = {"viewer": ok, "creator": HTTPStatus.FORBIDDEN, "other_creator": ok, "moderator": ok, "admin": ok}
    for role in ROLES:
        user = request.getfixturevalue(role)
        assert post_rating(client, url, video.video_id, {"rating": 4}, user).status_code == expected[role], role
    bad_token = client.post(
        url.format(video.video_id), data='{"rating": 4}', content_type="application/json", HTTP_AUTHORIZATION="Bearer x"
    )
    assert bad_token.status_code == HTTPStatus.UNAUTHORIZED
    assert stored(video.video_id) == (4, 16)


def test_who_may_read(request, client, creator, publish_video):
    """Both reads are public; the new one personalises currentUserRating for a signed-in caller."""
    video = publish_video(creator)
    rater = request.getfixturevalue("viewer")
    post_rating(client, NEW, video.video_id, {"rating": 2}, rater)
    assert client.get(LEGACY.format(video.video_id)).status_code == HTTPStatus.OK
    assert get_ratings(client, video.video_id).json()["currentUserRating"] is None
    for role in ROLES:
        user = request.getfixturevalue(role)
        legacy = client.get(LEGACY.format(video.video_id), **api_headers(user))
        assert legacy.status_code == HTTPStatus.OK
        mine = get_ratings(client, video.video_id, user)
        assert mine.status_code == HTTPStatus.OK
        assert mine.json()["currentUserRating"] == (2 if role == "viewer" else None), role
    invalid = client.get(NEW.format(video.video_id), HTTP_AUTHORIZATION="Bearer not-a-token")
    assert invalid.status_code == HTTPStatus.UNAUTHORIZED
    assert set(invalid.json()) >= {"detail", "code"}


BAD_BODIES = [
    {"rating": 0},
    {"rating": 6},
    {"rating": -1},
    {"rating": "five"},
    {"rating": "5"},
    {"rating": 2.5},
    {"rating": 4.0},
    {"rating": True},
    {"rating": None},
    {"rating": [4]},
    {"rating": 10**30},
    {},
    [4],
    "4",
    4,
]


@pytest.mark.parametrize("url", [NEW, LEGACY])
def test_bad_ratings_are_422_json_and_write_nothing(client, creator, viewer, publish_video, url):
    video = publish_video(creator)
    for body in BAD_BODIES:
        response = post_rating(client, url, video.video_id, body, viewer)
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, body
        error = response.json()
        assert error["code"] == "VALIDATION_ERROR", body
        assert error["detail"], body
    broken = client.post(
        url.format(video.video_id), data="{not json", content_type="application/json", **api_headers(viewer)
    )
    assert broken.status_code == HTTPStatus.BAD_REQUEST
    assert set(broken.json()) >= {"detail", "code"}
    assert stored(video.video_id) is None
    assert stored_rating(video.video_id, viewer) is None
    assert get_ratings(client, video.video_id, viewer).json()["totalRatingsCount"] == 0


@pytest.mark.parametrize("path", ["/api/v1/videos/not-a-uuid/ratings", "/api/v1/videos/id/not-a-uuid/rating"])
def test_bad_video_ids_are_422_json_on_every_endpoint(client, viewer, path):
    assert client.get(path).status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    response = client.post(path, data='{"rating": 4}', content_type="application/json", **api_headers(viewer))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert set(response.json()) >= {"detail", "code"}


def test_ratings_are_rate_limited_per_user(client, creator, viewer, publish_video, settings):
    settings.RATING_RATE_LIMIT = 3
    settings.RATING_RATE_WINDOW_SECONDS = 3600  # a fixed window: one this long is not crossed mid-test
    video = publish_video(creator)
    codes = [post_rating(client, NEW, video.video_id, {"rating": 1 + n % 5}, viewer).status_code for n in range(4)]
    assert codes == [HTTPStatus.OK] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]
    # Bad input is refused before it counts against the limit.
    assert post_rating(Client(), NEW, video.video_id, {"rating": 9}, viewer).status_code == 422
    assert stored(video.video_id) == (1, 3)


def test_openapi_declares_every_status(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    new, legacy = paths["/api/v1/videos/{video_id}/ratings"], paths["/api/v1/videos/id/{video_id}/rating"]
    assert {"200", "401", "403", "404", "422", "429"} <= set(new["post"]["responses"])
    assert {"204", "401", "403", "404", "422", "429"} <= set(legacy["post"]["responses"])
    assert {"200", "401", "404", "422"} <= set(new["get"]["responses"])
    assert {"200", "404", "422"} <= set(legacy["get"]["responses"])
