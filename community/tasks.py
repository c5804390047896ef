"""Celery tasks: thin, idempotent wrappers that load by id and call a service."""

from __future__ import annotations

import uuid

from celery import shared_task

from community.services import visibility


# A step is one block (at most 100 comments) and idempotent, so a redelivered or retried message only
# repeats work that is already right; retries back off 1, 2, 4 s (well inside the broker's visibility timeout).
@shared_task(
    name=visibility.SYNC_TASK,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    max_retries=3,
    retry_backoff=True,
    retry_backoff_max=20,
)
def video_comments_sync(video_id: str, block: int | None) -> int:
    """Move one block of a video's comments in (or out of) their authors' lists, then queue the next block."""
    return visibility.video_comments_sync_step(
        video_id=uuid.UUID(video_id), block=None if block is None else int(block)
    )
