"""The durable copies of community counters: per-bucket row counts (`community_buckets`) and totals
(`community_totals`), shared by comments and activity; plus bulk writes for imports that rebuild many counts
at once (one `insert_many` per table instead of a request per count).

Reads of a scope's bucket counts are cached (`killrvideo.cache`) under the scope's version, which every write
of its bucket rows below bumps once the write has landed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from killrvideo import cache
from killrvideo.astra import get_table


def _buckets_scope(scope: str) -> str:
    return f"community-buckets:{scope}"


def counts_put_many(buckets: Sequence[tuple[str, int, int]], totals: Sequence[tuple[str, int]]) -> None:
    """(scope, bucket, rows) and (key, total) rows; a bucket with no rows left is deleted."""
    filled = [{"scope": scope, "bucket": bucket, "total": n} for scope, bucket, n in buckets if n > 0]
    if filled:
        get_table("community_buckets").insert_many(filled, chunk_size=50, concurrency=4)
    for scope, bucket, n in buckets:
        if n <= 0:
            get_table("community_buckets").delete_one({"scope": scope, "bucket": bucket})
    cache.changed(*{_buckets_scope(scope) for scope, _, _ in buckets})
    rows = [{"key": key, "total": total} for key, total in totals]
    if rows:
        get_table("community_totals").insert_many(rows, chunk_size=50, concurrency=4)


def buckets_read(scope: str, limit: int, *, at_most: int | None = None) -> list[tuple[int, int]]:
    """(bucket, rows in it) of one list, newest bucket first; `at_most` starts at that block (a range read)."""

    def read() -> list[tuple[int, int]]:
        filter_: dict[str, Any] = {"scope": scope}
        if at_most is not None:
            filter_["bucket"] = {"$lte": at_most}
        rows = get_table("community_buckets").find(filter_, limit=limit)
        return [(int(row["bucket"]), int(row.get("total") or 0)) for row in rows]

    return cache.cached(f"community-buckets:{scope}:{limit}:{at_most}", [_buckets_scope(scope)], read)


def bucket_get(scope: str, bucket: int) -> int | None:
    row = get_table("community_buckets").find_one({"scope": scope, "bucket": bucket})
    return int(row.get("total") or 0) if row else None


def bucket_put(scope: str, bucket: int, total: int) -> None:
    table = get_table("community_buckets")
    if total > 0:
        table.insert_one({"scope": scope, "bucket": bucket, "total": total})
    else:
        table.delete_one({"scope": scope, "bucket": bucket})
    cache.changed(_buckets_scope(scope))


def total_get(key: str) -> int | None:
    row = get_table("community_totals").find_one({"key": key})
    return int(row.get("total") or 0) if row else None


def total_put(key: str, total: int) -> None:
    get_table("community_totals").insert_one({"key": key, "total": total})
