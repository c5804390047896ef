"""Background processing: PENDING -> PROCESSING -> READY | ERROR, and rescuing videos stuck on the way.

Runs in the Celery worker. Every step is idempotent: a video already READY or ERROR is left alone, listing
membership is guarded by `Video.listed`, and every change goes through `video_change` (under the video's
Redis lock, with the listings kept in step).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from catalog import embeddings, signals, youtube
from catalog.domain import FailureCode, Video, VideoStatus, normalise_tags, utcnow
from catalog.metadata import fetch_metadata
from catalog.repositories import videos as repo
from catalog.services.videos import video_change
from killrvideo.errors import NotFound

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


def _change_if(video_id: uuid.UUID, applies: Callable[[Video], bool], mutate: Callable[[Video], Video]) -> bool:
    """`video_change` when `applies` holds for the stored video; False when it is missing or did not apply."""
    changed = False

    def guarded(old: Video) -> Video | None:
        nonlocal changed
        changed = applies(old)
        return mutate(old) if changed else None

    try:
        video_change(video_id, guarded)
    except NotFound:
        return False
    return changed


def _start(video_id: uuid.UUID, retries: int) -> Video | None:
    """Mark a PENDING video PROCESSING (recording how many retries this attempt follows, for the status page);
    the video to process, or None when it is missing or already final."""

    def start(video: Video) -> Video:
        started = _move_status(video, VideoStatus.PROCESSING) if video.status is VideoStatus.PENDING else video
        return replace(started, retries=retries)

    _change_if(
        video_id, lambda v: not v.status.is_final and (v.status is VideoStatus.PENDING or v.retries != retries), start
    )
    video = repo.video_get(video_id)
    return None if video is None or video.status.is_final else video


def video_process(*, video_id: uuid.UUID, final_attempt: bool, retries: int = 0) -> VideoStatus | None:
    """Fetch metadata and publish. Raises YouTubeTransientError when the caller should retry later."""
    video = _start(video_id, retries)
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


def _merge(video: Video, metadata: youtube.YouTubeMetadata | None) -> Video:
    """Fetched values fill in what the creator left out; what the creator typed always wins."""
    if metadata is None:
        return replace(video, thumbnail_url=youtube.thumbnail_url(video.youtube_id))
    typed = video.creator_fields
    return replace(
        video,
        name=video.name if "name" in typed and video.name else metadata.title.strip()[:150],
        description=video.description if "description" in typed else metadata.description,
        tags=video.tags if "tags" in typed else normalise_tags(list(metadata.tags)),
        thumbnail_url=metadata.thumbnail_url or youtube.thumbnail_url(video.youtube_id),
        duration_seconds=metadata.duration_seconds,
        channel_title=metadata.channel_title,
    )


def _not_final(video: Video) -> bool:
    return not video.status.is_final


def _finish_ready(video_id: uuid.UUID, metadata: youtube.YouTubeMetadata | None) -> VideoStatus | None:
    ready = _change_if(
        video_id,
        _not_final,
        lambda v: _move_status(_merge(v, metadata), VideoStatus.READY, failure_code="", failure_reason=""),
    )
    if not ready:
        return None
    video_embed(video_id=video_id)
    logger.info("Video %s is READY", video_id)
    return VideoStatus.READY


def _finish_without_metadata(video_id: uuid.UUID) -> VideoStatus | None:
    video = repo.video_get(video_id)
    if video is not None and video.name:
        return _finish_ready(video_id, None)
    return _finish_error(video_id, FailureCode.METADATA_UNAVAILABLE.value, UNAVAILABLE_REASON)


def _finish_error(video_id: uuid.UUID, code: str, reason: str) -> VideoStatus | None:
    failed = _change_if(
        video_id,
        _not_final,
        lambda v: _move_status(v, VideoStatus.ERROR, failure_code=code, failure_reason=reason),
    )
    if not failed:
        return None
    logger.info("Video %s ended in ERROR (%s)", video_id, code)
    return VideoStatus.ERROR


def video_embed(*, video_id: uuid.UUID) -> None:
    """(Re)compute the 384-d embedding of title + description + tags."""
    video = repo.video_get(video_id)
    if video is None:
        return
    vector = embeddings.embed_text(embeddings.video_text(video.name, video.description, video.tags))
    repo.video_set_embedding(video_id, vector)
    signals.video_embedded.send(sender=None, video_id=video_id)


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
    """Restart the clock of a stuck video; a queue row whose video moved on is removed as stale."""
    bumped = _change_if(
        video_id, lambda v: v.status is status and v.status_since == since, lambda v: _move_status(v, status)
    )
    if not bumped:
        repo.status_queue_remove(status, since, video_id)
    return bumped
