"""Conversions between Data API row values (astrapy types) and plain Python values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from catalog.domain import VideoStatus, VideoSummary
from killrvideo.astra import as_datetime, as_uuid

SUMMARY_COLUMNS = ("videoid", "userid", "added_date", "name", "description", "tags", "thumbnail", "duration")


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
        "duration": summary.duration_seconds,
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
        duration_seconds=row.get("duration"),
        removed_by_moderator=bool(row.get("removed_by_moderator")),
    )
