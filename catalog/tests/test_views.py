"""View counting: exact under concurrency, deduplicated per viewer, never the owner; flush; trending."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

from django.test import Client

from accounts.domain import AnonymousUser
from accounts.tests.factories import api_headers
from catalog import services
from catalog.repositories import view_counters
from catalog.repositories import views as views_repo
from catalog.services import viewcounts
from killrvideo import redis


def _view(video_id, viewer: str, ip: str | None = None) -> bool:
    """An anonymous viewer holding the viewer id we issued, each on their own address unless given."""
    return services.video_view_record(
        video_id=video_id, actor=AnonymousUser(), viewer_id=viewer, ip=ip or f"ip-of-{viewer}"
    )


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


def test_watch_page_counts_a_returning_viewer_once_and_creates_no_session(client, creator, publish_video):
    video = publish_video(creator)
    sessions_before = len(redis.client().keys("kv:*session*"))
    for _ in range(3):
        response = client.get(f"/watch/{video.video_id}")
        assert response.status_code == HTTPStatus.OK
        assert "sessionid" not in response.cookies
    assert services.video_get(video_id=video.video_id).views == 1
    assert len(redis.client().keys("kv:*session*")) == sessions_before


def test_cookieless_watch_requests_count_once_per_address(creator, publish_video):
    video = publish_video(creator)
    for _ in range(50):
        assert Client().get(f"/watch/{video.video_id}").status_code == HTTPStatus.OK
    assert services.video_get(video_id=video.video_id).views == 1


def test_forged_viewer_and_session_cookies_do_not_count_as_new_viewers(creator, publish_video):
    video = publish_video(creator)
    url = f"/api/v1/videos/id/{video.video_id}/view"
    for n in range(50):
        forged = Client()
        forged.cookies["sessionid"] = f"made-up-session-{n}"
        forged.cookies["kv_viewer"] = f"{n:032x}"  # unsigned: not one we issued
        assert forged.post(url).status_code == HTTPStatus.NO_CONTENT
    assert services.video_get(video_id=video.video_id).views == 1


def test_issued_viewer_ids_from_one_address_are_capped(creator, publish_video, settings):
    """Fresh viewer ids are free to get, so one address only adds CATALOG_ANON_VIEWS_PER_IP views per window."""
    settings.CATALOG_ANON_VIEWS_PER_IP = 3
    video = publish_video(creator)
    counted = [_view(video.video_id, f"id-{n}", ip="203.0.113.9") for n in range(10)]
    assert sum(counted) == 3
    assert _view(video.video_id, "someone-else", ip="198.51.100.1")


def test_flush_retry_never_double_counts(creator, publish_video):
    video = publish_video(creator)
    for n in range(5):
        _view(video.video_id, f"v{n}")
    batch = view_counters.views_take_batch()  # a flush that took its batch, then crashed before finishing
    assert batch
    assert services.views_flush() == len(batch)  # the retry takes the same batch again
    assert services.views_flush() == 0
    assert views_repo.views_get_many([video.video_id]) == {video.video_id: 5}


def test_counts_survive_a_redis_loss(creator, publish_video):
    video = publish_video(creator)
    for n in range(3):
        _view(video.video_id, f"before-{n}")
    services.views_flush()
    redis.client().delete(view_counters.VIEWS_TOTAL, *redis.client().keys("kvapp:views:day:*"))
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


def test_all_time_ranking_is_kept_by_the_flush_and_shown_on_trending(client, creator, publish_video):
    quiet, busy, gone = (publish_video(creator, title=t) for t in ("quiet", "busy", "gone"))
    for n in range(3):
        _view(busy.video_id, f"b{n}")
        _view(gone.video_id, f"g{n}")
    _view(quiet.video_id, "q")
    services.views_flush()
    _view(quiet.video_id, "q2")
    services.views_flush()  # quiet's row moves from 1 to 2 views: the stale row is gone
    assert views_repo.alltime_read(limit=10) == sorted(
        [(busy.video_id, 3), (gone.video_id, 3), (quiet.video_id, 2)], key=lambda r: (-r[1], str(r[0]))
    )
    services.video_soft_delete(actor=creator, video_id=gone.video_id)
    assert [(s.name, n) for s, n in services.trending_alltime(limit=5)] == [("busy", 3), ("quiet", 2)]
    html = client.get("/trending?days=all").content.decode()
    assert 0 < html.index("busy</a>") < html.index("quiet</a>")
    assert 'aria-current="page">All time<' in html
    assert "3 views" in html


def test_empty_window_falls_back_to_all_time_and_says_so(client, creator, publish_video):
    """Imported view counts never reach the 1/7/30-day windows: Trending shows the all-time ranking."""
    video = publish_video(creator, title="Imported favourite")
    viewcounts.alltime_merge({video.video_id: 1234})  # as the importer seeds it
    html = client.get("/trending?days=7").content.decode()
    assert "No views were counted this week" in html
    assert "Imported favourite" in html
    home = client.get("/").content.decode()
    assert "Most viewed" in home


def test_all_time_ranking_stays_bounded(creator, publish_video):
    import uuid

    viewcounts.alltime_merge({uuid.uuid4(): n for n in range(1, viewcounts.ALLTIME_KEEP + 6)})
    kept = views_repo.alltime_read(limit=viewcounts.ALLTIME_KEEP * 2)
    assert len(kept) == viewcounts.ALLTIME_KEEP
    assert kept[0][1] == viewcounts.ALLTIME_KEEP + 5
    assert kept[-1][1] == 6
