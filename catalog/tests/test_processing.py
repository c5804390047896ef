"""The processing state machine against the local YouTube stand-in: in-process and in the real worker."""

from __future__ import annotations

import time

import pytest

from catalog import services, youtube
from catalog.domain import FailureCode, VideoStatus
from catalog.repositories import videos as videos_repo
from catalog.services import processing, videos
from catalog.tests.youtube_standin import FailThenOk, NotFound, OkVideo, Private, Slow
from killrvideo.pagination import PageRequest
from killrvideo.tests.support import SAMPLE_YOUTUBE_ID

VID = SAMPLE_YOUTUBE_ID


def _submit(user, **fields):
    return videos.video_submit(actor=user, youtube_url=f"https://youtu.be/{VID}", **fields).video


def _reload(video):
    return videos_repo.video_get(video.video_id)


def _latest_ids():
    return [v.video_id for v in services.latest_page(request=PageRequest(1, 10)).items]


def test_success_via_oembed_publishes_with_fetched_values(creator, standin):
    standin.set_scenario(VID, OkVideo(title="Fetched title", channel_title="Chan"))
    video = _submit(creator)
    assert processing.video_process(video_id=video.video_id, final_attempt=False) is VideoStatus.READY
    done = _reload(video)
    assert (done.status, done.name, done.channel_title) == (VideoStatus.READY, "Fetched title", "Chan")
    assert done.listed
    assert _latest_ids() == [video.video_id]
    assert videos_repo.status_queue_older_than(VideoStatus.PROCESSING, done.updated_at.replace(year=3000), 10) == []


def test_data_api_values_and_creator_fields_win(creator, standin, settings):
    settings.YOUTUBE_API_KEY = "any-key"  # the session stand-in accepts any key
    standin.set_scenario(
        VID,
        OkVideo(
            title="Fetched",
            description="Fetched text",
            tags=("Astra", "DB"),
            duration="PT1M5S",
            thumbnails={"maxres": "https://i.ytimg.com/vi/x/maxresdefault.jpg"},
        ),
    )
    video = _submit(creator, title="Typed title")
    processing.video_process(video_id=video.video_id, final_attempt=False)
    done = _reload(video)
    assert done.name == "Typed title"
    assert (done.description, done.tags, done.duration_seconds) == ("Fetched text", ("astra", "db"), 65)
    assert done.thumbnail_url.endswith("maxresdefault.jpg")
    assert standin.requests[-1].endpoint == "data_api"
    # The listing rows carry the duration, so every card shows its chip.
    card = services.latest_page(request=PageRequest(1, 10)).items[0]
    assert card.duration_seconds == 65


def test_transient_failure_then_success_shows_the_retry_count(client, creator, standin):
    from accounts.tests.factories import signed_in_client

    standin.set_scenario(VID, FailThenOk(failures=2, video=OkVideo(title="Back again")))
    video = _submit(creator)
    for retries in (0, 1):
        with pytest.raises(youtube.YouTubeTransientError):
            processing.video_process(video_id=video.video_id, final_attempt=False, retries=retries)
    assert _reload(video).status is VideoStatus.PROCESSING
    assert _reload(video).retries == 1
    page = signed_in_client(client, creator).get(f"/studio/videos/{video.video_id}").content.decode()
    assert "retry 1" in page
    processing.video_process(video_id=video.video_id, final_attempt=False, retries=2)
    assert _reload(video).status is VideoStatus.READY


@pytest.mark.parametrize(("scenario", "code"), [(NotFound(), FailureCode.NOT_FOUND), (Private(), FailureCode.PRIVATE)])
def test_permanent_failure_ends_in_error(creator, standin, scenario, code):
    standin.set_scenario(VID, scenario)
    video = _submit(creator, title="Even with a title")
    assert processing.video_process(video_id=video.video_id, final_attempt=False) is VideoStatus.ERROR
    done = _reload(video)
    assert (done.status, done.failure_code) == (VideoStatus.ERROR, code)
    assert done.failure_reason
    assert not done.listed
    assert _latest_ids() == []


def test_timeout_with_title_becomes_ready_with_derived_thumbnail(creator, standin, settings):
    settings.YOUTUBE_TIMEOUT_SECONDS = 0.3
    standin.set_scenario(VID, Slow(delay_seconds=3))
    video = _submit(creator, title="My own title")
    with pytest.raises(youtube.YouTubeTransientError):
        processing.video_process(video_id=video.video_id, final_attempt=False)
    processing.video_process(video_id=video.video_id, final_attempt=True)
    done = _reload(video)
    assert (done.status, done.name) == (VideoStatus.READY, "My own title")
    assert done.thumbnail_url == f"https://i.ytimg.com/vi/{VID}/hqdefault.jpg"


def test_timeout_without_title_ends_in_error_and_an_edit_fixes_it(creator, standin, settings):
    settings.YOUTUBE_TIMEOUT_SECONDS = 0.3
    standin.set_scenario(VID, Slow(delay_seconds=3))
    video = _submit(creator)
    processing.video_process(video_id=video.video_id, final_attempt=True)
    failed = _reload(video)
    assert (failed.status, failed.failure_code) == (VideoStatus.ERROR, FailureCode.METADATA_UNAVAILABLE)
    fixed = videos.video_edit(actor=creator, video_id=video.video_id, title="Now titled")
    assert fixed.status is VideoStatus.READY
    assert fixed.failure_reason == ""
    assert _latest_ids() == [video.video_id]


def test_processing_twice_is_idempotent(creator, standin):
    standin.set_scenario(VID, OkVideo(title="Once"))
    video = _submit(creator, tags=["x"])
    processing.video_process(video_id=video.video_id, final_attempt=False)
    assert processing.video_process(video_id=video.video_id, final_attempt=False) is None
    assert services.latest_page(request=PageRequest(1, 10)).total == 1
    assert services.tag_page(tag="x", request=PageRequest(1, 10)).total == 1


def test_rescue_finds_only_stuck_videos(creator, standin):
    from datetime import timedelta

    video = _submit(creator)
    assert processing.videos_rescue_stuck(older_than=timedelta(minutes=10)) == []
    assert processing.videos_rescue_stuck(older_than=timedelta(seconds=-1)) == [video.video_id]
    assert _reload(video).status is VideoStatus.PENDING  # bumped, still waiting for a worker


def _wait_final(video_id, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        video = videos_repo.video_get(video_id)
        if video.status.is_final:
            return video
        time.sleep(0.2)
    raise AssertionError(f"video {video_id} still {video.status} after {timeout}s")


@pytest.mark.worker
def test_worker_processes_a_submission(celery_worker, creator, standin):
    standin.set_scenario(VID, OkVideo(title="From the worker"))
    video = _submit(creator)  # the service queues catalog.video_process
    done = _wait_final(video.video_id)
    assert (done.status, done.name) == (VideoStatus.READY, "From the worker")
    assert _latest_ids() == [video.video_id]


@pytest.mark.worker
def test_worker_retries_a_transient_failure(celery_worker, creator, standin):
    standin.set_scenario(VID, FailThenOk(failures=2, video=OkVideo(title="Third time lucky")))
    video = _submit(creator)
    done = _wait_final(video.video_id)
    assert (done.status, done.name) == (VideoStatus.READY, "Third time lucky")
    assert [r.endpoint for r in standin.requests].count("oembed") == 3


@pytest.mark.worker
def test_worker_permanent_failure(celery_worker, creator, standin):
    standin.set_scenario(VID, Private())
    video = _submit(creator, title="t")
    done = _wait_final(video.video_id)
    assert done.status is VideoStatus.ERROR
    assert done.failure_reason == "This YouTube video is private."
