"""Redis: atomic counters, claims and locks (the Data API has no counters, no LWT, no count).

Keys use the "kvapp:" prefix. Counters that must survive a Redis loss are written through to Astra under a
per-key lock, so the durable copy is always the latest value, never an older one written late.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
from django.conf import settings

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()

LOCK_TIMEOUT_SECONDS = 30


def client() -> redis.Redis:
    url = settings.REDIS_URL
    existing = _clients.get(url)
    if existing is not None:
        return existing
    with _clients_lock:
        return _clients.setdefault(url, redis.Redis.from_url(url, decode_responses=True))


@contextmanager
def video_lock(video_id: uuid.UUID) -> Iterator[None]:
    """Serialises every mutation of one video (process, edit, delete, restore) across processes."""
    with client().lock(f"kvapp:lock:video:{video_id}", timeout=LOCK_TIMEOUT_SECONDS, blocking_timeout=20):
        yield


def claim(key: str, value: str, ttl_seconds: int) -> str | None:
    """SET NX: None when we won the claim, else the value of whoever holds it."""
    full_key = f"kvapp:claim:{key}"
    if client().set(full_key, value, nx=True, ex=ttl_seconds):
        return None
    return client().get(full_key)


def release_claim(key: str) -> None:
    client().delete(f"kvapp:claim:{key}")


# ---- totals -------------------------------------------------------------------------------


def _total_key(key: str) -> str:
    return f"kvapp:total:{key}"


def total_get(key: str, load: Callable[[], int | None]) -> int:
    """The Redis counter; after a Redis loss it is seeded (SET NX) from the durable copy."""
    value = client().get(_total_key(key))
    if value is not None:
        return int(value)
    durable = load() or 0
    client().set(_total_key(key), durable, nx=True)
    return int(client().get(_total_key(key)) or durable)


def total_change(key: str, delta: int, load: Callable[[], int | None], persist: Callable[[int], None]) -> int:
    """INCRBY, then write the new absolute value through to Astra, serialised per key."""
    with client().lock(f"kvapp:lock:total:{key}", timeout=LOCK_TIMEOUT_SECONDS, blocking_timeout=20):
        total_get(key, load)
        value = max(0, int(client().incrby(_total_key(key), delta)))
        persist(value)
        return value


def total_set(key: str, value: int, persist: Callable[[int], None]) -> None:
    with client().lock(f"kvapp:lock:total:{key}", timeout=LOCK_TIMEOUT_SECONDS, blocking_timeout=20):
        client().set(_total_key(key), value)
        persist(value)


# ---- views ---------------------------------------------------------------------------------

VIEWS_TOTAL = "kvapp:views:total"
VIEWS_DIRTY = "kvapp:views:dirty"
VIEWS_FLUSHING = "kvapp:views:flushing"
DAY_TTL_SECONDS = 40 * 24 * 3600


def _day_hash(day: str) -> str:
    return f"kvapp:views:day:{day}"


def view_claim(video_id: uuid.UUID, viewer: str, window_seconds: int) -> bool:
    """True the first time this viewer is seen for this video inside the window (SET NX EX)."""
    return bool(client().set(f"kvapp:viewed:{video_id}:{viewer}", 1, nx=True, ex=window_seconds))


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
    return {vid: int(n) for vid, n in client().hgetall(_day_hash(day)).items()}


def views_day_values(day: str, video_ids: list[str]) -> list[int | None]:
    return [None if v is None else int(v) for v in client().hmget(_day_hash(day), video_ids)]


def views_take_batch() -> set[str]:
    """The pending (video|day) pairs. A batch left by a failed flush is taken again first (idempotent retry)."""
    r = client()
    if not r.exists(VIEWS_FLUSHING):
        try:
            r.renamenx(VIEWS_DIRTY, VIEWS_FLUSHING)
        except redis.ResponseError:  # no pending views at all
            return set()
    return set(r.smembers(VIEWS_FLUSHING))


def views_batch_done() -> None:
    client().delete(VIEWS_FLUSHING)


@contextmanager
def flush_lock() -> Iterator[bool]:
    lock = client().lock("kvapp:lock:views-flush", timeout=300, blocking_timeout=0)
    acquired = lock.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            lock.release()
