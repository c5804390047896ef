"""Catalog use cases. Other apps import from here (e.g. moderation calls `video_soft_delete`)."""

from __future__ import annotations

from catalog.services.listings import (
    latest_page,
    studio_page,
    tag_page,
    uploader_page,
)
from catalog.services.videos import (
    video_edit,
    video_get,
    video_preview,
    video_restore,
    video_soft_delete,
    video_status,
    video_submit,
    videos_get_many,
)
from catalog.services.viewcounts import trending, video_view_record, views_flush

__all__ = [
    "latest_page",
    "studio_page",
    "tag_page",
    "trending",
    "uploader_page",
    "video_edit",
    "video_get",
    "video_preview",
    "video_restore",
    "video_soft_delete",
    "video_status",
    "video_submit",
    "video_view_record",
    "videos_get_many",
    "views_flush",
]
