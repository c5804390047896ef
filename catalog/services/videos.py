"""Submitting, reading, editing and (soft) deleting videos."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, replace

from django.conf import settings

from accounts.domain import Role
from catalog import youtube
from catalog.domain import FailureCode, Video, VideoStatus, utcnow
from catalog.repositories import redis_store
from catalog.repositories import videos as repo
from catalog.services import listings
from catalog.services.counters import video_with_counters
from catalog.services.validation import clean_description, clean_tags, clean_title, parse_url
from killrvideo import ratelimit
from killrvideo.errors import (
    AuthenticationRequired,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    ValidationFailed,
)

logger = logging.getLogger(__name__)

SUBMIT_CLAIM_SECONDS = 120


@dataclass(frozen=True)
class Submission:
    video: Video
    created: bool


# ---- access rules ------------------------------------------------------------------------------


def _require_creator(actor: object) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise AuthenticationRequired("Sign in to submit videos.")
    if not actor.has_role(Role.CREATOR):  # type: ignore[attr-defined]
        raise PermissionDenied("Only creators can submit videos.")


def can_manage(actor: object, video: Video) -> bool:
    """Owner or moderator."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return actor.user_id == video.user_id or actor.has_role(Role.MODERATOR)  # type: ignore[attr-defined]


def _require_manager(actor: object, video: Video) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise AuthenticationRequired("Sign in to manage this video.")
    if not can_manage(actor, video):
        raise PermissionDenied("Only the video's owner or a moderator can do that.")


# ---- reads ----------------------------------------------------------------------------------------


def video_get(*, video_id: uuid.UUID, include_deleted: bool = False) -> Video:
    video = repo.video_get(video_id)
    if video is None or (video.deleted and not include_deleted):
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    return video_with_counters(video)


def video_get_for(*, actor: object, video_id: uuid.UUID) -> Video:
    """Public detail: deleted videos only for moderators."""
    moderator = getattr(actor, "is_authenticated", False) and actor.has_role(Role.MODERATOR)  # type: ignore[attr-defined]
    return video_get(video_id=video_id, include_deleted=bool(moderator))


def videos_get_many(*, video_ids: list[uuid.UUID], include_deleted: bool = False) -> dict[uuid.UUID, Video]:
    found = repo.videos_get_many(video_ids)
    return {vid: v for vid, v in found.items() if include_deleted or not v.deleted}


def video_status(*, actor: object, video_id: uuid.UUID) -> Video:
    video = repo.video_get(video_id)
    if video is None:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    _require_manager(actor, video)
    return video


def video_preview(*, youtube_url: str) -> youtube.YouTubeMetadata:
    """Real metadata for a link, fetched now (bounded timeout), for the submit form's preview."""
    youtube_id = parse_url(youtube_url)
    try:
        return fetch_metadata(youtube_id)
    except youtube.YouTubePermanentError as exc:
        if exc.reason == "not_found":
            raise NotFound(exc.message, code="YOUTUBE_VIDEO_NOT_FOUND") from exc
        raise ValidationFailed.for_field("youtubeUrl", exc.message, code="YOUTUBE_VIDEO_UNAVAILABLE") from exc
    except youtube.YouTubeTransientError as exc:
        raise ServiceUnavailable("YouTube did not answer in time. Please try again.") from exc


def fetch_metadata(youtube_id: str) -> youtube.YouTubeMetadata:
    return youtube.fetch_metadata(
        youtube_id,
        api_key=settings.YOUTUBE_API_KEY or None,
        data_api_base_url=settings.YOUTUBE_DATA_API_BASE_URL,
        oembed_url=settings.YOUTUBE_OEMBED_URL,
        timeout_seconds=settings.YOUTUBE_TIMEOUT_SECONDS,
    )


# ---- submit ---------------------------------------------------------------------------------------


def video_submit(
    *,
    actor: object,
    youtube_url: str,
    title: str | None = None,
    description: str | None = None,
    tags: list[str] | None = None,
) -> Submission:
    """Create a PENDING video and queue its processing; the same user + YouTube video returns the existing one."""
    _require_creator(actor)
    youtube_id = parse_url(youtube_url)
    ratelimit.hit(
        "video_submit",
        str(actor.user_id),
        limit=settings.VIDEO_SUBMIT_RATE_LIMIT,
        window_seconds=3600,  # type: ignore[attr-defined]
    )
    name, text, tag_values = clean_title(title) or "", clean_description(description) or "", clean_tags(tags) or ()
    user_id: uuid.UUID = actor.user_id  # type: ignore[attr-defined]
    existing = _existing_submission(user_id, youtube_id)
    if existing is not None:
        return Submission(video_with_counters(existing), created=False)
    video_id = uuid.uuid4()
    holder = redis_store.claim(f"submit:{user_id}:{youtube_id}", str(video_id), SUBMIT_CLAIM_SECONDS)
    if holder is not None:
        return Submission(_wait_for(uuid.UUID(holder)), created=False)
    fields = {f for f, v in (("name", name), ("description", text), ("tags", tag_values)) if v}
    video = _create(video_id, user_id, youtube_id, name, text, tag_values, frozenset(fields))
    redis_store.release_claim(f"submit:{user_id}:{youtube_id}")
    return Submission(video, created=True)


def _existing_submission(user_id: uuid.UUID, youtube_id: str) -> Video | None:
    video_id = repo.submission_get(user_id, youtube_id)
    video = repo.video_get(video_id) if video_id else None
    return video if video is not None and not video.deleted else None


def _wait_for(video_id: uuid.UUID) -> Video:
    """A concurrent double submit: the winner is writing the row right now."""
    for _ in range(50):
        video = repo.video_get(video_id)
        if video is not None:
            return video
        time.sleep(0.1)
    raise ServiceUnavailable("Your previous submission of this video is still being saved. Try again shortly.")


def _create(
    video_id: uuid.UUID,
    user_id: uuid.UUID,
    youtube_id: str,
    name: str,
    description: str,
    tags: tuple[str, ...],
    creator_fields: frozenset[str],
) -> Video:
    now = utcnow()
    video = Video(
        video_id=video_id,
        user_id=user_id,
        youtube_id=youtube_id,
        name=name,
        description=description,
        tags=tags,
        status=VideoStatus.PENDING,
        added_date=now,
        updated_at=now,
        status_since=now,
        thumbnail_url=youtube.thumbnail_url(youtube_id),
        creator_fields=creator_fields,
    )
    repo.video_insert(video)
    repo.status_queue_put(VideoStatus.PENDING, now, video_id)
    listings.studio_add(video)
    repo.submission_put(user_id, youtube_id, video_id, now)
    _enqueue_processing(video_id)
    logger.info("Video %s submitted by %s (YouTube %s)", video_id, user_id, youtube_id)
    return video


def _enqueue_processing(video_id: uuid.UUID) -> None:
    from catalog.tasks import video_process  # tasks import services; imported late to avoid a cycle

    video_process.delay(str(video_id))


def _enqueue_embedding(video_id: uuid.UUID) -> None:
    from catalog.tasks import video_embed

    video_embed.delay(str(video_id))


# ---- edit / delete / restore -------------------------------------------------------------------


def video_edit(
    *,
    actor: object,
    video_id: uuid.UUID,
    title: str | None = None,
    description: str | None = None,
    tags: list[str] | None = None,
) -> Video:
    """Change title/description/tags; every denormalised copy follows. Adding a title can fix an ERROR."""
    name, text, tag_values = clean_title(title, required=True), clean_description(description), clean_tags(tags)
    with redis_store.video_lock(video_id):
        old = _load_for_change(actor, video_id)
        new = _apply_edit(old, name, text, tag_values)
        new = listings.sync(old, new)
        repo.video_save(new)
    if new.status is VideoStatus.READY:
        _enqueue_embedding(video_id)
    logger.info("Video %s edited", video_id)
    return video_with_counters(new)


def _load_for_change(actor: object, video_id: uuid.UUID) -> Video:
    video = repo.video_get(video_id)
    if video is None:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    _require_manager(actor, video)
    return video


def _apply_edit(old: Video, name: str | None, text: str | None, tags: tuple[str, ...] | None) -> Video:
    given = {f for f, v in (("name", name), ("description", text), ("tags", tags)) if v is not None}
    new = replace(
        old,
        name=old.name if name is None else name,
        description=old.description if text is None else text,
        tags=old.tags if tags is None else tags,
        creator_fields=old.creator_fields | given,
        updated_at=utcnow(),
    )
    if new.status is VideoStatus.ERROR and new.failure_code == FailureCode.METADATA_UNAVAILABLE and new.name:
        # YouTube could not be reached but the video id is valid: publish with what the creator typed.
        new = replace(new, status=VideoStatus.READY, failure_code="", failure_reason="", status_since=new.updated_at)
    return new


def video_soft_delete(*, actor: object, video_id: uuid.UUID) -> Video:
    """Hide the video everywhere (listings, watch page, API); the row stays so it can be restored."""
    with redis_store.video_lock(video_id):
        old = _load_for_change(actor, video_id)
        if old.deleted:
            return old
        new = replace(old, deleted=True, updated_at=utcnow())
        new = listings.sync(old, new)
        repo.video_save(new)
    logger.info("Video %s soft-deleted by %s", video_id, getattr(actor, "user_id", None))
    return new


def video_restore(*, actor: object, video_id: uuid.UUID) -> Video:
    with redis_store.video_lock(video_id):
        old = _load_for_change(actor, video_id)
        if not old.deleted:
            return old
        new = replace(old, deleted=False, updated_at=utcnow())
        new = listings.sync(old, new)
        repo.video_save(new)
    logger.info("Video %s restored by %s", video_id, getattr(actor, "user_id", None))
    return video_with_counters(new)
