"""Catalog use cases. Other apps import from here (e.g. moderation calls `video_soft_delete`)."""

from __future__ import annotations

from catalog.services.counters import register_card_fields, with_counters
from catalog.services.listings import (
    latest_page,
    studio_page,
    tag_page,
    uploader_page,
)
from catalog.services.maintenance import public_tag_counts, public_video_ids
from catalog.services.videos import (
    ANY_VIDEO,
    public_among,
    video_cards,
    video_edit,
    video_embedding,
    video_find,
    video_get,
    video_preview,
    video_restore,
    video_soft_delete,
    video_status,
    video_submit,
    videos_get_many,
    videos_nearest,
)
from catalog.services.viewcounts import trending, trending_alltime, video_view_record, views_flush

__all__ = [
    "ANY_VIDEO",
    "latest_page",
    "public_among",
    "public_tag_counts",
    "public_video_ids",
    "register_card_fields",
    "studio_page",
    "tag_page",
    "trending",
    "trending_alltime",
    "uploader_page",
    "video_cards",
    "video_edit",
    "video_embedding",
    "video_find",
    "video_get",
    "video_preview",
    "video_restore",
    "video_soft_delete",
    "video_status",
    "video_submit",
    "video_view_record",
    "videos_get_many",
    "videos_nearest",
    "views_flush",
    "with_counters",
]
