"""Background processing: PENDING -> PROCESSING -> READY | ERROR, and rescuing videos stuck on the way.

Runs in the Celery worker. Every step is idempotent: a video already READY or ERROR is left alone, listing
membership is guarded by `Video.listed`, and all writes of one video happen under its Redis lock.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from catalog import embeddings, youtube
from catalog.domain import FailureCode, Video, VideoStatus, normalise_tags, utcnow
from catalog.repositories import redis_store
from catalog.repositories import videos as repo
from catalog.services import listings
from catalog.services.videos import fetch_metadata

logger = logging.getLogger(__name__)

UNAVAILABLE_REASON = (
    "We could not fetch this video's details from YouTube. Add a title (edit the video) to publish it anyway."
)


def _move_status(video: Video, status: VideoStatus, **changes: object) -> Video:
    """New status; keeps the PENDING/PROCESSING queue table in step (old row out, new row in)."""
    now = utcnow()
    if not video.status.is_final:
        repo.status_queue_remove(video.status, video.status_since, video.video_id)
    if not status.is_final:
        repo.status_queue_put(status, now, video.video_id)
    return replace(video, status=status, status_since=now, updated_at=now, **changes)  # type: ignore[arg-type]


def _start(video_id: uuid.UUID) -> Video | None:
    """Mark PROCESSING; None when there is nothing to do (missing, deleted, already final)."""
    with redis_store.video_lock(video_id):
        video = repo.video_get(video_id)
        if video is None or video.status.is_final:
            return None
        if video.status is VideoStatus.PENDING:
            video = _move_status(video, VideoStatus.PROCESSING)
            listings.studio_update(video)
            repo.video_save(video)
        return video


def video_process(*, video_id: uuid.UUID, final_attempt: bool) -> VideoStatus | None:
    """Fetch metadata and publish. Raises YouTubeTransientError when the caller should retry later."""
    video = _start(video_id)
    if video is None:
        return None
    try:
        metadata = fetch_metadata(video.youtube_id)
    except youtube.YouTubePermanentError as exc:
        return _finish_error(video_id, exc.reason, exc.message)
    except youtube.YouTubeTransientError:
        if not final_attempt:
            raise
        logger.warning("Giving up fetching metadata for video %s after retries", video_id)
        return _finish_without_metadata(video_id)
    return _finish_ready(video_id, metadata)


def _merge(video: Video, metadata: youtube.YouTubeMetadata) -> Video:
    """Fetched values fill in what the creator left out; what the creator typed always wins."""
    typed = video.creator_fields
    return replace(
        video,
        name=video.name if "name" in typed and video.name else metadata.title.strip()[:150],
        description=video.description if "description" in typed else metadata.description,
        tags=video.tags if "tags" in typed else _fetched_tags(metadata),
        thumbnail_url=metadata.thumbnail_url or youtube.thumbnail_url(video.youtube_id),
        duration_seconds=metadata.duration_seconds,
        channel_title=metadata.channel_title,
    )


def _fetched_tags(metadata: youtube.YouTubeMetadata) -> tuple[str, ...]:
    return normalise_tags(list(metadata.tags))


def _finish_ready(video_id: uuid.UUID, metadata: youtube.YouTubeMetadata | None) -> VideoStatus | None:
    with redis_store.video_lock(video_id):
        old = repo.video_get(video_id)
        if old is None or old.status.is_final:
            return None
        merged = (
            _merge(old, metadata) if metadata else replace(old, thumbnail_url=youtube.thumbnail_url(old.youtube_id))
        )
        new = _move_status(merged, VideoStatus.READY, failure_code="", failure_reason="")
        new = listings.sync(old, new)
        repo.video_save(new)
    video_embed(video_id=video_id)
    logger.info("Video %s is READY", video_id)
    return VideoStatus.READY


def _finish_without_metadata(video_id: uuid.UUID) -> VideoStatus | None:
    video = repo.video_get(video_id)
    if video is not None and video.name:
        return _finish_ready(video_id, None)
    return _finish_error(video_id, FailureCode.METADATA_UNAVAILABLE.value, UNAVAILABLE_REASON)


def _finish_error(video_id: uuid.UUID, code: str, reason: str) -> VideoStatus | None:
    with redis_store.video_lock(video_id):
        old = repo.video_get(video_id)
        if old is None or old.status.is_final:
            return None
        new = _move_status(old, VideoStatus.ERROR, failure_code=code, failure_reason=reason)
        new = listings.sync(old, new)
        repo.video_save(new)
    logger.info("Video %s ended in ERROR (%s)", video_id, code)
    return VideoStatus.ERROR


def video_embed(*, video_id: uuid.UUID) -> None:
    """(Re)compute the 384-d embedding of title + description + tags."""
    video = repo.video_get(video_id)
    if video is None:
        return
    vector = embeddings.embed_text(embeddings.video_text(video.name, video.description, video.tags))
    repo.video_set_embedding(video_id, vector)


def videos_rescue_stuck(*, older_than: timedelta, limit: int = 100) -> list[uuid.UUID]:
    """Videos PENDING/PROCESSING for too long (worker crash, lost message): bump and hand back for re-queueing."""
    cutoff = utcnow() - older_than
    rescued: list[uuid.UUID] = []
    for status in (VideoStatus.PENDING, VideoStatus.PROCESSING):
        for since, video_id in repo.status_queue_older_than(status, cutoff, limit):
            if _bump(video_id, status, since):
                rescued.append(video_id)
    if rescued:
        logger.warning("Rescuing %d stuck videos", len(rescued))
    return rescued


def _bump(video_id: uuid.UUID, status: VideoStatus, since: datetime) -> bool:
    with redis_store.video_lock(video_id):
        video = repo.video_get(video_id)
        if video is None or video.status is not status or video.status_since != since:
            repo.status_queue_remove(status, since, video_id)  # a stale queue row: the video moved on
            return False
        repo.video_save(_move_status(video, status))
        return True
