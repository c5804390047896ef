"""Catalog test helpers: users of every role, and videos made READY through the real services."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
import redis

from accounts.domain import User
from catalog.domain import Video
from catalog.services import processing, videos
from catalog.tests.youtube_standin import OkVideo, YouTubeStandIn

_ids = itertools.count(1)


def youtube_id_for(n: int) -> str:
    """Distinct, valid 11-character YouTube ids."""
    return f"vid{n:08d}"


PARKED_QUEUE = "catalog-tests-parked"


@pytest.fixture(autouse=True)
def _park_tasks_unless_worker_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests that drive processing in-process must not race the session's worker (started by an earlier
    test): their queued tasks go to a queue no worker consumes. Tests asking for `celery_worker` are untouched.
    """
    if "celery_worker" in request.fixturenames or "kv_stack" not in request.fixturenames:
        yield
        return
    from django.conf import settings

    from killrvideo.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = PARKED_QUEUE
    yield
    app.conf.task_default_queue = previous
    redis.Redis.from_url(settings.REDIS_URL).delete(PARKED_QUEUE)


@pytest.fixture
def standin(store: None, youtube_standin: YouTubeStandIn) -> YouTubeStandIn:
    youtube_standin.reset()
    return youtube_standin


PublishVideo = Callable[..., Video]


@pytest.fixture
def publish_video(standin: YouTubeStandIn) -> PublishVideo:
    """Submit through the service, then run the processing step in-process (the worker does the same)."""

    def publish(owner: User, title: str = "A video", tags: tuple[str, ...] = (), **fetched: object) -> Video:
        youtube_id = youtube_id_for(next(_ids))
        standin.set_scenario(youtube_id, OkVideo(title=title, **fetched))  # type: ignore[arg-type]
        submission = videos.video_submit(
            actor=owner, youtube_url=f"https://youtu.be/{youtube_id}", tags=list(tags) or None
        )
        processing.video_process(video_id=submission.video.video_id, final_attempt=True)
        return videos.video_get(video_id=submission.video.video_id)

    return publish
