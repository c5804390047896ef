"""View totals, the daily time series and the per-day trending lists."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from catalog.domain import utcnow
from killrvideo.astra import as_uuid, get_table, keys_in_chunks


def views_get_many(video_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    table = get_table("video_views")
    return {
        as_uuid(row["videoid"]): int(row.get("views") or 0)
        for keys in keys_in_chunks(video_ids)
        for row in table.find({"videoid": keys})
    }


def views_day_get(video_id: uuid.UUID, day: str) -> int | None:
    row = get_table("video_views_by_day").find_one({"videoid": video_id, "day": day})
    return int(row.get("views") or 0) if row else None


def views_put_many(totals: dict[uuid.UUID, int]) -> None:
    now = utcnow()
    rows = [{"videoid": vid, "views": n, "updated_at": now} for vid, n in totals.items()]
    if rows:
        get_table("video_views").insert_many(rows, chunk_size=50, concurrency=4)


def views_by_day_put_many(rows: Sequence[tuple[uuid.UUID, str, int]]) -> None:
    payload = [{"videoid": vid, "day": day, "views": n} for vid, day, n in rows]
    if payload:
        get_table("video_views_by_day").insert_many(payload, chunk_size=50, concurrency=4)


def trending_day_read(day: str, limit: int) -> list[tuple[uuid.UUID, int]]:
    rows = get_table("trending_by_day").find({"day": day}, limit=limit)
    return [(as_uuid(row["videoid"]), int(row["views"])) for row in rows]


def trending_days_read(days: Sequence[str], per_day: int) -> list[tuple[str, uuid.UUID, int]]:
    """Top rows of up to 30 day partitions in one request ($in on the partition key)."""
    rows = get_table("trending_by_day").find({"day": {"$in": list(days)}}, limit=per_day * len(days))
    return [(row["day"], as_uuid(row["videoid"]), int(row["views"])) for row in rows]


def trending_day_replace(
    day: str, top: Sequence[tuple[uuid.UUID, int]], previous: Sequence[tuple[uuid.UUID, int]]
) -> None:
    """Insert the new top list first, then drop stale rows, so readers never see an empty day."""
    table = get_table("trending_by_day")
    fresh = set(top)
    if top:
        table.insert_many([{"day": day, "views": n, "videoid": vid} for vid, n in top], chunk_size=50)
    for vid, n in previous:
        if (vid, n) not in fresh:
            table.delete_one({"day": day, "views": n, "videoid": vid})


# The all-time ranking is one fixed partition, clustered by views: its top rows are the answer, no scan or sort.
ALLTIME_BUCKET = "all"


def alltime_read(limit: int) -> list[tuple[uuid.UUID, int]]:
    rows = get_table("videos_by_views_alltime").find({"bucket": ALLTIME_BUCKET}, limit=limit)
    return [(as_uuid(row["videoid"]), int(row["views"])) for row in rows]


def alltime_replace(top: Sequence[tuple[uuid.UUID, int]], previous: Sequence[tuple[uuid.UUID, int]]) -> None:
    """Insert the new ranking first, then drop stale rows (a video's old count), so readers never see a gap."""
    table = get_table("videos_by_views_alltime")
    fresh = set(top)
    if top:
        rows = [{"bucket": ALLTIME_BUCKET, "views": n, "videoid": vid} for vid, n in top]
        table.insert_many(rows, chunk_size=50)
    for vid, n in previous:
        if (vid, n) not in fresh:
            table.delete_one({"bucket": ALLTIME_BUCKET, "views": n, "videoid": vid})
