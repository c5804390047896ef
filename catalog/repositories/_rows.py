"""Conversions between Data API row values (astrapy types) and plain Python values."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from astrapy.data_types import DataAPITimestamp

from catalog.domain import VideoStatus, VideoSummary

SUMMARY_COLUMNS = ("videoid", "userid", "added_date", "name", "description", "tags", "thumbnail")


def as_uuid(value: Any) -> uuid.UUID:
    return value if type(value) is uuid.UUID else uuid.UUID(str(value))


def as_datetime(value: Any) -> datetime:
    if isinstance(value, DataAPITimestamp):
        return value.to_datetime(tz=UTC)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    raise TypeError(f"not a timestamp: {value!r}")


def maybe_datetime(value: Any) -> datetime | None:
    return None if value is None else as_datetime(value)


def as_tags(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted(value or ()))


def as_str_set(value: Iterable[str] | None) -> frozenset[str]:
    return frozenset(value or ())


def summary_row(summary: VideoSummary) -> dict[str, Any]:
    """The denormalised columns every listing table repeats."""
    return {
        "videoid": summary.video_id,
        "userid": summary.user_id,
        "added_date": summary.added_date,
        "name": summary.name,
        "description": summary.description,
        "tags": list(summary.tags),
        "thumbnail": summary.thumbnail_url,
    }


def summary_from_row(row: Mapping[str, Any]) -> VideoSummary:
    status = row.get("status")
    return VideoSummary(
        video_id=as_uuid(row["videoid"]),
        user_id=as_uuid(row["userid"]),
        name=row.get("name") or "",
        description=row.get("description") or "",
        tags=as_tags(row.get("tags")),
        thumbnail_url=row.get("thumbnail") or "",
        added_date=as_datetime(row["added_date"]),
        status=VideoStatus(status) if status else VideoStatus.READY,
        deleted=row.get("state") == "deleted",
    )
