"""Submitting, reading, editing and (soft) deleting videos."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from celery import current_app
from django.conf import settings

from accounts import permissions
from accounts.domain import Role
from accounts.permissions import Actor
from catalog import signals, youtube
from catalog.domain import FailureCode, Video, VideoStatus, VideoSummary, fields_given, utcnow
from catalog.metadata import fetch_metadata
from catalog.repositories import videos as repo
from catalog.services import listings
from catalog.services.counters import video_with_counters, with_counters
from catalog.services.validation import clean_description, clean_tags, clean_title, parse_url
from killrvideo import cache, ratelimit, redis
from killrvideo.errors import NotFound, PermissionDenied, ServiceUnavailable, ValidationFailed

logger = logging.getLogger(__name__)

SUBMIT_CLAIM_SECONDS = 120
PROCESS_TASK = "catalog.video_process"
EMBED_TASK = "catalog.video_embed"


@dataclass(frozen=True)
class Submission:
    video: Video
    created: bool


# ---- the one way to change a video ---------------------------------------------------------------


def video_change(video_id: uuid.UUID, mutate: Callable[[Video], Video | None], *, actor: Actor | None = None) -> Video:
    """Under the video's lock: load, check the actor (owner or moderator, when given), mutate, bring every
    listing in step, save. `mutate` returns None for "nothing to change"; the stored video is returned."""
    with redis.lock(f"video:{video_id}"):
        old = repo.video_get(video_id)
        if old is None:
            raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
        if actor is not None:
            permissions.require_owner_or_moderator(actor, old.user_id, what="video")
        new = mutate(old)
        if new is None:
            return old
        new = listings.sync(old, new)
        repo.video_save(new)
    # After the lock: receivers may read the video back.
    signals.video_changed.send(sender=Video, old=old, new=new)
    if new.is_public != old.is_public:
        signals.video_visibility_changed.send(sender=Video, video=new, public=new.is_public)
    return new


# ---- reads ----------------------------------------------------------------------------------------


# Cache scope of reads across every video (the repository bumps it after each write to `videos`).
ANY_VIDEO = repo.ANY_VIDEO


def video_find(*, video_id: uuid.UUID, include_deleted: bool = False) -> Video | None:
    """The stored video without counters, or None. Served from the cache under the video's version, which
    every write of its row bumps, so it is never stale."""
    video = cache.cached(f"video:{video_id}", [repo.video_scope(video_id)], lambda: repo.video_get(video_id))
    return None if video is None or (video.deleted and not include_deleted) else video


def video_get(*, video_id: uuid.UUID, include_deleted: bool = False) -> Video:
    video = video_find(video_id=video_id, include_deleted=include_deleted)
    if video is None:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    return video_with_counters(video)


def video_get_for(*, actor: Actor, video_id: uuid.UUID) -> Video:
    """A video as this actor may see it: public ones for everyone; one still processing or failed for its
    owner and moderators; a deleted one for moderators only."""
    video = video_get(video_id=video_id, include_deleted=permissions.is_moderator(actor))
    if not video.is_public and not permissions.is_owner_or_moderator(actor, video.user_id):
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    return video


def videos_get_many(*, video_ids: list[uuid.UUID], include_deleted: bool = False) -> dict[uuid.UUID, Video]:
    found = repo.videos_get_many(video_ids)
    return {vid: v for vid, v in found.items() if include_deleted or not v.deleted}


def _videos_find_many(video_ids: list[uuid.UUID]) -> dict[uuid.UUID, Video]:
    """The stored videos among `video_ids` (deleted ones included), from the same cache entries as
    `video_find`, in one lookup; the ones not cached by `$in`, a hundred per read."""
    ids = list(dict.fromkeys(video_ids))

    def load(missing: list[int]) -> list[Video | None]:
        found = repo.videos_get_many([ids[i] for i in missing])
        return [found.get(ids[i]) for i in missing]

    videos = cache.cached_each([(f"video:{vid}", repo.video_scope(vid)) for vid in ids], load)
    return {video.video_id: video for video in videos if video is not None}


def video_cards(*, video_ids: list[uuid.UUID]) -> dict[uuid.UUID, VideoSummary]:
    """Cards (summary + counters) of the public ones among `video_ids`."""
    public = [video for video in _videos_find_many(video_ids).values() if video.is_public]
    return {card.video_id: card for card in with_counters([listings.summary_of(video) for video in public])}


def public_among(*, video_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `video_ids` are public: one cache lookup of a flag per video, under the video's version (every
    write of its row bumps it, so a flag is never stale); flags not cached come from the videos themselves
    (`video_find`'s entries, or `$in` reads). A flag rather than the video: a new search asks this of a
    hundred or more videos, and unpickling that many videos costs ~2 ms of CPU."""
    ids = list(dict.fromkeys(video_ids))

    def load(missing: list[int]) -> list[bool]:
        found = _videos_find_many([ids[i] for i in missing])
        return [ids[i] in found and found[ids[i]].is_public for i in missing]

    flags = cache.cached_each([(f"video-public:{vid}", repo.video_scope(vid)) for vid in ids], load)
    return {vid for vid, public in zip(ids, flags, strict=True) if public}


def video_embedding(*, video_id: uuid.UUID) -> list[float] | None:
    """The stored embedding of a video (None while it is not computed yet), from the cache under the video's
    version (the embedding's write bumps it too)."""
    return cache.cached(
        f"video-embedding:{video_id}", [repo.video_scope(video_id)], lambda: repo.video_embedding_get(video_id)
    )


def videos_nearest(
    *, vector: list[float], limit: int, exclude: frozenset[uuid.UUID] = frozenset(), counters: bool = True
) -> list[tuple[VideoSummary, float]]:
    """Public (READY, not deleted) videos nearest to `vector` by cosine similarity (0..1), most similar first.
    One vector-sorted read of ids over-fetching 2x, the videos from the cache (`video_find`'s entries; the
    missing ones by `$in`): the few non-public ones it meets are dropped here. Without `counters`
    the cards carry no views, ratings or uploader names (callers that cache join them later)."""
    found = repo.videos_nearest(vector, 2 * limit + len(exclude))
    videos = _videos_find_many([vid for vid, _ in found if vid not in exclude])
    public = [(videos[vid], score) for vid, score in found if vid in videos and videos[vid].is_public][:limit]
    cards = [listings.summary_of(video) for video, _ in public]
    if counters:
        cards = with_counters(cards)
    return [(card, score) for card, (_, score) in zip(cards, public, strict=True)]


def video_status(*, actor: Actor, video_id: uuid.UUID) -> Video:
    video = repo.video_get(video_id)
    if video is None:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    permissions.require_owner_or_moderator(actor, video.user_id, what="video")
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


# ---- submit ---------------------------------------------------------------------------------------


def video_submit(
    *,
    actor: Actor,
    youtube_url: str,
    title: str | None = None,
    description: str | None = None,
    tags: list[str] | None = None,
) -> Submission:
    """Create a PENDING video and queue its processing; the same user + YouTube video returns the existing one."""
    user = permissions.require_role(
        actor, Role.CREATOR, message="Only creators can submit videos.", sign_in_message="Sign in to submit videos."
    )
    youtube_id = parse_url(youtube_url)
    name, text, tag_values = clean_title(title) or "", clean_description(description) or "", clean_tags(tags) or ()
    # Only input that passed validation spends a rate-limit token.
    ratelimit.hit("video_submit", str(user.user_id), limit=settings.VIDEO_SUBMIT_RATE_LIMIT, window_seconds=3600)
    user_id = user.user_id
    existing = _existing_submission(user_id, youtube_id)
    if existing is not None:
        return Submission(video_with_counters(existing), created=False)
    video_id = uuid.uuid4()
    holder = redis.claim(f"submit:{user_id}:{youtube_id}", str(video_id), SUBMIT_CLAIM_SECONDS)
    if holder is not None:
        return Submission(_wait_for(uuid.UUID(holder)), created=False)
    typed = fields_given(name=name or None, description=text or None, tags=tag_values or None)
    video = _create(video_id, user_id, youtube_id, name, text, tag_values, typed)
    redis.release_claim(f"submit:{user_id}:{youtube_id}")
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
    # By task name: the tasks module imports these services, so importing it here would be a cycle.
    current_app.send_task(PROCESS_TASK, args=[str(video_id)])


def _enqueue_embedding(video_id: uuid.UUID) -> None:
    current_app.send_task(EMBED_TASK, args=[str(video_id)])


# ---- edit / delete / restore -------------------------------------------------------------------


def video_edit(
    *,
    actor: Actor,
    video_id: uuid.UUID,
    title: str | None = None,
    description: str | None = None,
    tags: list[str] | None = None,
) -> Video:
    """Change title/description/tags; every denormalised copy follows. Adding a title can fix an ERROR."""
    name, text, tag_values = clean_title(title, required=True), clean_description(description), clean_tags(tags)
    new = video_change(video_id, lambda old: _apply_edit(old, name, text, tag_values), actor=actor)
    if new.status is VideoStatus.READY:
        _enqueue_embedding(video_id)
    logger.info("Video %s edited", video_id)
    return video_with_counters(new)


def _apply_edit(old: Video, name: str | None, text: str | None, tags: tuple[str, ...] | None) -> Video:
    new = replace(
        old,
        name=old.name if name is None else name,
        description=old.description if text is None else text,
        tags=old.tags if tags is None else tags,
        creator_fields=old.creator_fields | fields_given(name=name, description=text, tags=tags),
        updated_at=utcnow(),
    )
    if new.status is VideoStatus.ERROR and new.failure_code == FailureCode.METADATA_UNAVAILABLE and new.name:
        # YouTube could not be reached but the video id is valid: publish with what the creator typed.
        new = replace(new, status=VideoStatus.READY, failure_code="", failure_reason="", status_since=new.updated_at)
    return new


def video_soft_delete(*, actor: Actor, video_id: uuid.UUID) -> Video:
    """Hide the video everywhere (listings, watch page, API); the row stays so it can be restored."""

    def delete(old: Video) -> Video | None:
        now = utcnow()
        # video_change let only the owner or a moderator this far: anyone else is a moderator.
        by_moderator = not (permissions.is_signed_in(actor) and actor.user_id == old.user_id)
        if old.deleted:
            return None
        return replace(old, deleted=True, deleted_at=now, updated_at=now, removed_by_moderator=by_moderator)

    video = video_change(video_id, delete, actor=actor)
    logger.info("Video %s soft-deleted by %s", video_id, actor.user_id)
    return video


def video_restore(*, actor: Actor, video_id: uuid.UUID) -> Video:
    """Undo a soft delete. What a moderator removed only a moderator brings back (its owner cannot)."""

    def restore(old: Video) -> Video | None:
        if not old.deleted:
            return None
        if old.removed_by_moderator and not permissions.is_moderator(actor):
            raise PermissionDenied(
                "A moderator removed this video; only a moderator can restore it.", code="REMOVED_BY_MODERATOR"
            )
        return replace(old, deleted=False, deleted_at=None, updated_at=utcnow(), removed_by_moderator=False)

    video = video_change(video_id, restore, actor=actor)
    logger.info("Video %s restored by %s", video_id, actor.user_id)
    return video_with_counters(video)
