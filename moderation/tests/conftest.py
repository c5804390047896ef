"""Moderation test helpers: the catalog's fixtures for videos made READY through the real services, and a
commented video to report."""

from __future__ import annotations

import pytest

from catalog.tests.conftest import _park_tasks_unless_worker_test, publish_video, standin
from community import services as community_services

__all__ = ["_park_tasks_unless_worker_test", "publish_video", "standin"]


@pytest.fixture
def video(creator, publish_video):
    return publish_video(creator, title="Moderation target", tags=("cassandra",))


@pytest.fixture
def comment(video, other_creator):
    return community_services.comment_post(actor=other_creator, video_id=video.video_id, text="Buy cheap pills now")
