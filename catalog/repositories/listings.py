"""Listing tables (latest by month bucket, by tag, by user, studio) and their durable totals."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from catalog.domain import VideoSummary, latest_bucket
from catalog.repositories._rows import SUMMARY_COLUMNS, summary_from_row, summary_row
from killrvideo.astra import get_table

_SUMMARY_PROJECTION = {column: True for column in SUMMARY_COLUMNS}
_STUDIO_PROJECTION = {**_SUMMARY_PROJECTION, "state": True, "status": True}
LATEST_SCOPE = "latest"


def _key(summary: VideoSummary) -> dict[str, Any]:
    return {"added_date": summary.added_date, "videoid": summary.video_id}


def _read(table: str, filter_: dict[str, Any], limit: int, projection: dict[str, bool]) -> list[VideoSummary]:
    """The first `limit` rows of one partition (range), in clustering order: no sort, no scan."""
    if limit <= 0:
        return []
    rows = get_table(table).find(filter_, projection=projection, limit=limit)
    return [summary_from_row(row) for row in rows]


# ---- latest (month buckets) --------------------------------------------------------


def latest_insert(summary: VideoSummary) -> None:
    get_table("latest_videos").insert_one({"bucket": latest_bucket(summary.added_date), **summary_row(summary)})


def latest_insert_many(summaries: Sequence[VideoSummary]) -> None:
    rows = [{"bucket": latest_bucket(s.added_date), **summary_row(s)} for s in summaries]
    if rows:
        get_table("latest_videos").insert_many(rows, chunk_size=50, concurrency=4)


def latest_delete(summary: VideoSummary) -> None:
    get_table("latest_videos").delete_one({"bucket": latest_bucket(summary.added_date), **_key(summary)})


def latest_read_bucket(bucket: str, limit: int) -> list[VideoSummary]:
    return _read("latest_videos", {"bucket": bucket}, limit, _SUMMARY_PROJECTION)


def latest_buckets_read(limit: int) -> list[tuple[str, int]]:
    """(bucket, public videos in it), newest bucket first."""
    rows = get_table("latest_buckets").find({"scope": LATEST_SCOPE}, limit=limit)
    return [(row["bucket"], int(row.get("total") or 0)) for row in rows]


def latest_bucket_put(bucket: str, total: int) -> None:
    table = get_table("latest_buckets")
    if total > 0:
        table.insert_one({"scope": LATEST_SCOPE, "bucket": bucket, "total": total})
    else:
        table.delete_one({"scope": LATEST_SCOPE, "bucket": bucket})


def latest_buckets_all() -> list[tuple[str, int]]:
    return latest_buckets_read(limit=1_000_000)


# ---- by tag ------------------------------------------------------------------------


def tag_insert(tag: str, summary: VideoSummary) -> None:
    get_table("videos_by_tag").insert_one({"tag": tag, **summary_row(summary)})


def tag_insert_many(pairs: Iterable[tuple[str, VideoSummary]]) -> None:
    rows = [{"tag": tag, **summary_row(s)} for tag, s in pairs]
    if rows:
        get_table("videos_by_tag").insert_many(rows, chunk_size=50, concurrency=4)


def tag_delete(tag: str, summary: VideoSummary) -> None:
    get_table("videos_by_tag").delete_one({"tag": tag, **_key(summary)})


def tag_read(tag: str, limit: int) -> list[VideoSummary]:
    return _read("videos_by_tag", {"tag": tag}, limit, _SUMMARY_PROJECTION)


# ---- by user (public) ---------------------------------------------------------------


def user_insert(summary: VideoSummary) -> None:
    get_table("videos_by_user").insert_one(summary_row(summary))


def user_insert_many(summaries: Sequence[VideoSummary]) -> None:
    rows = [summary_row(s) for s in summaries]
    if rows:
        get_table("videos_by_user").insert_many(rows, chunk_size=50, concurrency=4)


def user_delete(summary: VideoSummary) -> None:
    get_table("videos_by_user").delete_one({"userid": summary.user_id, **_key(summary)})


def user_read(user_id: uuid.UUID, limit: int) -> list[VideoSummary]:
    return _read("videos_by_user", {"userid": user_id}, limit, _SUMMARY_PROJECTION)


# ---- studio (every video of a creator; state 'active' | 'deleted') --------------------


def _studio_row(summary: VideoSummary) -> dict[str, Any]:
    state = "deleted" if summary.deleted else "active"
    return {"state": state, "status": summary.status.value, **summary_row(summary)}


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
