"""Listings: newest first, real pagination with true totals, owner-only non-READY videos."""

from __future__ import annotations

import math

import pytest

from accounts.tests.factories import api_headers
from catalog import services
from killrvideo.pagination import MAX_PAGE, PageRequest
from killrvideo.tests.support import SAMPLE_YOUTUBE_ID

VID = SAMPLE_YOUTUBE_ID


def _walk(client, path, page_size, **headers):
    """Every page of an API listing; returns (ids in order, pagination blocks)."""
    ids, blocks, page = [], [], 1
    while True:
        body = client.get(path, {"page": page, "pageSize": page_size}, **headers).json()
        ids += [item["videoId"] for item in body["data"]]
        blocks.append(body["pagination"])
        if page >= body["pagination"]["totalPages"]:
            return ids, blocks
        page += 1


def test_pagination_has_true_totals_on_every_listing(client, creator, publish_video):
    made = [publish_video(creator, title=f"Video {n}", tags=("shared",)) for n in range(7)]
    newest_first = [str(v.video_id) for v in reversed(made)]
    for path in (
        "/api/v1/videos/latest",
        "/api/v1/videos/by-tag/shared",
        f"/api/v1/videos/by-uploader/{creator.user_id}",
        f"/api/v1/users/{creator.user_id}/videos",
    ):
        ids, blocks = _walk(client, path, 3)
        assert ids == newest_first, path
        assert [b["currentPage"] for b in blocks] == [1, 2, 3]
        assert {(b["totalItems"], b["totalPages"], b["pageSize"]) for b in blocks} == {(7, math.ceil(7 / 3), 3)}


def test_summary_shape(client, creator, publish_video):
    publish_video(creator, title="Shape", tags=("a",))
    item = client.get("/api/v1/videos/latest").json()["data"][0]
    assert set(item) == {
        "videoId",
        "title",
        "thumbnailUrl",
        "userId",
        "submittedAt",
        "views",
        "viewCount",
        "averageRating",
        "totalRatingsCount",
        "status",
        "description",
        "tags",
    }
    assert (item["averageRating"], item["totalRatingsCount"], item["status"]) == (None, 0, "READY")


def test_page_past_the_end_is_empty_but_keeps_the_total(client, creator, publish_video):
    publish_video(creator)
    body = client.get("/api/v1/videos/latest", {"page": 5, "pageSize": 10}).json()
    assert body["data"] == []
    assert body["pagination"]["totalItems"] == 1


def test_bad_paging_values_are_422(client):
    for query in ({"page": 0}, {"pageSize": 101}, {"page": "x"}):
        response = client.get("/api/v1/videos/latest", query)
        assert response.status_code == 422, query
        assert response.json()["code"] == "VALIDATION_ERROR"


LISTINGS = [
    "/api/v1/videos/latest",
    "/api/v1/videos/by-tag/{tag}",
    "/api/v1/videos/by-uploader/{user_id}",
    "/api/v1/users/{user_id}/videos",
]


def test_the_schema_states_the_deepest_page_the_listings_serve(client):
    # Found by the fuzzer: the schema allowed any page, so a schema-valid page=10001 came back 422.
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in LISTINGS:
        page = next(p for p in paths[path]["get"]["parameters"] if p["name"] == "page")
        assert page["schema"]["maximum"] == MAX_PAGE, path
    assert client.get("/api/v1/videos/latest", {"page": MAX_PAGE}).status_code == 200
    for page in (MAX_PAGE + 1, 768422652004222500864):
        response = client.get("/api/v1/videos/latest", {"page": page})
        assert response.status_code == 422, page
        assert response.json()["errors"][0]["field"] == "page"


def test_uploader_listing_shows_non_ready_only_to_the_owner(client, creator, other_creator, publish_video, standin):
    publish_video(creator, title="Ready one")
    services.video_submit(actor=creator, youtube_url=f"https://youtu.be/{VID}")  # stays PENDING (no worker)
    path = f"/api/v1/videos/by-uploader/{creator.user_id}"
    public = client.get(path).json()
    own = client.get(path, **api_headers(creator)).json()
    others = client.get(path, **api_headers(other_creator)).json()
    assert public["pagination"]["totalItems"] == others["pagination"]["totalItems"] == 1
    assert own["pagination"]["totalItems"] == 2
    assert {item["status"] for item in own["data"]} == {"READY", "PENDING"}


def test_tag_lookup_is_normalised(client, creator, publish_video):
    publish_video(creator, tags=("data modeling",))
    assert client.get("/api/v1/videos/by-tag/Data%20Modeling").json()["pagination"]["totalItems"] == 1
    assert client.get("/api/v1/videos/by-tag/nothing").json() == {
        "data": [],
        "pagination": {"currentPage": 1, "pageSize": 10, "totalItems": 0, "totalPages": 1},
    }


def test_totals_survive_a_redis_loss(client, creator, publish_video):
    from killrvideo.redis import client as redis_client

    for _ in range(3):
        publish_video(creator, tags=("t",))
    keys = list(redis_client().scan_iter("kvapp:total:*"))
    redis_client().delete(*keys)
    assert client.get("/api/v1/videos/latest").json()["pagination"]["totalItems"] == 3
    assert client.get("/api/v1/videos/by-tag/t").json()["pagination"]["totalItems"] == 3


@pytest.mark.allows_scan  # an operator command: it walks the whole videos table on purpose
def test_rebuild_listing_totals_recounts(client, creator, publish_video):
    from django.core.management import call_command

    from killrvideo.redis import client as redis_client

    video = publish_video(creator, tags=("t",))
    publish_video(creator, tags=("t",))
    services.video_soft_delete(actor=creator, video_id=video.video_id)
    redis_client().set("kvapp:total:tag:t", 99)
    redis_client().set("kvapp:total:bucket:latest:" + video.added_date.strftime("%Y-%m"), 99)
    call_command("rebuild_listing_totals", verbosity=0)
    assert client.get("/api/v1/videos/by-tag/t").json()["pagination"]["totalItems"] == 1
    assert services.latest_page(request=PageRequest(1, 5)).total == 1
    assert len(services.latest_page(request=PageRequest(1, 5)).items) == 1


def test_cached_listing_pages_follow_every_change(client, creator, viewer, publish_video):
    """Pages are cached per listing version: publishing, editing, deleting and a tag change show at once,
    and counters are joined live onto cached rows."""
    first = publish_video(creator, title="First", tags=("cached",))
    paths = ("/api/v1/videos/latest", "/api/v1/videos/by-tag/cached", f"/api/v1/videos/by-uploader/{creator.user_id}")

    def titles() -> list[list[str]]:
        return [[item["title"] for item in client.get(path).json()["data"]] for path in paths]

    assert titles() == [["First"]] * 3
    assert titles() == [["First"]] * 3  # the second read is served from the cache
    second = publish_video(creator, title="Second", tags=("cached",))
    assert titles() == [["Second", "First"]] * 3
    services.video_edit(actor=creator, video_id=first.video_id, title="First, renamed")
    assert titles() == [["Second", "First, renamed"]] * 3
    services.video_soft_delete(actor=creator, video_id=second.video_id)
    assert titles() == [["First, renamed"]] * 3
    assert {client.get(path).json()["pagination"]["totalItems"] for path in paths} == {1}
    services.video_edit(actor=creator, video_id=first.video_id, title="First, renamed", tags=["moved"])
    assert client.get(paths[1]).json() == {"data": [], "pagination": client.get(paths[1]).json()["pagination"]}
    assert client.get(paths[1]).json()["pagination"]["totalItems"] == 0
    assert [i["title"] for i in client.get("/api/v1/videos/by-tag/moved").json()["data"]] == ["First, renamed"]
    assert services.video_view_record(video_id=first.video_id, actor=viewer, viewer_id=None, ip="203.0.113.9")
    assert client.get(paths[0]).json()["data"][0]["views"] == first.views + 1


def test_a_renamed_uploader_shows_at_once_on_cards(client, creator, publish_video):
    """Uploader names are cached under each user's version, which the rename bumps."""
    from accounts import services as accounts_services

    video = publish_video(creator, title="Named")
    page = services.latest_page(request=PageRequest.parse(1, 10))
    before = next(item.uploader_name for item in page.items if item.video_id == video.video_id)
    assert before == creator.display_name
    accounts_services.user_update_profile(user_id=creator.user_id, first_name="Renamed")
    page = services.latest_page(request=PageRequest.parse(1, 10))
    after = next(item.uploader_name for item in page.items if item.video_id == video.video_id)
    assert after == f"Renamed {creator.last_name}"
    assert f'<p class="byline">Renamed {creator.last_name}</p>' in client.get("/explore").content.decode()
