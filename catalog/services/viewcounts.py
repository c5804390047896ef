"""View counting, the flush to Astra, and trending.

A view counts once per viewer (user, signed anonymous viewer id, or address) per video per 30 minutes (Redis
SET NX EX), never for the owner, and anonymous views are capped per address. Counting is a Redis HINCRBY, so
concurrent views are never lost. A periodic task writes the *absolute* counters to Astra; re-running a flush
after a failure rewrites the same values.

Trending lists are cached (`killrvideo.cache`) under `RANKINGS`, bumped after each flush has written the
rankings, and under every video's version (a video made private leaves them at once); counters stay live.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from django.conf import settings

from accounts import permissions
from accounts.permissions import Actor
from catalog import signals
from catalog.domain import Video, VideoSummary, day_key, utcnow
from catalog.repositories import videos as videos_repo
from catalog.repositories import view_counters
from catalog.repositories import views as repo
from catalog.services.counters import with_counters
from catalog.services.listings import summary_of
from catalog.services.videos import video_find
from killrvideo import cache, redis
from killrvideo.errors import NotFound, ValidationFailed

logger = logging.getLogger(__name__)

TRENDING_INTERVALS = (1, 7, 30)
# Videos kept in the all-time ranking (`videos_by_views_alltime`): bounded, so a flush rewrites <= this many rows.
ALLTIME_KEEP = 100
RANKINGS = "rankings"  # cache scope: the daily and all-time rankings


def _viewer_keys(actor: Actor, viewer_id: str | None, issued_now: bool, ip: str) -> list[str]:
    """Dedupe keys that must all be new for a view to count: the user; else the viewer id we issued (signed,
    so it cannot be made up) and, when it was issued just now (a cookieless client), the client's address as
    well, so dropping the cookie on every request does not make every request a new viewer."""
    if permissions.is_signed_in(actor):
        return [f"u:{actor.user_id}"]
    keys = [f"a:{viewer_id}"] if viewer_id else []
    if issued_now or not viewer_id:
        keys.append(f"ip:{_digest(ip)}")
    return keys


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _within_anonymous_budget(video_id: uuid.UUID, ip: str) -> bool:
    """Each address adds at most CATALOG_ANON_VIEWS_PER_IP anonymous views of one video per window: new
    viewer ids are free to get (clear the cookie), so they alone cannot be the limit."""
    window = int(settings.CATALOG_VIEW_DEDUPE_SECONDS)
    count = redis.counter_hit(f"anon-views:{video_id}:{_digest(ip)}", window)
    return count <= int(settings.CATALOG_ANON_VIEWS_PER_IP)


def video_view_record(
    *, video_id: uuid.UUID, actor: Actor, viewer_id: str | None, ip: str, issued_now: bool = False
) -> bool:
    """Count a view of a public video; True when it counted (first in the window, not the owner)."""
    video = video_find(video_id=video_id)
    if video is None or not video.is_public:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    if actor.user_id == video.user_id:
        return False
    window = int(settings.CATALOG_VIEW_DEDUPE_SECONDS)
    for key in _viewer_keys(actor, viewer_id, issued_now, ip):
        if not view_counters.view_claim(video_id, key, window):
            return False
    if not permissions.is_signed_in(actor) and not _within_anonymous_budget(video_id, ip):
        return False
    day = day_key(utcnow())
    _seed(video_id, day)
    view_counters.views_increment(video_id, day)
    signals.view_counted.send(sender=Video, video=video, user_id=actor.user_id)
    return True


def _seed(video_id: uuid.UUID, day: str) -> None:
    """After a Redis restart the counters start from the durable values, not from zero."""
    has_total, has_daily = view_counters.views_seeded(video_id, day)
    if has_total and has_daily:
        return
    total = None if has_total else repo.views_get_many([video_id]).get(video_id, 0)
    daily = None if has_daily else (repo.views_day_get(video_id, day) or 0)
    view_counters.views_seed(video_id, day, total=total, daily=daily)


def views_flush() -> int:
    """Write the counters touched since the last flush; returns how many (video, day) pairs were written."""
    with view_counters.flush_lock() as acquired:
        if not acquired:
            return 0
        batch = view_counters.views_take_batch()
        if not batch:
            return 0
        _write_batch(batch)
        view_counters.views_batch_done()
    logger.info("Flushed %d view counters", len(batch))
    return len(batch)


def _write_batch(batch: set[str]) -> None:
    by_day: dict[str, list[uuid.UUID]] = defaultdict(list)
    for member in batch:
        video_id, day = member.split("|", 1)
        by_day[day].append(uuid.UUID(video_id))
    video_ids = list({vid for ids in by_day.values() for vid in ids})
    totals = view_counters.views_totals(video_ids)
    repo.views_put_many(totals)
    alltime_merge(totals)
    rows: list[tuple[uuid.UUID, str, int]] = []
    for day, ids in by_day.items():
        values = view_counters.views_day_values(day, [str(v) for v in ids])
        rows.extend((vid, day, n) for vid, n in zip(ids, values, strict=True) if n is not None)
    repo.views_by_day_put_many(rows)
    for day in by_day:
        _recompute_trending_day(day)
    cache.changed(RANKINGS)


def _recompute_trending_day(day: str) -> None:
    keep = int(settings.CATALOG_TRENDING_PER_DAY)
    counts = view_counters.views_day_counts(day)
    top = sorted(((uuid.UUID(v), n) for v, n in counts.items()), key=lambda item: (-item[1], str(item[0])))[:keep]
    previous = repo.trending_day_read(day, limit=keep * 4)
    repo.trending_day_replace(day, top, previous)


def alltime_merge(totals: dict[uuid.UUID, int]) -> None:
    """Fold new absolute totals into the all-time top list (the flush, and the importer's seed).

    Reads the whole ranking (one bounded partition), merges, writes back the top `ALLTIME_KEEP`. Callers hold
    the flush lock or run alone (the import), so two merges never interleave; a retry rewrites the same rows.
    """
    if not totals:
        return
    previous = repo.alltime_read(limit=ALLTIME_KEEP * 2)
    merged: dict[uuid.UUID, int] = {}
    for video_id, views in previous:
        merged[video_id] = max(views, merged.get(video_id, 0))  # a crash mid-replace can leave an old copy
    merged.update(totals)
    top = sorted(merged.items(), key=lambda item: (-item[1], str(item[0])))[:ALLTIME_KEEP]
    repo.alltime_replace(top, previous)
    cache.changed(RANKINGS)


def trending_alltime(*, limit: int = 10) -> list[tuple[VideoSummary, int]]:
    """The most viewed public videos overall: the top rows of the all-time ranking, no scan, no sort."""
    if not 1 <= limit <= 10:
        raise ValidationFailed.for_field("limit", "limit must be between 1 and 10.")
    ranked = cache.cached(
        f"alltime:{limit}",
        [RANKINGS, videos_repo.ANY_VIDEO],
        lambda: _public_ranked(repo.alltime_read(limit=limit * 3), limit),
    )
    return _with_counters(ranked)


def _public_ranked(ranked: list[tuple[uuid.UUID, int]], limit: int) -> list[tuple[VideoSummary, int]]:
    videos = videos_repo.videos_get_many([vid for vid, _ in ranked])
    return [(summary_of(videos[vid]), n) for vid, n in ranked if vid in videos and videos[vid].is_public][:limit]


def _with_counters(ranked: list[tuple[VideoSummary, int]]) -> list[tuple[VideoSummary, int]]:
    summaries = with_counters([summary for summary, _ in ranked])
    return list(zip(summaries, [n for _, n in ranked], strict=True))


def trending(*, interval_days: int, limit: int = 10) -> list[tuple[VideoSummary, int]]:
    """Top public videos by views over the last 1/7/30 days: <= 30 small partitions, summed here."""
    if interval_days not in TRENDING_INTERVALS:
        raise ValidationFailed.for_field("intervalDays", "intervalDays must be 1, 7 or 30.")
    if not 1 <= limit <= 10:
        raise ValidationFailed.for_field("limit", "limit must be between 1 and 10.")
    now = utcnow()
    days = [day_key(now - timedelta(days=offset)) for offset in range(interval_days)]
    name = f"trending:{days[0]}:{interval_days}:{limit}"
    return _with_counters(cache.cached(name, [RANKINGS, videos_repo.ANY_VIDEO], lambda: _trending(days, limit)))


def _trending(days: list[str], limit: int) -> list[tuple[VideoSummary, int]]:
    best: dict[tuple[str, uuid.UUID], int] = {}
    for day, video_id, views in repo.trending_days_read(days, int(settings.CATALOG_TRENDING_PER_DAY)):
        best[(day, video_id)] = max(views, best.get((day, video_id), 0))
    window: dict[uuid.UUID, int] = defaultdict(int)
    for (_, video_id), views in best.items():
        window[video_id] += views
    ranked = sorted(window.items(), key=lambda item: (-item[1], str(item[0])))[: limit * 3]
    return _public_ranked(ranked, limit)
