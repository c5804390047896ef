"""Catalog: submissions, processing, YouTube, views and trending."""

from __future__ import annotations

from .environment import env

VIDEO_SUBMIT_RATE_LIMIT = env.int("VIDEO_SUBMIT_RATE_LIMIT", default=30)  # submissions per creator per hour
CATALOG_PROCESS_MAX_RETRIES = env.int("CATALOG_PROCESS_MAX_RETRIES", default=5)
CATALOG_PROCESS_RETRY_BASE_SECONDS = env.float("CATALOG_PROCESS_RETRY_BASE_SECONDS", default=2.0)
# A retry waits out its countdown inside the worker holding the unacknowledged message, so the cap (plus one
# attempt) must stay below CELERY_VISIBILITY_TIMEOUT_SECONDS or the broker hands the message to another worker
# early (base.py refuses to start otherwise). 2, 4, 8, 16, 20 s: about a minute of retries in all.
CATALOG_PROCESS_RETRY_MAX_SECONDS = env.float("CATALOG_PROCESS_RETRY_MAX_SECONDS", default=20.0)
# A crashed worker's videos come back through the broker within a minute; the rescue job is the backstop for a
# lost message. A video still within its retries stays PROCESSING without its clock restarting (about 1.5
# minutes at most with the defaults), so the window sits above that: rescuing it would start a second,
# redundant chain (harmless, processing is idempotent, but it doubles the YouTube calls).
CATALOG_STUCK_AFTER_MINUTES = env.int("CATALOG_STUCK_AFTER_MINUTES", default=3)
CATALOG_VIEW_DEDUPE_SECONDS = env.int("CATALOG_VIEW_DEDUPE_SECONDS", default=30 * 60)
# Anonymous views one address may add to one video per dedupe window (households and offices share one).
CATALOG_ANON_VIEWS_PER_IP = env.int("CATALOG_ANON_VIEWS_PER_IP", default=10)
CATALOG_TRENDING_PER_DAY = env.int("CATALOG_TRENDING_PER_DAY", default=50)

YOUTUBE_API_KEY = env("YOUTUBE_API_KEY", default="")
YOUTUBE_DATA_API_BASE_URL = env("YOUTUBE_DATA_API_BASE_URL", default="https://www.googleapis.com/youtube/v3")
YOUTUBE_OEMBED_URL = env("YOUTUBE_OEMBED_URL", default="https://www.youtube.com/oembed")
YOUTUBE_TIMEOUT_SECONDS = env.float("YOUTUBE_TIMEOUT_SECONDS", default=5.0)

CATALOG_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "catalog-views-flush": {
        "task": "catalog.views_flush",
        "schedule": env.float("CATALOG_VIEWS_FLUSH_SECONDS", default=15.0),
    },
    "catalog-rescue-stuck": {
        "task": "catalog.videos_rescue_stuck",
        "schedule": env.float("CATALOG_RESCUE_EVERY_SECONDS", default=60.0),
    },
}
