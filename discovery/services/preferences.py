"""For You's preference state: signal receivers hand each action to a Celery task, which folds it into the
user's row one event at a time (see `discovery.services.foryou` for the model and `discovery.domain.apply_event`
for the update). Nothing is recomputed from the user's history.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from celery import current_app

from catalog import services as catalog
from catalog.domain import Video, utcnow
from discovery import foryou_repository as repo
from discovery.domain import Action, Preference, PreferenceEvent, apply_event
from killrvideo import redis

logger = logging.getLogger(__name__)

PREFERENCE_TASK = "discovery.preference_apply"


# ---- events: signal receivers hand each action to the Celery task --------------------------------------


def on_rating_saved(sender: object, *, rating: Any, previous: int | None, video: Video, **_: Any) -> None:
    """community's `rating_saved`: a new or changed rating (re-sending the same stars changes nothing)."""
    if previous == rating.rating:
        return
    at = _ms(rating.updated_at)
    _enqueue(
        PreferenceEvent(
            event_id=f"rate:{video.video_id}:{at.isoformat()}",
            user_id=rating.user_id,
            video_id=video.video_id,
            action=Action.RATE,
            at=at,
            stars=int(rating.rating),
            title=video.name,
            tags=video.tags,
        )
    )


def on_view_counted(sender: object, *, video: Video, user_id: uuid.UUID | None, **_: Any) -> None:
    """catalog's `view_counted`: a signed-in viewer's counted view (anonymous views have no state)."""
    if user_id is None:
        return
    _enqueue(
        PreferenceEvent(
            event_id=f"view:{uuid.uuid4()}",
            user_id=user_id,
            video_id=video.video_id,
            action=Action.VIEW,
            at=utcnow(),
            title=video.name,
            tags=video.tags,
        )
    )


def on_comment_posted(sender: object, *, comment: Any, video: Video, **_: Any) -> None:
    """community's `comment_posted`."""
    _enqueue(
        PreferenceEvent(
            event_id=f"comment:{comment.comment_id}",
            user_id=comment.user_id,
            video_id=video.video_id,
            action=Action.COMMENT,
            at=_ms(comment.created_at),
            title=video.name,
            tags=video.tags,
        )
    )


def _enqueue(event: PreferenceEvent) -> None:
    # By task name: the tasks module imports this one. The action itself is stored already, so a broker
    # failure is logged rather than failing it (the feed just misses one signal).
    try:
        current_app.send_task(PREFERENCE_TASK, kwargs={"event": event.as_message()})
    except Exception:
        logger.exception("Could not queue the For You update %s", event.event_id)


def preference_apply(*, event: PreferenceEvent) -> bool:
    """The task's work: fold one event into the user's state. True when the state changed."""
    with redis.lock(f"foryou:{event.user_id}"):
        preference = repo.preference_get(event.user_id)
        stored = repo.interaction_get(event.user_id, event.video_id)
        embedding = None
        if preference is None or event.event_id not in preference.recent_events:
            embedding = catalog.video_embedding(video_id=event.video_id)
        new, interaction = apply_event(preference, stored, event, embedding)
        if new is not None and new is not preference:
            repo.preference_put(new)  # first: it records the event id, so a retry does not apply it again
        if interaction is not None and interaction != stored:
            repo.interaction_put(interaction)
    return new is not preference


def preference_of(*, user_id: uuid.UUID) -> Preference | None:
    return repo.preference_get(user_id)


def _ms(value: datetime) -> datetime:
    """Timestamps at the millisecond precision Astra keeps, so a stored time compares equal to the event's."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)
