"""Listing tables: the public listings by month bucket (latest, by tag, by user), studio, and their totals."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from catalog.domain import Listing, VideoSummary, month_bucket
from catalog.repositories._rows import SUMMARY_COLUMNS, summary_from_row, summary_row
from killrvideo.astra import get_table

_SUMMARY_PROJECTION = {column: True for column in SUMMARY_COLUMNS}
_STUDIO_PROJECTION = {**_SUMMARY_PROJECTION, "state": True, "status": True, "removed_by_moderator": True}
_BUCKETED_PROJECTION = {**_SUMMARY_PROJECTION, "bucket": True}


def _key(summary: VideoSummary) -> dict[str, Any]:
    return {"added_date": summary.added_date, "videoid": summary.video_id}


def _read(table: str, filter_: dict[str, Any], limit: int, projection: dict[str, bool]) -> list[VideoSummary]:
    """The first `limit` rows of one partition (range), in clustering order: no sort, no scan."""
    if limit <= 0:
        return []
    rows = get_table(table).find(filter_, projection=projection, limit=limit)
    return [summary_from_row(row) for row in rows]


# ---- public listings, one month bucket per partition ----------------------------------------


def _partition(listing: Listing, bucket: Any) -> tuple[str, dict[str, Any]]:
    """The table of a listing and the partition-key filter of one bucket (`bucket` may be an `$in`)."""
    if listing.tag is not None:
        return "videos_by_tag_month", {"tag": listing.tag, "bucket": bucket}
    if listing.user_id is not None:
        return "videos_by_user_month", {"userid": listing.user_id, "bucket": bucket}
    return "latest_videos", {"bucket": bucket}


def _row(listing: Listing, summary: VideoSummary) -> tuple[str, dict[str, Any]]:
    table, partition = _partition(listing, month_bucket(summary.added_date))
    return table, {**summary_row(summary), **partition}


def listing_insert(listing: Listing, summary: VideoSummary) -> None:
    table, row = _row(listing, summary)
    get_table(table).insert_one(row)


def listing_insert_many(pairs: Iterable[tuple[Listing, VideoSummary]]) -> None:
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for listing, summary in pairs:
        table, row = _row(listing, summary)
        by_table[table].append(row)
    for table, rows in by_table.items():
        get_table(table).insert_many(rows, chunk_size=50, concurrency=4)


def listing_delete(listing: Listing, summary: VideoSummary) -> None:
    table, partition = _partition(listing, month_bucket(summary.added_date))
    get_table(table).delete_one({**partition, **_key(summary)})


def listing_read_bucket(listing: Listing, bucket: str, limit: int) -> list[VideoSummary]:
    """The newest `limit` rows of one month bucket of a listing."""
    table, partition = _partition(listing, bucket)
    return _read(table, partition, limit, _SUMMARY_PROJECTION)


def listing_read_buckets(listing: Listing, buckets: Sequence[str], limit: int) -> dict[str, list[VideoSummary]]:
    """Whole buckets in one request (`$in` on the partition key), grouped by bucket.

    Rows of each partition come back in clustering order, so grouping keeps each bucket newest first.
    """
    if not buckets or limit <= 0:
        return {}
    table, partition = _partition(listing, {"$in": list(buckets)})
    grouped: dict[str, list[VideoSummary]] = defaultdict(list)
    for row in get_table(table).find(partition, projection=_BUCKETED_PROJECTION, limit=limit):
        grouped[row["bucket"]].append(summary_from_row(row))
    return dict(grouped)


def buckets_read(scope: str, limit: int) -> list[tuple[str, int]]:
    """(bucket, videos in it) of one listing, newest bucket first."""
    rows = get_table("listing_buckets").find({"scope": scope}, limit=limit)
    return [(row["bucket"], int(row.get("total") or 0)) for row in rows]


def bucket_get(scope: str, bucket: str) -> int | None:
    row = get_table("listing_buckets").find_one({"scope": scope, "bucket": bucket})
    return int(row.get("total") or 0) if row else None


def bucket_put(scope: str, bucket: str, total: int) -> None:
    table = get_table("listing_buckets")
    if total > 0:
        table.insert_one({"scope": scope, "bucket": bucket, "total": total})
    else:
        table.delete_one({"scope": scope, "bucket": bucket})


def buckets_all() -> list[tuple[str, str]]:
    """ADMIN ONLY (full table scan): every (scope, bucket) with a count, for rebuilds."""
    rows = get_table("listing_buckets").find({}, projection={"scope": True, "bucket": True})
    return [(row["scope"], row["bucket"]) for row in rows]


# ---- studio (every video of a creator; state 'active' | 'deleted') --------------------


def _studio_row(summary: VideoSummary) -> dict[str, Any]:
    state = "deleted" if summary.deleted else "active"
    return {
        "state": state,
        "status": summary.status.value,
        "removed_by_moderator": summary.removed_by_moderator,
        **summary_row(summary),
    }


def studio_put(summary: VideoSummary) -> None:
    get_table("studio_videos_by_user").insert_one(_studio_row(summary))


def studio_put_many(summaries: Sequence[VideoSummary]) -> None:
    rows = [_studio_row(s) for s in summaries]
    if rows:
        get_table("studio_videos_by_user").insert_many(rows, chunk_size=50, concurrency=4)


def studio_delete(summary: VideoSummary, *, deleted: bool) -> None:
    state = "deleted" if deleted else "active"
    get_table("studio_videos_by_user").delete_one({"userid": summary.user_id, "state": state, **_key(summary)})


def studio_read(user_id: uuid.UUID, *, deleted: bool, limit: int) -> list[VideoSummary]:
    state = "deleted" if deleted else "active"
    return _read("studio_videos_by_user", {"userid": user_id, "state": state}, limit, _STUDIO_PROJECTION)


# ---- totals ---------------------------------------------------------------------------


def total_get(key: str) -> int | None:
    row = get_table("listing_totals").find_one({"key": key})
    return int(row.get("total") or 0) if row else None


def total_put(key: str, total: int) -> None:
    get_table("listing_totals").insert_one({"key": key, "total": total})


def totals_all_keys() -> list[str]:
    """ADMIN ONLY (full table scan): every listing total key, for rebuilds."""
    return [row["key"] for row in get_table("listing_totals").find({}, projection={"key": True})]
