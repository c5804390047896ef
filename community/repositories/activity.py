"""`activity_by_user` rows and the activity lists' per-month counts and totals (`community_buckets`,
`community_totals`: durable copies of the Redis counters).

Each activity is stored twice, under kind "all" and under its type, so every filter of the timeline is a
range read of its own partitions (user, kind, month).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from community.domain import Activity, ActivityType
from killrvideo.astra import as_datetime, as_uuid, get_table

ALL = "all"
_TABLE = "activity_by_user"
_PROJECTION = {
    column: True
    for column in ("bucket", "activity_timestamp", "activity_id", "activity_type", "videoid", "video_name", "detail")
}


def month_of(activity: Activity) -> int:
    """The activity's partition bucket: its month as YYYYMM."""
    return month_bucket(activity.timestamp)


def month_bucket(timestamp: datetime) -> int:
    """The partition bucket of a moment: its month as YYYYMM."""
    return timestamp.year * 100 + timestamp.month


def _rows(activity: Activity) -> list[dict[str, Any]]:
    common = {
        "userid": activity.user_id,
        "bucket": month_of(activity),
        "activity_timestamp": activity.timestamp,
        "activity_id": activity.activity_id,
        "activity_type": activity.activity_type.value,
        "videoid": activity.video_id,
        "video_name": activity.video_name,
        "detail": activity.detail,
    }
    return [{**common, "kind": kind} for kind in (ALL, activity.activity_type.value)]


def _from_row(user_id: uuid.UUID, row: dict[str, Any]) -> Activity:
    return Activity(
        activity_id=as_uuid(row["activity_id"]),
        user_id=user_id,
        activity_type=ActivityType(row["activity_type"]),
        timestamp=as_datetime(row["activity_timestamp"]),
        video_id=as_uuid(row["videoid"]),
        video_name=row.get("video_name") or "",
        detail=row.get("detail") or "",
    )


def activity_insert_many(activities: Iterable[Activity]) -> None:
    """Both copies of each activity (an upsert by primary key: writing one again changes nothing)."""
    rows = [row for activity in activities for row in _rows(activity)]
    if len(rows) == 2:
        get_table(_TABLE).insert_many(rows)
    elif rows:
        get_table(_TABLE).insert_many(rows, chunk_size=50, concurrency=4)


def _key(user_id: uuid.UUID, kind: str, timestamp: datetime, activity_id: uuid.UUID) -> dict[str, Any]:
    return {
        "userid": user_id,
        "kind": kind,
        "bucket": month_bucket(timestamp),
        "activity_timestamp": timestamp,
        "activity_id": activity_id,
    }


def activity_remove(
    user_id: uuid.UUID, activity_type: ActivityType, timestamp: datetime, activity_id: uuid.UUID
) -> bool:
    """Both copies of one entry out, by full primary key; False when it was not there (nothing to count)."""
    table = get_table(_TABLE)
    if table.find_one(_key(user_id, ALL, timestamp, activity_id), projection={"activity_id": True}) is None:
        return False
    for kind in (ALL, activity_type.value):
        table.delete_one(_key(user_id, kind, timestamp, activity_id))
    return True


def activity_read_bucket(user_id: uuid.UUID, kind: str, bucket: int, limit: int) -> list[Activity]:
    """The newest `limit` entries of one (user, kind, month) partition, in clustering order."""
    if limit <= 0:
        return []
    rows = get_table(_TABLE).find(
        {"userid": user_id, "kind": kind, "bucket": bucket}, projection=_PROJECTION, limit=limit
    )
    return [_from_row(user_id, row) for row in rows]


def activity_read_buckets(
    user_id: uuid.UUID, kind: str, buckets: Sequence[int], limit: int
) -> dict[int, list[Activity]]:
    """Whole month partitions in one request (`$in` on the last partition-key column), grouped by month;
    each partition's rows come back in clustering order."""
    if not buckets or limit <= 0:
        return {}
    filter_ = {"userid": user_id, "kind": kind, "bucket": {"$in": list(buckets)}}
    grouped: dict[int, list[Activity]] = defaultdict(list)
    for row in get_table(_TABLE).find(filter_, projection=_PROJECTION, limit=limit):
        grouped[int(row["bucket"])].append(_from_row(user_id, row))
    return dict(grouped)


def activity_count_months(user_id: uuid.UUID, kind: str, months: Sequence[int]) -> dict[int, int]:
    """Rows in each of these (user, kind, month) partitions, counted by reading their keys in one `$in`
    request (recounts after an import; not for pages)."""
    if not months:
        return {}
    filter_ = {"userid": user_id, "kind": kind, "bucket": {"$in": sorted(months)}}
    counts = dict.fromkeys(months, 0)
    for row in get_table(_TABLE).find(filter_, projection={"bucket": True, "activity_id": True}):
        counts[int(row["bucket"])] += 1
    return counts
