"""View counters in Redis: pending totals and per-day counts, per-viewer dedupe, the flush batch.

The Data API has no counters, so views are Redis HINCRBYs that the flush task writes to Astra as absolute
values. Built on the shared blocks in `killrvideo.redis`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis as redis_lib

from killrvideo.redis import claim, client, try_lock

VIEWS_TOTAL = "kvapp:views:total"
VIEWS_DIRTY = "kvapp:views:dirty"
VIEWS_FLUSHING = "kvapp:views:flushing"
DAY_TTL_SECONDS = 40 * 24 * 3600


def _day_hash(day: str) -> str:
    return f"kvapp:views:day:{day}"


def view_claim(video_id: uuid.UUID, viewer: str, window_seconds: int) -> bool:
    """True the first time this viewer is seen for this video inside the window (SET NX EX)."""
    return claim(f"viewed:{video_id}:{viewer}", "1", window_seconds) is None


def views_seeded(video_id: uuid.UUID, day: str) -> tuple[bool, bool]:
    pipe = client().pipeline(transaction=False)
    pipe.hexists(VIEWS_TOTAL, str(video_id))
    pipe.hexists(_day_hash(day), str(video_id))
    total, daily = pipe.execute()
    return bool(total), bool(daily)


def views_seed(video_id: uuid.UUID, day: str, *, total: int | None, daily: int | None) -> None:
    """HSETNX: concurrent seeders agree on the durable value; increments are never overwritten."""
    pipe = client().pipeline(transaction=False)
    if total is not None:
        pipe.hsetnx(VIEWS_TOTAL, str(video_id), total)
    if daily is not None:
        pipe.hsetnx(_day_hash(day), str(video_id), daily)
    pipe.execute()


def views_seed_many(totals: dict[uuid.UUID, int]) -> None:
    pipe = client().pipeline(transaction=False)
    for video_id, total in totals.items():
        pipe.hsetnx(VIEWS_TOTAL, str(video_id), total)
    pipe.execute()


def views_increment(video_id: uuid.UUID, day: str) -> None:
    pipe = client().pipeline(transaction=True)
    pipe.hincrby(VIEWS_TOTAL, str(video_id), 1)
    pipe.hincrby(_day_hash(day), str(video_id), 1)
    pipe.expire(_day_hash(day), DAY_TTL_SECONDS)
    pipe.sadd(VIEWS_DIRTY, f"{video_id}|{day}")
    pipe.execute()


def views_totals(video_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not video_ids:
        return {}
    values = client().hmget(VIEWS_TOTAL, [str(v) for v in video_ids])
    return {vid: int(value) for vid, value in zip(video_ids, values, strict=True) if value is not None}


def views_forget(video_ids: list[uuid.UUID]) -> None:
    """Drop cached totals so the next view re-seeds from Astra (used by the importer)."""
    if video_ids:
        client().hdel(VIEWS_TOTAL, *[str(v) for v in video_ids])


def views_day_counts(day: str) -> dict[str, int]:
    return {str(vid): int(n) for vid, n in client().hgetall(_day_hash(day)).items()}


def views_day_values(day: str, video_ids: list[str]) -> list[int | None]:
    return [None if v is None else int(v) for v in client().hmget(_day_hash(day), video_ids)]


def views_take_batch() -> set[str]:
    """The pending (video|day) pairs. A batch left by a failed flush is taken again first (idempotent retry)."""
    r = client()
    if not r.exists(VIEWS_FLUSHING):
        try:
            r.renamenx(VIEWS_DIRTY, VIEWS_FLUSHING)
        except redis_lib.ResponseError:  # no pending views at all
            return set()
    return {str(member) for member in r.smembers(VIEWS_FLUSHING)}


def views_batch_done() -> None:
    client().delete(VIEWS_FLUSHING)


@contextmanager
def flush_lock() -> Iterator[bool]:
    with try_lock("views-flush", timeout=300) as acquired:
        yield acquired
