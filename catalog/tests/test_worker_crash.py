"""Crash safety: SIGKILL a real worker mid-task; a second real worker finishes its videos through the broker.

The workers run with a shorter visibility timeout than production (15 s instead of 45 s, a restore sweep every
second instead of every 5 s, retries capped at 2 s and a 3 s YouTube timeout so the settings check still
holds) so that the test takes about half a minute; `bench/worker_crash.py` measures the production defaults.
No beat runs here, so the videos can only come back through the broker, never through the rescue job.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
import uuid

import pytest
import redis

from catalog import services
from catalog.domain import VideoStatus
from catalog.repositories import videos as videos_repo
from catalog.services import videos
from catalog.tests.conftest import youtube_id_for
from catalog.tests.youtube_standin import OkVideo, Slow
from conftest import start_worker, stop_worker
from killrvideo.pagination import PageRequest

logger = logging.getLogger(__name__)

QUEUE = "killrvideo-crash-test"  # the session's worker does not consume it, so it cannot steal the tasks
VISIBILITY_SECONDS = 15
CRASH_ENV = {
    "CELERY_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_SECONDS),
    "CELERY_UNACKED_RESTORE_INTERVAL_SECONDS": "1",
    "CATALOG_PROCESS_RETRY_MAX_SECONDS": "2",
    "YOUTUBE_TIMEOUT_SECONDS": "3",
}
CONCURRENCY = 4  # the helper's --concurrency: that many videos are in flight when the worker dies
VIDEOS = 8  # the other half waits in the queue
YOUTUBE_IDS = [youtube_id_for(9000 + n) for n in range(VIDEOS)]


@pytest.fixture
def crash_queue() -> str:
    from django.conf import settings

    from killrvideo.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = QUEUE
    yield QUEUE
    app.conf.task_default_queue = previous
    redis.Redis.from_url(settings.REDIS_URL).delete(QUEUE)


@pytest.fixture
def workers(kv_stack):
    """Starts workers in their own process groups; stops whatever is still running at teardown."""
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        log_path = kv_stack.workdir / f"worker-crash-{name}.log"
        worker = start_worker(kv_stack, queue=QUEUE, log_path=log_path, extra_env=CRASH_ENV, own_session=True)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            stop_worker(worker)


def _statuses(video_ids: list[uuid.UUID]) -> dict[uuid.UUID, VideoStatus]:
    return {vid: video.status for vid, video in videos_repo.videos_get_many(video_ids).items()}


def _wait_for(video_ids: list[uuid.UUID], done, timeout: float) -> dict[uuid.UUID, VideoStatus]:
    deadline = time.monotonic() + timeout
    while True:
        statuses = _statuses(video_ids)
        if done(statuses) or time.monotonic() > deadline:
            return statuses
        time.sleep(0.2)


def _kill_group(worker: subprocess.Popen[bytes]) -> None:
    """kill -9 of the worker's main process and everything in its group (pool children, if prefork)."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


@pytest.mark.worker
def test_videos_in_flight_on_a_killed_worker_become_ready_on_another(
    creator, standin, crash_queue, workers, record_property
):
    for youtube_id in YOUTUBE_IDS:  # each fetch outlasts the kill: the worker dies mid-task
        standin.set_scenario(youtube_id, Slow(delay_seconds=60, video=OkVideo(title="Fetched")))
    first = workers("first")
    submitted = [
        videos.video_submit(actor=creator, youtube_url=f"https://youtu.be/{yid}", title=f"Crash {n}").video.video_id
        for n, yid in enumerate(YOUTUBE_IDS)
    ]
    before = _wait_for(submitted, lambda s: list(s.values()).count(VideoStatus.PROCESSING) >= CONCURRENCY, 30)
    in_flight = [vid for vid, status in before.items() if status is VideoStatus.PROCESSING]
    assert len(in_flight) >= CONCURRENCY, before
    # Let each task leave the video's Redis lock and sit in its YouTube fetch: killed inside the lock, a task
    # would make its redelivered copy wait out the lock's 30 s TTL (production's 45 s timeout outlasts it).
    time.sleep(0.5)

    _kill_group(first)
    killed_at = time.monotonic()
    for youtube_id in YOUTUBE_IDS:  # YouTube answers at once from now on
        standin.set_scenario(youtube_id, OkVideo(title="Fetched"))
    workers("second")
    after = _wait_for(submitted, lambda s: all(status is VideoStatus.READY for status in s.values()), 60)
    recovery = time.monotonic() - killed_at

    record_property("recovery_seconds", round(recovery, 1))
    logger.info(
        "Worker crash: %d videos (%d in flight at the kill) READY on the second worker %.1f s after the kill",
        VIDEOS,
        len(in_flight),
        recovery,
    )
    assert set(after.values()) == {VideoStatus.READY}, after
    assert recovery <= VISIBILITY_SECONDS + 30
    far_future = videos_repo.video_get(submitted[0]).updated_at.replace(year=3000)
    for status in (VideoStatus.PENDING, VideoStatus.PROCESSING):
        assert videos_repo.status_queue_older_than(status, far_future, 100) == []
    assert services.latest_page(request=PageRequest(1, 10)).total == VIDEOS  # each video listed exactly once
