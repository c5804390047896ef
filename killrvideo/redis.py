"""Redis building blocks every app uses: the client, locks, claims, window counters and durable totals.

The Data API has no counters, no `$inc` and no lightweight transactions, so whatever needs atomicity across
processes goes through these (one implementation each). Every key starts with `kvapp:`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import redis
from django.conf import settings
from redis.lock import Lock

PREFIX = "kvapp:"
LOCK_TIMEOUT_SECONDS = 30
LOCK_WAIT_SECONDS = 20
# Counters `totals_set_many` sets per batch of round trips (so no lock is held for long).
TOTALS_BATCH = 500

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def client() -> redis.Redis:
    """One pooled client per Redis URL and process (settings may point tests at another server)."""
    url = settings.REDIS_URL
    existing = _clients.get(url)
    if existing is not None:
        return existing
    with _clients_lock:
        return _clients.setdefault(url, redis.Redis.from_url(url, decode_responses=True))


def key(name: str) -> str:
    return f"{PREFIX}{name}"


# ---- locks --------------------------------------------------------------------------------------------


@contextmanager
def lock(name: str, *, timeout: int = LOCK_TIMEOUT_SECONDS, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """A lock shared by every process; raises redis.LockError when it cannot be had within `wait` seconds."""
    with client().lock(key(f"lock:{name}"), timeout=timeout, blocking_timeout=wait):
        yield


@contextmanager
def try_lock(name: str, *, timeout: int) -> Iterator[bool]:
    """Non-blocking: yields False at once when another process holds the lock (periodic jobs skip a turn)."""
    held = client().lock(key(f"lock:{name}"), timeout=timeout, blocking_timeout=0)
    acquired = bool(held.acquire(blocking=False))
    try:
        yield acquired
    finally:
        if acquired:
            held.release()


# ---- claims (SET NX) ------------------------------------------------------------------------------------


def claim(name: str, value: str, ttl_seconds: int) -> str | None:
    """SET NX EX: None when we won the claim, else the value of whoever holds it."""
    full_key = key(f"claim:{name}")
    for _ in range(3):  # the holder's claim may expire between our SET NX and our GET: then try again
        if client().set(full_key, value, nx=True, ex=ttl_seconds):
            return None
        holder = client().get(full_key)
        if holder is not None:
            return str(holder)
    raise redis.RedisError(f"claim {name!r} could not be settled")


def claim_holder(name: str) -> str | None:
    value = client().get(key(f"claim:{name}"))
    return None if value is None else str(value)


def release_claim(name: str) -> None:
    client().delete(key(f"claim:{name}"))


# ---- counters -------------------------------------------------------------------------------------------


def counter_hit(name: str, ttl_seconds: int) -> int:
    """Count one event; the counter starts at the first event and expires `ttl_seconds` later.

    SET NX EX and INCR run in one MULTI, so the expiry is always set and no increment is lost.
    """
    full_key = key(f"count:{name}")
    pipe = client().pipeline(transaction=True)
    pipe.set(full_key, 0, nx=True, ex=ttl_seconds)
    pipe.incr(full_key)
    _, count = pipe.execute()
    return int(count)


def counter_get(name: str) -> int:
    return int(client().get(key(f"count:{name}")) or 0)


def counter_reset(name: str) -> None:
    client().delete(key(f"count:{name}"))


def window_hit(name: str, window_seconds: int, now: float) -> tuple[int, int]:
    """Fixed-window counter: (count in the current window, seconds until the window ends)."""
    window = int(now // window_seconds)
    count = counter_hit(f"{name}:{window}", window_seconds + 1)
    return count, window_seconds - int(now) % window_seconds


# ---- durable totals -------------------------------------------------------------------------------------


def _total_key(name: str) -> str:
    return key(f"total:{name}")


def total_get(name: str, load: Callable[[], int | None]) -> int:
    """The Redis counter; after a Redis loss it is seeded (SET NX) from the durable copy that `load` reads."""
    r = client()
    value = r.get(_total_key(name))
    if value is not None:
        return int(value)
    durable = load() or 0
    r.set(_total_key(name), durable, nx=True)
    return int(r.get(_total_key(name)) or durable)


def total_change(name: str, delta: int, load: Callable[[], int | None], persist: Callable[[int], None]) -> int:
    """INCRBY, then write the new absolute value through with `persist`, serialised per key so the durable
    copy is always the latest value, never an older one written late."""
    with lock(f"total:{name}"):
        total_get(name, load)
        value = max(0, int(client().incrby(_total_key(name), delta)))
        persist(value)
        return value


def total_set(name: str, value: int, persist: Callable[[int], None]) -> None:
    with lock(f"total:{name}"):
        client().set(_total_key(name), value)
        persist(value)


def totals_set_many(values: Sequence[tuple[str, int]]) -> None:
    """Absolute values for many counters (bulk rebuilds, which write the durable copies together afterwards),
    each set under its counter's lock as `total_set` sets it, a batch at a time: one round trip tries all their
    locks (SET NX PX, as the locks of `lock` are taken), one sets the values under the locks won, one releases
    them (the locks' own check-and-delete). A counter whose lock is held elsewhere is then set by `total_set`,
    which waits for it. A name given twice ends at its last value, as when they are set one after the other."""
    latest = dict(values)
    names = list(latest)
    busy: list[str] = []
    r = client()
    release = r.register_script(Lock.LUA_RELEASE_SCRIPT)
    for start in range(0, len(names), TOTALS_BATCH):
        batch = names[start : start + TOTALS_BATCH]
        token = uuid.uuid4().hex
        tries = r.pipeline(transaction=False)
        for name in batch:
            tries.set(key(f"lock:total:{name}"), token, nx=True, px=LOCK_TIMEOUT_SECONDS * 1000)
        won = [name for name, acquired in zip(batch, tries.execute(), strict=True) if acquired]
        held = set(won)
        busy.extend(name for name in batch if name not in held)
        try:
            sets = r.pipeline(transaction=False)
            for name in won:
                sets.set(_total_key(name), latest[name])
            sets.execute()
        finally:
            releases = r.pipeline(transaction=False)
            for name in won:
                release(keys=[key(f"lock:total:{name}")], args=[token], client=releases)
            releases.execute()
    for name in busy:
        total_set(name, latest[name], _nothing_to_persist)


def _nothing_to_persist(value: int) -> None:
    """`totals_set_many`'s callers write the durable copies themselves."""
