"""Ratings in Astra: one row per (video, user) in `ratings_by_video_user`, and the durable copies of the
aggregates (a video's count and sum in `video_ratings`; the site-wide ones in `community_totals`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from community.domain import Rating
from killrvideo.astra import as_datetime, as_uuid, get_table, keys_in_chunks

SITE_COUNT_KEY = "ratings_site:count"
SITE_SUM_KEY = "ratings_site:sum"


def _rating_from_row(row: dict[str, Any]) -> Rating:
    return Rating(
        video_id=as_uuid(row["videoid"]),
        user_id=as_uuid(row["userid"]),
        rating=int(row["rating"]),
        created_at=as_datetime(row["created_at"]),
        updated_at=as_datetime(row["updated_at"]),
    )


def rating_get(video_id: uuid.UUID, user_id: uuid.UUID) -> Rating | None:
    row = get_table("ratings_by_video_user").find_one({"videoid": video_id, "userid": user_id})
    return _rating_from_row(row) if row else None


def _rating_row(rating: Rating) -> dict[str, Any]:
    return {
        "videoid": rating.video_id,
        "userid": rating.user_id,
        "rating": rating.rating,
        "created_at": rating.created_at,
        "updated_at": rating.updated_at,
    }


def rating_put(rating: Rating) -> None:
    """Create or replace (a table insert on an existing primary key overwrites the row)."""
    get_table("ratings_by_video_user").insert_one(_rating_row(rating))


def ratings_put_many(ratings: Sequence[Rating]) -> None:
    """Bulk path (the dataset import): creates or replaces each, as `rating_put` does."""
    if ratings:
        get_table("ratings_by_video_user").insert_many([_rating_row(r) for r in ratings], chunk_size=50, concurrency=4)


def video_ratings_get_many(video_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
    """(count, sum) per video that has a row: `$in` point reads on the partition key, a hundred per read."""
    table = get_table("video_ratings")
    projection = {"videoid": True, "rating_count": True, "rating_total": True}
    return {
        as_uuid(row["videoid"]): (int(row.get("rating_count") or 0), int(row.get("rating_total") or 0))
        for keys in keys_in_chunks(video_ids)
        for row in table.find({"videoid": keys}, projection=projection)
    }


def video_ratings_put(video_id: uuid.UUID, count: int, total: int) -> None:
    get_table("video_ratings").insert_one(
        {"videoid": video_id, "rating_count": count, "rating_total": total, "updated_at": datetime.now(UTC)}
    )


def site_ratings_get() -> tuple[int, int] | None:
    rows = get_table("community_totals").find({"key": {"$in": [SITE_COUNT_KEY, SITE_SUM_KEY]}})
    totals = {row["key"]: int(row.get("total") or 0) for row in rows}
    if not totals:
        return None
    return totals.get(SITE_COUNT_KEY, 0), totals.get(SITE_SUM_KEY, 0)


def site_ratings_put(count: int, total: int) -> None:
    get_table("community_totals").insert_many(
        [{"key": SITE_COUNT_KEY, "total": count}, {"key": SITE_SUM_KEY, "total": total}]
    )


# ---- operator reads (rebuild_rating_aggregates) --------------------------------------------------------------


def ratings_of_video(video_id: uuid.UUID) -> list[Rating]:
    """OPERATOR ONLY: every rating of one video. The table is partitioned by (videoid, userid), so this is a
    filtered scan (no partition holds a video's ratings); never on a request path."""
    return [_rating_from_row(row) for row in get_table("ratings_by_video_user").find({"videoid": video_id})]


def ratings_scan() -> Iterator[Rating]:
    """OPERATOR ONLY (a full scan of `ratings_by_video_user`)."""
    for row in get_table("ratings_by_video_user").find({}):
        yield _rating_from_row(row)


def video_ratings_scan_ids() -> list[uuid.UUID]:
    """OPERATOR ONLY (a full scan of `video_ratings`): every video holding an aggregate row."""
    return [as_uuid(row["videoid"]) for row in get_table("video_ratings").find({}, projection={"videoid": True})]
