"""Edit, soft delete, restore, status: who may do it, and every denormalised copy kept consistent."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from accounts.domain import Role
from accounts.tests.factories import api_headers, make_user
from catalog import services
from catalog.domain import Listing, ListingKey, month_bucket
from catalog.repositories import listings as listings_repo
from catalog.services.listings import total_get
from killrvideo.pagination import PageRequest

P = PageRequest(1, 50)


def _ids(page):
    return [v.video_id for v in page.items]


def _everywhere(video, tag):
    """Where a public video shows up: (latest, tag, uploader, studio active, studio deleted)."""
    return (
        video.video_id in _ids(services.latest_page(request=P)),
        video.video_id in _ids(services.tag_page(tag=tag, request=P)),
        video.video_id in _ids(services.uploader_page(user_id=video.user_id, request=P)),
        video.video_id in _ids(services.studio_page(user_id=video.user_id, deleted=False, request=P)),
        video.video_id in _ids(services.studio_page(user_id=video.user_id, deleted=True, request=P)),
    )


def test_edit_updates_every_copy_and_moves_tags(creator, publish_video):
    video = publish_video(creator, title="Old", tags=("alpha", "beta"))
    services.video_edit(actor=creator, video_id=video.video_id, title="New", tags=["beta", "gamma"])
    for page in (
        services.latest_page(request=P),
        services.tag_page(tag="gamma", request=P),
        services.uploader_page(user_id=creator.user_id, request=P),
        services.studio_page(user_id=creator.user_id, deleted=False, request=P),
    ):
        assert [(v.name, v.tags) for v in page.items] == [("New", ("beta", "gamma"))]
    assert services.tag_page(tag="alpha", request=P).total == 0
    assert listings_repo.listing_read_bucket(Listing.of_tag("alpha"), month_bucket(video.added_date), 10) == []
    assert total_get(ListingKey.tag("gamma")) == 1


def test_soft_delete_hides_everywhere_and_restore_brings_it_back(client, creator, publish_video):
    video = publish_video(creator, title="Doomed", tags=("t",))
    assert _everywhere(video, "t") == (True, True, True, True, False)
    services.video_soft_delete(actor=creator, video_id=video.video_id)
    assert _everywhere(video, "t") == (False, False, False, False, True)
    assert services.latest_page(request=P).total == 0
    assert client.get(f"/api/v1/videos/id/{video.video_id}").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/watch/{video.video_id}").status_code == HTTPStatus.NOT_FOUND
    services.video_soft_delete(actor=creator, video_id=video.video_id)  # idempotent
    services.video_restore(actor=creator, video_id=video.video_id)
    assert _everywhere(video, "t") == (True, True, True, True, False)
    assert total_get(ListingKey.user_deleted(creator.user_id)) == 0
    assert total_get(ListingKey.user_all(creator.user_id)) == 1


def test_moderator_sees_deleted_video_detail(client, creator, moderator, publish_video):
    video = publish_video(creator)
    services.video_soft_delete(actor=moderator, video_id=video.video_id)
    response = client.get(f"/api/v1/videos/id/{video.video_id}", **api_headers(moderator))
    assert response.status_code == HTTPStatus.OK


ROLES = ["anonymous", "viewer", "owner", "other", "moderator", "admin"]


def _headers(who, owner):
    if who == "anonymous":
        return {}
    if who == "owner":
        return api_headers(owner)
    role = {"viewer": Role.VIEWER, "other": Role.CREATOR, "moderator": Role.MODERATOR, "admin": Role.ADMIN}[who]
    return api_headers(make_user(role))


ALLOWED = {"anonymous": 401, "viewer": 403, "other": 403}


@pytest.mark.parametrize("who", ROLES)
def test_update_authorization(client, creator, publish_video, who):
    video = publish_video(creator, title="Original")
    response = client.put(
        f"/api/v1/videos/id/{video.video_id}",
        {"title": "Changed"},
        content_type="application/json",
        **_headers(who, creator),
    )
    expected = ALLOWED.get(who, 200)
    assert response.status_code == expected
    name = services.video_get(video_id=video.video_id).name
    assert name == ("Changed" if expected == 200 else "Original")


@pytest.mark.parametrize("who", ROLES)
def test_delete_authorization(client, creator, publish_video, who):
    video = publish_video(creator)
    response = client.delete(f"/api/v1/videos/id/{video.video_id}", **_headers(who, creator))
    expected = ALLOWED.get(who, 204)
    assert response.status_code == expected
    assert services.video_get(video_id=video.video_id, include_deleted=True).deleted is (expected == 204)


@pytest.mark.parametrize("who", ROLES)
def test_status_authorization(client, creator, publish_video, who):
    video = publish_video(creator)
    response = client.get(f"/api/v1/videos/id/{video.video_id}/status", **_headers(who, creator))
    assert response.status_code == ALLOWED.get(who, 200)
    if response.status_code == 200:
        assert response.json() == {"videoId": str(video.video_id), "status": "READY", "failureReason": None}


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"title": ""}, "title"), ({"tags": ["x"] * 21}, "tags"), ({"description": "d" * 5001}, "description")],
)
def test_update_bad_input_writes_nothing(client, creator, publish_video, payload, field):
    video = publish_video(creator, title="Keep")
    response = client.put(
        f"/api/v1/videos/id/{video.video_id}", payload, content_type="application/json", **api_headers(creator)
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["errors"][0]["field"] == field
    assert services.video_get(video_id=video.video_id).name == "Keep"


def test_missing_video_is_404_everywhere(client, creator):
    missing = "00000000-0000-4000-8000-000000000000"
    headers = api_headers(creator)
    assert client.get(f"/api/v1/videos/id/{missing}").status_code == 404
    assert client.put(f"/api/v1/videos/id/{missing}", {}, content_type="application/json", **headers).status_code == 404
    assert client.delete(f"/api/v1/videos/id/{missing}", **headers).status_code == 404
    assert client.get(f"/api/v1/videos/id/{missing}/status", **headers).status_code == 404
    assert client.post(f"/api/v1/videos/id/{missing}/view").status_code == 404
    assert client.get("/api/v1/videos/id/not-a-uuid").status_code == 422


@pytest.mark.parametrize("who", ROLES)
def test_public_endpoints_answer_every_role(client, creator, publish_video, standin, who):
    from catalog.tests.youtube_standin import OkVideo

    video = publish_video(creator, title="Public", tags=("pub",))
    standin.set_scenario("dQw4w9WgXcQ", OkVideo(title="Preview me"))
    headers = _headers(who, creator)
    for path in (
        f"/api/v1/videos/id/{video.video_id}",
        "/api/v1/videos/latest",
        "/api/v1/videos/by-tag/pub",
        f"/api/v1/videos/by-uploader/{creator.user_id}",
        f"/api/v1/users/{creator.user_id}/videos",
        "/api/v1/videos/trending",
    ):
        assert client.get(path, **headers).status_code == HTTPStatus.OK, path
    view = client.post(f"/api/v1/videos/id/{video.video_id}/view", content_type="application/json", **headers)
    assert view.status_code == HTTPStatus.NO_CONTENT
    preview = client.post(
        "/api/v1/videos/preview",
        {"youtubeUrl": "https://youtu.be/dQw4w9WgXcQ"},
        content_type="application/json",
        **headers,
    )
    assert preview.status_code == HTTPStatus.OK
    assert services.video_get(video_id=video.video_id).views == (0 if who == "owner" else 1)


def test_invalid_token_is_401_on_optional_auth(client, creator, publish_video):
    video = publish_video(creator)
    response = client.get(f"/api/v1/videos/id/{video.video_id}", HTTP_AUTHORIZATION="Bearer not-a-jwt")
    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_unpublished_videos_are_visible_to_owner_and_moderators_only(client, creator, other_creator, moderator):
    from catalog.services import videos

    submission = videos.video_submit(actor=creator, youtube_url="https://youtu.be/dQw4w9WgXcQ")  # stays PENDING
    url = f"/api/v1/videos/id/{submission.video.video_id}"
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url, **api_headers(other_creator)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url, **api_headers(creator)).json()["status"] == "PENDING"
    assert client.get(url, **api_headers(moderator)).status_code == HTTPStatus.OK
    assert client.get(f"/watch/{submission.video.video_id}").status_code == HTTPStatus.NOT_FOUND


def test_tags_are_normalised_with_nfkc_and_casefold(client, creator, publish_video):
    publish_video(creator, title="Bosphorus", tags=("İstanbul", "Ｔｒａｖｅｌ"))
    for tag in ("istanbul", "İstanbul", "ISTANBUL", "travel", "Ｔｒａｖｅｌ"):
        body = client.get(f"/api/v1/videos/by-tag/{tag}").json()
        assert [v["title"] for v in body["data"]] == ["Bosphorus"], tag
    assert client.get("/tags/%C4%B0stanbul").status_code == HTTPStatus.OK
