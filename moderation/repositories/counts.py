"""Durable copies of moderation's counters: per-month queue counts, per-day audit counts and totals."""

from __future__ import annotations

from typing import Any

from killrvideo.astra import get_table


def _buckets_read(
    table: str, column: str, scope: str, limit: int, beyond: dict[str, str] | None
) -> list[tuple[str, int]]:
    """One scope's buckets in clustering order; `beyond` ({"$gt": b} or {"$lt": b}) continues after bucket b."""
    filter_: dict[str, Any] = {"scope": scope}
    if beyond:
        filter_[column] = beyond
    rows = get_table(table).find(filter_, limit=limit)
    return [(str(row[column]), int(row.get("total") or 0)) for row in rows]


def _bucket_get(table: str, column: str, scope: str, bucket: str) -> int | None:
    row = get_table(table).find_one({"scope": scope, column: bucket})
    return int(row.get("total") or 0) if row else None


def _bucket_put(table: str, column: str, scope: str, bucket: str, total: int) -> None:
    key: dict[str, Any] = {"scope": scope, column: bucket}
    if total > 0:
        get_table(table).insert_one({**key, "total": total})
    else:
        get_table(table).delete_one(key)


def queue_buckets_read(scope: str, limit: int, *, after: str | None = None) -> list[tuple[str, int]]:
    """(month, cases) of one queue, oldest month first (months later than `after`, when given)."""
    return _buckets_read("flag_queue_buckets", "bucket", scope, limit, {"$gt": after} if after else None)


def queue_bucket_get(scope: str, bucket: str) -> int | None:
    return _bucket_get("flag_queue_buckets", "bucket", scope, bucket)


def queue_bucket_put(scope: str, bucket: str, total: int) -> None:
    _bucket_put("flag_queue_buckets", "bucket", scope, bucket, total)


def audit_days_read(scope: str, limit: int, *, before: str | None = None) -> list[tuple[str, int]]:
    """(day, entries) of the audit log, newest day first (days earlier than `before`, when given)."""
    return _buckets_read("audit_days", "day", scope, limit, {"$lt": before} if before else None)


def audit_day_get(scope: str, day: str) -> int | None:
    return _bucket_get("audit_days", "day", scope, day)


def audit_day_put(scope: str, day: str, total: int) -> None:
    _bucket_put("audit_days", "day", scope, day, total)


def total_get(key: str) -> int | None:
    row = get_table("moderation_totals").find_one({"key": key})
    return int(row.get("total") or 0) if row else None


def total_put(key: str, total: int) -> None:
    get_table("moderation_totals").insert_one({"key": key, "total": total})
