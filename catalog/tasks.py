"""Celery tasks: thin, idempotent wrappers that load by id and call a service."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings

from catalog import youtube
from catalog.services import processing, viewcounts
from catalog.services.videos import EMBED_TASK, PROCESS_TASK

logger = logging.getLogger(__name__)


def _backoff_seconds(retries: int) -> float:
    """Exponential backoff (base * 2^n), capped."""
    base = float(settings.CATALOG_PROCESS_RETRY_BASE_SECONDS)
    return min(base * (2**retries), float(settings.CATALOG_PROCESS_RETRY_MAX_SECONDS))


@shared_task(bind=True, name=PROCESS_TASK, max_retries=None, acks_late=True)
def video_process(self: Task, video_id: str) -> str | None:
    """PENDING -> PROCESSING -> READY | ERROR. Transient YouTube failures retry with backoff."""
    retries = int(self.request.retries or 0)
    final = retries >= int(settings.CATALOG_PROCESS_MAX_RETRIES)
    try:
        status = processing.video_process(video_id=uuid.UUID(video_id), final_attempt=final, retries=retries)
    except youtube.YouTubeTransientError as exc:
        countdown = _backoff_seconds(retries)
        logger.info("Video %s: transient YouTube failure, retry %d in %.1fs", video_id, retries + 1, countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return status.value if status else None


# Retries back off 1, 2, 4 s: Celery's default 180 s delay would outlive the broker's visibility timeout, and
# a message still held past it is redelivered (see CELERY_VISIBILITY_TIMEOUT_SECONDS).
@shared_task(
    name=EMBED_TASK,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    max_retries=3,
    retry_backoff=True,
    retry_backoff_max=20,
)
def video_embed(video_id: str) -> None:
    processing.video_embed(video_id=uuid.UUID(video_id))


@shared_task(name="catalog.videos_rescue_stuck", acks_late=False)
def videos_rescue_stuck() -> int:
    """Periodic: re-queue videos PENDING/PROCESSING for too long (lost message, crashed worker)."""
    minutes = int(settings.CATALOG_STUCK_AFTER_MINUTES)
    rescued = processing.videos_rescue_stuck(older_than=timedelta(minutes=minutes))
    for video_id in rescued:
        video_process.delay(str(video_id))
    return len(rescued)


@shared_task(name="catalog.views_flush", acks_late=False, autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def views_flush() -> int:
    """Periodic: write view counters from Redis to Astra (absolute values, so a retry never double-counts)."""
    return viewcounts.views_flush()
