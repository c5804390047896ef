"""View counting: exact under concurrency, deduplicated per viewer, never the owner; flush; trending."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

from django.test import Client

from accounts.domain import AnonymousUser
from accounts.tests.factories import api_headers
from catalog import services
from catalog.repositories import redis_store
from catalog.repositories import views as views_repo


def _view(video_id, viewer: str) -> bool:
    return services.video_view_record(video_id=video_id, actor=AnonymousUser(), anonymous_id=viewer)


def test_100_concurrent_viewers_are_counted_exactly(creator, publish_video):
    video = publish_video(creator)
    viewers = [f"viewer-{n}" for n in range(100)] * 2  # everyone twice: the second view is a duplicate
    with ThreadPoolExecutor(max_workers=32) as pool:
        counted = list(pool.map(lambda v: _view(video.video_id, v), viewers))
    assert sum(counted) == 100
    services.views_flush()
    assert views_repo.views_get_many([video.video_id]) == {video.video_id: 100}
    assert services.video_get(video_id=video.video_id).views == 100


def test_api_views_dedupe_per_viewer_and_skip_the_owner(client, creator, viewer, publish_video):
    video = publish_video(creator)
    url = f"/api/v1/videos/id/{video.video_id}/view"

    def post(headers):
        return Client().post(url, content_type="application/json", **headers).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(post, [{}] * 10 + [api_headers(viewer)] * 10 + [api_headers(creator)] * 5))
    assert set(statuses) == {HTTPStatus.NO_CONTENT}
    services.views_flush()
    assert services.video_get(video_id=video.video_id).views == 2  # one anonymous address + one user


def test_watch_page_counts_once_per_session(client, creator, publish_video):
    video = publish_video(creator)
    for _ in range(3):
        assert client.get(f"/watch/{video.video_id}").status_code == HTTPStatus.OK
    Client().get(f"/watch/{video.video_id}")
    assert services.video_get(video_id=video.video_id).views == 2


def test_flush_retry_never_double_counts(creator, publish_video):
    video = publish_video(creator)
    for n in range(5):
        _view(video.video_id, f"v{n}")
    batch = redis_store.views_take_batch()  # a flush that took its batch, then crashed before finishing
    assert batch
    assert services.views_flush() == len(batch)  # the retry takes the same batch again
    assert services.views_flush() == 0
    assert views_repo.views_get_many([video.video_id]) == {video.video_id: 5}


def test_counts_survive_a_redis_loss(creator, publish_video):
    video = publish_video(creator)
    for n in range(3):
        _view(video.video_id, f"before-{n}")
    services.views_flush()
    redis_store.client().delete(redis_store.VIEWS_TOTAL, *redis_store.client().keys("kvapp:views:day:*"))
    _view(video.video_id, "after")
    services.views_flush()
    assert views_repo.views_get_many([video.video_id]) == {video.video_id: 4}


def test_trending_ranks_by_views_in_the_window(client, creator, publish_video):
    quiet, busy, gone = (publish_video(creator, title=t) for t in ("quiet", "busy", "gone"))
    for n in range(4):
        _view(busy.video_id, f"b{n}")
        _view(gone.video_id, f"g{n}")
    _view(quiet.video_id, "q")
    services.views_flush()
    services.video_soft_delete(actor=creator, video_id=gone.video_id)
    for days in (1, 7, 30):
        body = client.get("/api/v1/videos/trending", {"intervalDays": days, "limit": 5}).json()
        assert [item["title"] for item in body] == ["busy", "quiet"]
        assert body[0]["views"] == body[0]["viewCount"] == 4
    assert client.get("/api/v1/videos/trending", {"intervalDays": 3}).status_code == 422
    assert client.get("/trending?days=30").status_code == HTTPStatus.OK
