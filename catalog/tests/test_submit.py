"""Submitting videos: every URL form, clear rejections, resubmission, preview, and who may submit."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from accounts.domain import Role
from accounts.tests.factories import api_headers, make_user, signed_in_client
from catalog.repositories import listings as listings_repo
from catalog.repositories import videos as videos_repo
from catalog.tests.youtube_standin import EmbeddingDisabled, OkVideo
from catalog.tests.youtube_urls import INVALID_URLS, VALID_URLS, VID

SUBMIT = "/api/v1/videos"


def _studio_rows(user) -> list:
    return listings_repo.studio_read(user.user_id, deleted=False, limit=100)


@pytest.mark.parametrize("url", VALID_URLS[::3] + ["https://m.youtube.com/shorts/dQw4w9WgXcQ?feature=share"])
def test_submit_accepts_every_url_form(client, creator, url):
    response = client.post(SUBMIT, {"youtubeUrl": url}, content_type="application/json", **api_headers(creator))
    assert response.status_code == HTTPStatus.ACCEPTED, response.content
    body = response.json()
    assert body["youtubeVideoId"] == VID
    assert body["status"] in ("PENDING", "PROCESSING")
    assert body["location"] == f"https://www.youtube.com/watch?v={VID}"
    assert body["views"] == body["viewCount"] == 0


@pytest.mark.parametrize("url", INVALID_URLS[::2] + [None, 42])
def test_submit_rejects_other_urls_and_writes_nothing(client, creator, url):
    response = client.post(SUBMIT, {"youtubeUrl": url}, content_type="application/json", **api_headers(creator))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    body = response.json()
    assert body["code"] in ("INVALID_YOUTUBE_URL", "VALIDATION_ERROR")
    assert body["detail"]
    assert _studio_rows(creator) == []


def test_submit_validates_optional_fields(client, creator):
    payload = {"youtubeUrl": f"https://youtu.be/{VID}", "title": "x" * 151}
    response = client.post(SUBMIT, payload, content_type="application/json", **api_headers(creator))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["errors"][0]["field"] == "title"
    assert videos_repo.submission_get(creator.user_id, VID) is None


def test_resubmitting_returns_the_existing_video(client, creator, other_creator):
    first = client.post(
        SUBMIT,
        {"youtubeUrl": f"https://youtu.be/{VID}", "title": "Mine", "tags": ["Cassandra", " cassandra "]},
        content_type="application/json",
        **api_headers(creator),
    ).json()
    again = client.post(
        SUBMIT,
        {"youtubeUrl": f"https://www.youtube.com/watch?v={VID}&t=3"},
        content_type="application/json",
        **api_headers(creator),
    ).json()
    theirs = client.post(
        SUBMIT, {"youtubeUrl": f"https://youtu.be/{VID}"}, content_type="application/json", **api_headers(other_creator)
    ).json()
    assert again["videoId"] == first["videoId"]
    assert theirs["videoId"] != first["videoId"]
    assert first["title"] == "Mine"
    assert first["tags"] == ["cassandra"]
    assert len(_studio_rows(creator)) == 1


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 401), (Role.VIEWER, 403), (Role.CREATOR, 202), (Role.MODERATOR, 202), (Role.ADMIN, 202)],
)
def test_submit_authorization(client, role, expected):
    headers = api_headers(make_user(role)) if role else {}
    response = client.post(
        SUBMIT, {"youtubeUrl": f"https://youtu.be/{VID}"}, content_type="application/json", **headers
    )
    assert response.status_code == expected
    if expected != 202:
        assert response.json()["code"]


def test_preview_returns_real_metadata(client, standin):
    standin.set_scenario(VID, OkVideo(title="Never Gonna Give You Up"))
    response = client.post("/api/v1/videos/preview", {"youtubeUrl": f"youtu.be/{VID}"}, content_type="application/json")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "youtubeVideoId": VID,
        "title": "Never Gonna Give You Up",
        "thumbnailUrl": f"https://i.ytimg.com/vi/{VID}/hqdefault.jpg",
    }


@pytest.mark.parametrize(
    ("scenario", "url", "status"),
    [
        (None, "https://vimeo.com/1", 422),
        (None, f"https://youtu.be/{VID}", 404),
        (EmbeddingDisabled(), f"https://youtu.be/{VID}", 422),
    ],
)
def test_preview_errors(client, standin, scenario, url, status):
    if scenario is not None:
        standin.set_scenario(VID, scenario)
    response = client.post("/api/v1/videos/preview", {"youtubeUrl": url}, content_type="application/json")
    assert response.status_code == status
    assert set(response.json()) >= {"detail", "code"}


def test_submissions_are_rate_limited_per_creator_in_api_and_studio(client, creator, settings):
    settings.VIDEO_SUBMIT_RATE_LIMIT = 2
    for video_id in ("aaaaaaaaaaa", "bbbbbbbbbbb"):
        body = {"youtubeUrl": f"https://youtu.be/{video_id}"}
        assert client.post(SUBMIT, body, content_type="application/json", **api_headers(creator)).status_code == 202
    blocked = client.post(
        SUBMIT, {"youtubeUrl": "https://youtu.be/ccccccccccc"}, content_type="application/json", **api_headers(creator)
    )
    assert blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert blocked.json()["code"] == "RATE_LIMITED"
    assert int(blocked["Retry-After"]) >= 1
    signed_in_client(client, creator)
    page = client.post(
        "/studio/new", {"youtube_url": "https://youtu.be/ddddddddddd", "title": "", "description": "", "tags": ""}
    )
    assert page.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "You can submit again in" in page.content.decode()
    assert "ddddddddddd" in page.content.decode()  # the form keeps what was typed
    assert len(_studio_rows(creator)) == 2
