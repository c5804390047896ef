"""Moderation's counters: Redis first (killrvideo.redis totals, atomic INCRBY), written through to
`moderation_totals`, `flag_queue_buckets` and `audit_days`, so they survive a Redis loss.

- queue: per (status, kind) a total and a count per month bucket (kind = "all" or the content type);
- day-partitioned listings, newest first: per scope a total and a count per day. Scopes: the whole audit log
  ("all"), one actor's entries ("actor:<id>") and one reporter's reports ("reporter:<id>").
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from killrvideo import redis
from moderation.domain import Case, FlagStatus, month_bucket
from moderation.repositories import counts as repo
from moderation.repositories.flags import ALL, queue_kinds

AUDIT_SCOPE = "all"


def actor_scope(actor_id: object) -> str:
    return f"actor:{actor_id}"


def reporter_scope(user_id: object) -> str:
    return f"reporter:{user_id}"


# A status change moves up to eight counters: each is a lock and a Data API write, so they go out together.
_writers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="moderation-counts")


def queue_scope(status: FlagStatus, kind: str = ALL) -> str:
    return f"{status.value}:{kind}"


def _total_change(key: str, delta: int) -> None:
    redis.total_change(
        f"moderation:{key}", delta, lambda: repo.total_get(key), lambda value: repo.total_put(key, value)
    )


def total_get(key: str) -> int:
    return redis.total_get(f"moderation:{key}", lambda: repo.total_get(key))


def _queue_bucket_change(scope: str, bucket: str, delta: int) -> None:
    redis.total_change(
        f"moderation:queue_bucket:{scope}:{bucket}",
        delta,
        lambda: repo.queue_bucket_get(scope, bucket),
        lambda value: repo.queue_bucket_put(scope, bucket, value),
    )


def _day_change(scope: str, day: str, delta: int) -> None:
    redis.total_change(
        f"moderation:audit_day:{scope}:{day}",
        delta,
        lambda: repo.audit_day_get(scope, day),
        lambda value: repo.audit_day_put(scope, day, value),
    )


def _together(calls: list[Callable[[], None]]) -> None:
    futures = [_writers.submit(call) for call in calls]
    for future in futures:
        future.result()


def _queue_calls(case: Case, delta: int) -> list[Callable[[], None]]:
    calls: list[Callable[[], None]] = []
    for kind in queue_kinds(case):
        scope = queue_scope(case.status, kind)
        calls.append(partial(_total_change, f"queue:{scope}", delta))
        calls.append(partial(_queue_bucket_change, scope, month_bucket(case.first_reported_at), delta))
    return calls


def queue_entered(case: Case) -> None:
    _together(_queue_calls(case, +1))


def queue_moved(old: Case, new: Case) -> None:
    """A case changed status: one out of the old queue, one into the new one."""
    _together([*_queue_calls(old, -1), *_queue_calls(new, +1)])


def queue_total(status: FlagStatus, kind: str = ALL) -> int:
    return total_get(f"queue:{queue_scope(status, kind)}")


def day_listing_appended(day: str, *scopes: str) -> None:
    """One row more in each scope's listing on that day (its total and its day's count)."""
    calls: list[Callable[[], None]] = []
    for scope in scopes:
        calls.append(partial(_total_change, f"audit:{scope}", +1))
        calls.append(partial(_day_change, scope, day, +1))
    _together(calls)


def day_listing_total(scope: str) -> int:
    return total_get(f"audit:{scope}")
