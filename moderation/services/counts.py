"""Moderation's counters: Redis first (killrvideo.redis totals, atomic INCRBY), written through to
`moderation_totals`, `flag_queue_buckets` and `audit_days`, so they survive a Redis loss.

- queue: per (status, kind) a total and a count per month bucket (kind = "all" or the content type);
- audit log: a total and a count per day.
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


def _audit_day_change(day: str, delta: int) -> None:
    redis.total_change(
        f"moderation:audit_day:{AUDIT_SCOPE}:{day}",
        delta,
        lambda: repo.audit_day_get(AUDIT_SCOPE, day),
        lambda value: repo.audit_day_put(AUDIT_SCOPE, day, value),
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


def audit_appended(created_at_day: str) -> None:
    _together([partial(_total_change, f"audit:{AUDIT_SCOPE}", +1), partial(_audit_day_change, created_at_day, +1)])


def audit_total() -> int:
    return total_get(f"audit:{AUDIT_SCOPE}")
