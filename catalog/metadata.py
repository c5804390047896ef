"""The YouTube client (`catalog.youtube`, settings-free) configured from Django settings."""

from __future__ import annotations

from django.conf import settings

from catalog import youtube


def fetch_metadata(youtube_id: str) -> youtube.YouTubeMetadata:
    """Data API v3 when a key is set, else oEmbed; bounded by YOUTUBE_TIMEOUT_SECONDS."""
    return youtube.fetch_metadata(
        youtube_id,
        api_key=settings.YOUTUBE_API_KEY or None,
        data_api_base_url=settings.YOUTUBE_DATA_API_BASE_URL,
        oembed_url=settings.YOUTUBE_OEMBED_URL,
        timeout_seconds=settings.YOUTUBE_TIMEOUT_SECONDS,
    )
