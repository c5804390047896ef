"""API shapes of the contract (its mixed casing kept exactly)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from catalog import youtube
from catalog.domain import MAX_DESCRIPTION_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH, Video, VideoSummary
from killrvideo.schemas import InputSchema

# The limits the services enforce, stated in the OpenAPI schema too (services give the friendlier message).
Title = Annotated[str, StringConstraints(max_length=MAX_TITLE_LENGTH)]
Description = Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION_LENGTH)]
Tag = Annotated[str, StringConstraints(max_length=MAX_TAG_LENGTH)]
YouTubeUrl = Annotated[str, StringConstraints(max_length=youtube.MAX_URL_LENGTH)]


class VideoSubmitIn(InputSchema):
    youtubeUrl: YouTubeUrl
    title: Title | None = None
    description: Description | None = None
    tags: list[Tag] | None = Field(None, max_length=MAX_TAGS)


class VideoPreviewIn(InputSchema):
    youtubeUrl: YouTubeUrl


class VideoUpdateIn(InputSchema):
    title: Title | None = None
    description: Description | None = None
    tags: list[Tag] | None = Field(None, max_length=MAX_TAGS)


class VideoPreviewOut(Schema):
    youtubeVideoId: str
    title: str
    thumbnailUrl: str

    @classmethod
    def of(cls, metadata: youtube.YouTubeMetadata) -> VideoPreviewOut:
        return cls(youtubeVideoId=metadata.youtube_id, title=metadata.title, thumbnailUrl=metadata.thumbnail_url)


class VideoSummaryOut(Schema):
    videoId: uuid.UUID
    title: str
    thumbnailUrl: str | None
    userId: uuid.UUID
    submittedAt: datetime
    views: int
    viewCount: int
    averageRating: float | None
    totalRatingsCount: int
    status: str
    description: str | None
    tags: list[str]

    @classmethod
    def of(cls, item: VideoSummary | Video) -> VideoSummaryOut:
        return cls(**_summary_fields(item))

    @staticmethod
    def fields(item: VideoSummary | Video) -> dict[str, Any]:
        """The same values as plain data (killrvideo.schemas.page_json)."""
        return _summary_fields(item)


class VideoDetailOut(VideoSummaryOut):
    youtubeVideoId: str
    location: str
    updatedAt: datetime | None
    failureReason: str | None

    @classmethod
    def of(cls, item: VideoSummary | Video) -> VideoDetailOut:
        assert isinstance(item, Video)
        return cls(
            **_summary_fields(item),
            youtubeVideoId=item.youtube_id,
            location=item.location,
            updatedAt=item.updated_at,
            failureReason=item.failure_reason or None,
        )


class VideoStatusOut(Schema):
    videoId: uuid.UUID
    status: str
    failureReason: str | None


def _summary_fields(item: VideoSummary | Video) -> dict[str, Any]:
    return {
        "videoId": item.video_id,
        "title": item.name,
        "thumbnailUrl": item.thumbnail_url or None,
        "userId": item.user_id,
        "submittedAt": item.added_date,
        "views": item.views,
        "viewCount": item.views,
        "averageRating": item.average_rating,
        "totalRatingsCount": item.total_ratings_count,
        "status": item.status.value,
        "description": item.description,
        "tags": list(item.tags),
    }


class PaginationOut(Schema):
    currentPage: int
    pageSize: int
    totalItems: int
    totalPages: int


class VideoPageOut(Schema):
    data: list[VideoSummaryOut]
    pagination: PaginationOut
