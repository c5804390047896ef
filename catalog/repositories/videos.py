"""The `videos` table and its small helper tables (transcripts, resubmission lookup, status queue).

Every write to `videos` goes through this module and, once it has landed, bumps the cache versions
(`killrvideo.cache`) of the videos written and of `ANY_VIDEO`, so reads cached under them are never stale.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from catalog.domain import Video, VideoStatus
from catalog.repositories._rows import as_str_set, as_tags
from killrvideo import cache
from killrvideo.astra import as_datetime, as_uuid, get_table, keys_in_chunks, maybe_datetime, vector_sort

# Cache scopes: one per video (its row), and one for reads across all videos (e.g. nearest neighbours).
ANY_VIDEO = "videos:any"


def video_scope(video_id: uuid.UUID) -> str:
    return f"video:{video_id}"


def _written(video_ids: Sequence[uuid.UUID]) -> None:
    cache.changed(ANY_VIDEO, *(video_scope(video_id) for video_id in video_ids))


_VIDEO_COLUMNS = (
    "videoid",
    "userid",
    "youtube_id",
    "name",
    "description",
    "tags",
    "status",
    "status_since",
    "failure_code",
    "failure_reason",
    "retries",
    "creator_fields",
    "added_date",
    "updated_at",
    "deleted",
    "deleted_at",
    "removed_by_moderator",
    "listed",
    "thumbnail",
    "duration",
    "channel_title",
)
_PROJECTION = {column: True for column in _VIDEO_COLUMNS}


def _video_from_row(row: dict[str, Any]) -> Video:
    return Video(
        video_id=as_uuid(row["videoid"]),
        user_id=as_uuid(row["userid"]),
        youtube_id=row.get("youtube_id") or "",
        name=row.get("name") or "",
        description=row.get("description") or "",
        tags=as_tags(row.get("tags")),
        status=VideoStatus(row.get("status") or VideoStatus.PENDING),
        added_date=as_datetime(row["added_date"]),
        updated_at=maybe_datetime(row.get("updated_at")) or as_datetime(row["added_date"]),
        status_since=maybe_datetime(row.get("status_since")) or as_datetime(row["added_date"]),
        thumbnail_url=row.get("thumbnail") or "",
        duration_seconds=row.get("duration"),
        failure_code=row.get("failure_code") or "",
        failure_reason=row.get("failure_reason") or "",
        retries=int(row.get("retries") or 0),
        creator_fields=as_str_set(row.get("creator_fields")),
        deleted=bool(row.get("deleted")),
        deleted_at=maybe_datetime(row.get("deleted_at")),
        removed_by_moderator=bool(row.get("removed_by_moderator")),
        listed=bool(row.get("listed")),
        channel_title=row.get("channel_title") or "",
    )


def _video_row(video: Video) -> dict[str, Any]:
    return {
        "videoid": video.video_id,
        "userid": video.user_id,
        "youtube_id": video.youtube_id,
        "name": video.name,
        "description": video.description,
        "tags": list(video.tags),
        "status": video.status.value,
        "status_since": video.status_since,
        "failure_code": video.failure_code,
        "failure_reason": video.failure_reason,
        "retries": video.retries,
        "creator_fields": sorted(video.creator_fields),
        "added_date": video.added_date,
        "updated_at": video.updated_at,
        "deleted": video.deleted,
        "deleted_at": video.deleted_at,
        "removed_by_moderator": video.removed_by_moderator,
        "listed": video.listed,
        "thumbnail": video.thumbnail_url,
        "duration": video.duration_seconds,
        "channel_title": video.channel_title,
    }


def video_get(video_id: uuid.UUID) -> Video | None:
    row = get_table("videos").find_one({"videoid": video_id}, projection=_PROJECTION)
    return _video_from_row(row) if row else None


def videos_get_many(video_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Video]:
    """Multi-partition point reads ($in on the partition key), a hundred ids per read."""
    table = get_table("videos")
    return {
        video.video_id: video
        for keys in keys_in_chunks(video_ids)
        for video in map(_video_from_row, table.find({"videoid": keys}, projection=_PROJECTION))
    }


def video_save(video: Video) -> None:
    """Write every non-vector column; an update (not an insert) keeps the embedding."""
    get_table("videos").update_one({"videoid": video.video_id}, set_unset(_without_key(_video_row(video))))
    _written([video.video_id])


def video_insert(video: Video, *, embedding: Sequence[float] | None = None) -> None:
    row = _video_row(video)
    if embedding is not None:
        row["embedding"] = list(embedding)
    get_table("videos").insert_one(row)
    _written([video.video_id])


def videos_insert_many(rows: Sequence[tuple[Video, Sequence[float] | None]]) -> None:
    payload = []
    for video, embedding in rows:
        row = _video_row(video)
        if embedding is not None:
            row["embedding"] = list(embedding)
        payload.append(row)
    if payload:
        get_table("videos").insert_many(payload, chunk_size=20, concurrency=4)
        _written([video.video_id for video, _ in rows])


def video_set_embedding(video_id: uuid.UUID, embedding: Sequence[float]) -> None:
    get_table("videos").update_one({"videoid": video_id}, {"$set": {"embedding": list(embedding)}})
    _written([video_id])


def _without_key(row: dict[str, Any]) -> dict[str, Any]:
    return {column: value for column, value in row.items() if column != "videoid"}


def set_unset(values: dict[str, Any]) -> dict[str, Any]:
    """An update document: nulls become $unset (the Data API refuses null in $set)."""
    update: dict[str, Any] = {"$set": {k: v for k, v in values.items() if v is not None}}
    nulls = {k: "" for k, v in values.items() if v is None}
    if nulls:
        update["$unset"] = nulls
    return update


# ---- transcripts ------------------------------------------------------------


def transcripts_insert_many(rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        get_table("video_transcripts").insert_many(list(rows), chunk_size=5, concurrency=2)


# ---- resubmission lookup ------------------------------------------------------


def submission_get(user_id: uuid.UUID, youtube_id: str) -> uuid.UUID | None:
    row = get_table("videos_by_youtube_id_user").find_one({"userid": user_id, "youtube_id": youtube_id})
    return as_uuid(row["videoid"]) if row else None


def submission_put(user_id: uuid.UUID, youtube_id: str, video_id: uuid.UUID, added_date: datetime) -> None:
    get_table("videos_by_youtube_id_user").insert_one(
        {"userid": user_id, "youtube_id": youtube_id, "videoid": video_id, "added_date": added_date}
    )


def submissions_put_many(rows: Sequence[Video]) -> None:
    payload = [
        {"userid": v.user_id, "youtube_id": v.youtube_id, "videoid": v.video_id, "added_date": v.added_date}
        for v in rows
    ]
    if payload:
        get_table("videos_by_youtube_id_user").insert_many(payload, chunk_size=50, concurrency=4)


# ---- status queue (PENDING / PROCESSING only) -----------------------------------


def status_queue_put(status: VideoStatus, since: datetime, video_id: uuid.UUID) -> None:
    get_table("videos_by_status").insert_one({"status": status.value, "status_since": since, "videoid": video_id})


def status_queue_remove(status: VideoStatus, since: datetime, video_id: uuid.UUID) -> None:
    get_table("videos_by_status").delete_one({"status": status.value, "status_since": since, "videoid": video_id})


def status_queue_older_than(status: VideoStatus, before: datetime, limit: int) -> list[tuple[datetime, uuid.UUID]]:
    """Oldest first: one clustering range of one partition."""
    rows = get_table("videos_by_status").find({"status": status.value, "status_since": {"$lt": before}}, limit=limit)
    return [(as_datetime(row["status_since"]), as_uuid(row["videoid"])) for row in rows]


def video_ids_scan() -> list[uuid.UUID]:
    """ADMIN ONLY (full table scan): every video's id, for rebuilding derived indexes."""
    return [as_uuid(row["videoid"]) for row in get_table("videos").find({}, projection={"videoid": True})]


def videos_scan_membership() -> list[tuple[uuid.UUID, frozenset[str], datetime, str, bool]]:
    """ADMIN ONLY (full table scan): (user, tags, added_date, status, deleted) of every video, for rebuilds."""
    projection = {"userid": True, "tags": True, "added_date": True, "status": True, "deleted": True}
    return [
        (
            as_uuid(row["userid"]),
            frozenset(row.get("tags") or ()),
            as_datetime(row["added_date"]),
            row.get("status") or "",
            bool(row.get("deleted")),
        )
        for row in get_table("videos").find({}, projection=projection)
    ]


# ---- vector search ------------------------------------------------------------------------------


def video_embedding_get(video_id: uuid.UUID) -> list[float] | None:
    row = get_table("videos").find_one({"videoid": video_id}, projection={"videoid": True, "embedding": True})
    vector = row.get("embedding") if row else None
    return [float(x) for x in vector] if vector is not None else None


def videos_nearest(vector: Sequence[float], limit: int) -> list[tuple[uuid.UUID, float]]:
    """Ids of the videos nearest to `vector` by cosine similarity, most similar first, with that similarity:
    one vector-sorted read of the key alone (any status; callers join the rows from the cache)."""
    rows = get_table("videos").find(
        {}, sort={"embedding": vector_sort(vector)}, limit=limit, projection={"videoid": True}, include_similarity=True
    )
    return [(as_uuid(row["videoid"]), float(row.get("$similarity") or 0.0)) for row in rows]
