"""Discovery use cases: related videos and tag suggestions."""

from __future__ import annotations

from discovery.services.related import related_videos
from discovery.services.tags import on_dataset_imported, on_video_changed, tag_suggestions, tag_suggestions_rebuild

__all__ = ["on_dataset_imported", "on_video_changed", "related_videos", "tag_suggestions", "tag_suggestions_rebuild"]
