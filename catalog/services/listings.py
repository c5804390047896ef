"""Listings: membership kept in step with each video's state, and pages with true totals.

A video is in the public listings (latest, its tags, its uploader) exactly while it is READY and not deleted;
`Video.listed` records that, so publishing twice (a retried task) never double-counts a total. Every creator's
video is in the Studio listing, under state 'active' or 'deleted'.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from catalog.domain import ListingKey, Video, VideoSummary, latest_bucket
from catalog.repositories import listings as repo
from catalog.repositories import redis_store
from catalog.services.counters import with_counters
from killrvideo.pagination import Page, PageRequest

logger = logging.getLogger(__name__)

# Upper bound on month buckets read to locate a page of `latest` (100 years).
MAX_LATEST_BUCKETS = 1200
RECENT_BUCKETS = 12


def summary_of(video: Video) -> VideoSummary:
    return VideoSummary(
        video_id=video.video_id,
        user_id=video.user_id,
        name=video.name,
        description=video.description,
        tags=video.tags,
        thumbnail_url=video.thumbnail_url,
        added_date=video.added_date,
        status=video.status,
        deleted=video.deleted,
    )


# ---- totals ---------------------------------------------------------------------------------


def total_get(key: ListingKey) -> int:
    return redis_store.total_get(key.value, lambda: repo.total_get(key.value))


def _total_change(key: ListingKey, delta: int) -> int:
    return total_change_raw(key.value, delta)


def total_change_raw(key: str, delta: int) -> int:
    return redis_store.total_change(key, delta, lambda: repo.total_get(key), lambda value: repo.total_put(key, value))


def bucket_change(bucket: str, delta: int) -> None:
    key = ListingKey.latest_bucket(bucket).value

    def persist(value: int) -> None:
        repo.total_put(key, value)
        repo.latest_bucket_put(bucket, value)

    redis_store.total_change(key, delta, lambda: repo.total_get(key), persist)


def total_set(key: ListingKey, value: int) -> None:
    redis_store.total_set(key.value, value, lambda v: repo.total_put(key.value, v))


def bucket_set(bucket: str, value: int) -> None:
    key = ListingKey.latest_bucket(bucket).value

    def persist(v: int) -> None:
        repo.total_put(key, v)
        repo.latest_bucket_put(bucket, v)

    redis_store.total_set(key, value, persist)


# ---- membership (callers hold the video lock) -------------------------------------------


def publish(video: Video) -> Video:
    """Add a READY, non-deleted video to latest, its tags and its uploader's channel."""
    summary = summary_of(video)
    repo.latest_insert(summary)
    repo.user_insert(summary)
    for tag in video.tags:
        repo.tag_insert(tag, summary)
    _total_change(ListingKey.latest(), +1)
    bucket_change(latest_bucket(video.added_date), +1)
    _total_change(ListingKey.user(video.user_id), +1)
    for tag in video.tags:
        _total_change(ListingKey.tag(tag), +1)
    return replace(video, listed=True)


def unpublish(video: Video) -> Video:
    summary = summary_of(video)
    repo.latest_delete(summary)
    repo.user_delete(summary)
    for tag in video.tags:
        repo.tag_delete(tag, summary)
    _total_change(ListingKey.latest(), -1)
    bucket_change(latest_bucket(video.added_date), -1)
    _total_change(ListingKey.user(video.user_id), -1)
    for tag in video.tags:
        _total_change(ListingKey.tag(tag), -1)
    return replace(video, listed=False)


def refresh(old: Video, new: Video) -> None:
    """Rewrite every denormalised copy of a listed video after an edit (tags added/removed move rows)."""
    summary = summary_of(new)
    repo.latest_insert(summary)
    repo.user_insert(summary)
    for tag in set(old.tags) - set(new.tags):
        repo.tag_delete(tag, summary)
        _total_change(ListingKey.tag(tag), -1)
    for tag in new.tags:
        repo.tag_insert(tag, summary)
    for tag in set(new.tags) - set(old.tags):
        _total_change(ListingKey.tag(tag), +1)


def studio_add(video: Video) -> None:
    repo.studio_put(summary_of(video))
    _total_change(ListingKey.user_deleted(video.user_id) if video.deleted else ListingKey.user_all(video.user_id), +1)


def studio_update(video: Video) -> None:
    repo.studio_put(summary_of(video))


def studio_move(video: Video) -> None:
    """The video's `deleted` flag changed: move its Studio row to the other state."""
    repo.studio_delete(summary_of(video), deleted=not video.deleted)
    repo.studio_put(summary_of(video))
    user_all, user_deleted = ListingKey.user_all(video.user_id), ListingKey.user_deleted(video.user_id)
    _total_change(user_deleted if video.deleted else user_all, +1)
    _total_change(user_all if video.deleted else user_deleted, -1)


def sync(old: Video, new: Video) -> Video:
    """Bring public listings and Studio in line with `new`; returns `new` with `listed` set."""
    if old.deleted != new.deleted:
        studio_move(new)
    else:
        studio_update(new)
    if new.is_public and not old.listed:
        return publish(new)
    if not new.is_public and old.listed:
        return unpublish(replace(new, tags=old.tags, added_date=old.added_date))
    if new.is_public and old.listed:
        refresh(old, new)
    return replace(new, listed=new.is_public)


# ---- pages ------------------------------------------------------------------------------------


def _slice(rows: list[VideoSummary], request: PageRequest) -> list[VideoSummary]:
    return rows[request.offset : request.offset + request.page_size]


def latest_page(*, request: PageRequest) -> Page[VideoSummary]:
    """Newest public videos: locate the month bucket holding the offset, then read ranges of 1-2 buckets."""
    total = total_get(ListingKey.latest())
    if request.offset >= total:
        return Page([], request.page, request.page_size, total)
    skip, wanted, items = request.offset, request.page_size, []
    for bucket, count in _buckets_covering(request.offset + request.page_size):
        if skip >= count:
            skip -= count
            continue
        rows = repo.latest_read_bucket(bucket, skip + wanted)[skip:]
        items.extend(rows)
        wanted -= len(rows)
        skip = 0
        if wanted <= 0:
            break
    return Page(with_counters(items), request.page, request.page_size, total)


def _buckets_covering(rows_needed: int) -> list[tuple[str, int]]:
    """The newest month buckets, enough of them to hold `rows_needed` rows (recent pages read a few)."""
    recent = repo.latest_buckets_read(RECENT_BUCKETS)
    if len(recent) < RECENT_BUCKETS or sum(count for _, count in recent) >= rows_needed:
        return recent
    return repo.latest_buckets_read(MAX_LATEST_BUCKETS)


def tag_page(*, tag: str, request: PageRequest) -> Page[VideoSummary]:
    total = total_get(ListingKey.tag(tag))
    rows = _slice(repo.tag_read(tag, request.offset + request.page_size), request) if request.offset < total else []
    return Page(with_counters(rows), request.page, request.page_size, total)


def uploader_page(*, user_id: uuid.UUID, request: PageRequest) -> Page[VideoSummary]:
    total = total_get(ListingKey.user(user_id))
    rows = (
        _slice(repo.user_read(user_id, request.offset + request.page_size), request) if request.offset < total else []
    )
    return Page(with_counters(rows), request.page, request.page_size, total)


def studio_page(*, user_id: uuid.UUID, deleted: bool, request: PageRequest) -> Page[VideoSummary]:
    key = ListingKey.user_deleted(user_id) if deleted else ListingKey.user_all(user_id)
    total = total_get(key)
    limit = request.offset + request.page_size
    rows = _slice(repo.studio_read(user_id, deleted=deleted, limit=limit), request) if request.offset < total else []
    return Page(with_counters(rows), request.page, request.page_size, total)
