"""Community's counters: Redis first (killrvideo.redis totals), written through to `community_totals` and
`community_buckets`, so they survive a Redis loss. One implementation for comments and activity."""

from __future__ import annotations

from community.repositories import counts as repo
from killrvideo import redis


def bucket_counter(scope: str, bucket: int) -> str:
    """The Redis name of one bucket's row count."""
    return f"bucket:{scope}:{bucket}"


def total_get(name: str) -> int:
    return redis.total_get(name, lambda: repo.total_get(name))


def total_change(name: str, delta: int) -> int:
    return redis.total_change(name, delta, lambda: repo.total_get(name), lambda value: repo.total_put(name, value))


def bucket_change(scope: str, bucket: int, delta: int) -> None:
    redis.total_change(
        bucket_counter(scope, bucket),
        delta,
        lambda: repo.bucket_get(scope, bucket),
        lambda value: repo.bucket_put(scope, bucket, value),
    )
