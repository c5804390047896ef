"""Discovery test helpers: the catalog's fixtures for videos made READY through the real services."""

from __future__ import annotations

from catalog.tests.conftest import _park_tasks_unless_worker_test, publish_video, standin

__all__ = ["_park_tasks_unless_worker_test", "publish_video", "standin"]
