"""Rating aggregates in Redis: one hash {count, sum} per video and one for the whole site.

Changes are HINCRBYs of both fields in one MULTI, so concurrent ratings never lose an update and a reader
never sees a count without its sum. A hash missing after a Redis loss is seeded from the durable copy with
HSETNX in the same MULTI as the increment (concurrent seeders agree; an increment is never overwritten).
Built on `killrvideo.redis` (client, key, lock).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from killrvideo import redis

Pair = tuple[int, int]  # (count, sum)
SITE = "site"


def _key(scope: str) -> str:
    return redis.key(f"ratings:{scope}")


def video_scope(video_id: uuid.UUID) -> str:
    return f"video:{video_id}"


def _pair(values: Sequence[bytes | str | None]) -> Pair | None:
    count, total = values
    if count is None or total is None:
        return None
    return int(count), int(total)


def aggregate_change(scope: str, count_delta: int, sum_delta: int, load: Callable[[], Pair | None]) -> Pair:
    """Apply the deltas atomically; the (count, sum) after them."""
    r = redis.client()
    full_key = _key(scope)
    seed = None if r.exists(full_key) else (load() or (0, 0))
    pipe = r.pipeline(transaction=True)
    if seed is not None:
        pipe.hsetnx(full_key, "count", seed[0])
        pipe.hsetnx(full_key, "sum", seed[1])
    pipe.hincrby(full_key, "count", count_delta)
    pipe.hincrby(full_key, "sum", sum_delta)
    *_, count, total = pipe.execute()
    return int(count), int(total)


def aggregate_get(scope: str) -> Pair | None:
    return _pair(redis.client().hmget(_key(scope), ["count", "sum"]))


def aggregates_get_many(scopes: Sequence[str]) -> dict[str, Pair]:
    """One round trip for a page of cards (a pipeline of HMGETs)."""
    if not scopes:
        return {}
    pipe = redis.client().pipeline(transaction=False)
    for scope in scopes:
        pipe.hmget(_key(scope), ["count", "sum"])
    found = {scope: _pair(values) for scope, values in zip(scopes, pipe.execute(), strict=True)}
    return {scope: pair for scope, pair in found.items() if pair is not None}


def aggregates_seed_many(pairs: Mapping[str, Pair]) -> None:
    if not pairs:
        return
    pipe = redis.client().pipeline(transaction=False)
    for scope, (count, total) in pairs.items():
        pipe.hsetnx(_key(scope), "count", count)
        pipe.hsetnx(_key(scope), "sum", total)
    pipe.execute()


def aggregates_set_many(pairs: Mapping[str, Pair]) -> None:
    """Absolute values (rebuilds): both fields of each hash in one HSET, so no reader sees half of one."""
    if not pairs:
        return
    pipe = redis.client().pipeline(transaction=False)
    for scope, (count, total) in pairs.items():
        pipe.hset(_key(scope), mapping={"count": count, "sum": total})
    pipe.execute()


def aggregates_forget(scopes: Sequence[str]) -> None:
    if scopes:
        redis.client().delete(*[_key(scope) for scope in scopes])


@contextmanager
def write_through_lock(scope: str) -> Iterator[None]:
    """Serialises the durable writes of one aggregate: each writes the value it reads under the lock, so a
    later write never carries an older value than an earlier one."""
    with redis.lock(f"ratings-durable:{scope}"):
        yield
