"""Bulk writes of the durable copies of community counters (`community_buckets`, `community_totals`), for
imports that rebuild many counts at once (one `insert_many` per table instead of a request per count)."""

from __future__ import annotations

from collections.abc import Sequence

from killrvideo.astra import get_table


def counts_put_many(buckets: Sequence[tuple[str, int, int]], totals: Sequence[tuple[str, int]]) -> None:
    """(scope, bucket, rows) and (key, total) rows; a bucket with no rows left is deleted."""
    filled = [{"scope": scope, "bucket": bucket, "total": n} for scope, bucket, n in buckets if n > 0]
    if filled:
        get_table("community_buckets").insert_many(filled, chunk_size=50, concurrency=4)
    for scope, bucket, n in buckets:
        if n <= 0:
            get_table("community_buckets").delete_one({"scope": scope, "bucket": bucket})
    rows = [{"key": key, "total": total} for key, total in totals]
    if rows:
        get_table("community_totals").insert_many(rows, chunk_size=50, concurrency=4)
