"""Celery tasks of discovery: thin and idempotent wrappers that call a service."""

from __future__ import annotations

import uuid
from typing import Any

from celery import shared_task

from discovery.domain import PreferenceEvent
from discovery.services import preferences, search_index


# Safe to retry: the event id on the user's row makes a second run a no-op. The short backoff keeps a retry
# well inside the broker's visibility timeout (see CELERY_VISIBILITY_TIMEOUT_SECONDS).
@shared_task(
    name=preferences.PREFERENCE_TASK,
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=5,
    retry_backoff=True,
    retry_backoff_max=20,
)
def preference_apply(event: dict[str, Any]) -> bool:
    """Fold one rating, counted view or comment into the user's For You state."""
    return preferences.preference_apply(event=PreferenceEvent.from_message(event))


@shared_task(name=search_index.EMBED_PASSAGES_TASK, acks_late=True)
def embed_passages(video_id: str) -> int:
    """Embed the passages of one video's transcript that have no vector yet (safe to run twice)."""
    return search_index.passages_embed(uuid.UUID(video_id))
