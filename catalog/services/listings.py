"""Listings: membership kept in step with each video's state, and pages with true totals.

A video is in the public listings (latest, its tags, its uploader) exactly while it is READY and not deleted;
`Video.listed` records that, so publishing twice (a retried task) never double-counts a total. The three
public listings share one scheme: rows partitioned by month bucket, plus per-bucket counts (`listing_buckets`)
so any page reads only the buckets holding its rows. Every creator's video is in the Studio listing, under
state 'active' or 'deleted'.

Public listing pages (their rows and total, before the live counters are joined) are cached per listing
version (`killrvideo.cache`): every change of a listing's rows or counts bumps its version once the writes
have landed, so a cached page is never stale; counters (views, ratings, names) are always read live.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from catalog.domain import Listing, ListingKey, Video, VideoSummary, listings_of, month_bucket
from catalog.repositories import listings as repo
from catalog.services.counters import with_counters
from killrvideo import cache, redis
from killrvideo.buckets import BucketSlice, bucket_slices
from killrvideo.pagination import Page, PageRequest

logger = logging.getLogger(__name__)

# Upper bound on month buckets read to locate a page of a listing (100 years).
MAX_BUCKETS = 1200
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
        duration_seconds=video.duration_seconds,
        removed_by_moderator=video.deleted and video.removed_by_moderator,
    )


# ---- totals and month-bucket counts ------------------------------------------------------------


def total_get(key: ListingKey) -> int:
    return redis.total_get(key.value, lambda: repo.total_get(key.value))


def _total_change(key: ListingKey, delta: int) -> int:
    return total_change_raw(key.value, delta)


def total_change_raw(key: str, delta: int) -> int:
    return redis.total_change(key, delta, lambda: repo.total_get(key), lambda value: repo.total_put(key, value))


def total_set(key: ListingKey, value: int) -> None:
    redis.total_set(key.value, value, lambda v: repo.total_put(key.value, v))
    cache.changed(_scope(key))


def bucket_change(key: ListingKey, bucket: str, delta: int) -> None:
    """Count of a listing's rows in one month bucket: Redis INCRBY, written through to `listing_buckets`."""
    scope = key.value
    redis.total_change(
        key.bucket_counter(bucket),
        delta,
        lambda: repo.bucket_get(scope, bucket),
        lambda value: repo.bucket_put(scope, bucket, value),
    )


def bucket_set(key: ListingKey, bucket: str, value: int) -> None:
    scope = key.value
    redis.total_set(key.bucket_counter(bucket), value, lambda v: repo.bucket_put(scope, bucket, v))
    cache.changed(_scope(key))


def _scope(key: ListingKey) -> str:
    return f"listing:{key.value}"


def _changed(keys: Iterable[ListingKey]) -> None:
    """After a listing's rows and counts are written: its cached pages are not read again."""
    cache.changed(*{_scope(key) for key in keys})


def _counts_change(listings: Sequence[Listing], bucket: str, delta: int) -> None:
    for listing in listings:
        _total_change(listing.key, delta)
        bucket_change(listing.key, bucket, delta)


# ---- membership (callers hold the video lock) -------------------------------------------


def _public_listings(video: Video) -> list[Listing]:
    return listings_of(user_id=video.user_id, tags=video.tags)


def _join(listings: Sequence[Listing], summary: VideoSummary) -> None:
    for listing in listings:
        repo.listing_insert(listing, summary)
    _counts_change(listings, month_bucket(summary.added_date), +1)
    _changed(listing.key for listing in listings)


def _leave(listings: Sequence[Listing], summary: VideoSummary) -> None:
    for listing in listings:
        repo.listing_delete(listing, summary)
    _counts_change(listings, month_bucket(summary.added_date), -1)
    _changed(listing.key for listing in listings)


def publish(video: Video) -> Video:
    """Add a READY, non-deleted video to latest, its tags and its uploader's channel."""
    _join(_public_listings(video), summary_of(video))
    return replace(video, listed=True)


def unpublish(video: Video) -> Video:
    _leave(_public_listings(video), summary_of(video))
    return replace(video, listed=False)


def refresh(old: Video, new: Video) -> None:
    """Rewrite every denormalised copy of a listed video after an edit (tags added/removed move rows)."""
    before, after = _public_listings(old), _public_listings(new)
    same_row = old.added_date == new.added_date and old.user_id == new.user_id
    kept = {listing.key for listing in before} & {listing.key for listing in after} if same_row else set()
    _leave([listing for listing in before if listing.key not in kept], summary_of(old))
    summary = summary_of(new)
    for listing in after:
        if listing.key in kept:
            repo.listing_insert(listing, summary)
    _changed(kept)
    _join([listing for listing in after if listing.key not in kept], summary)


def publish_many(summaries: Sequence[VideoSummary]) -> None:
    """Bulk path (import): every row, then one counter change per listing and per (listing, bucket)."""
    pairs = [(listing, s) for s in summaries for listing in listings_of(user_id=s.user_id, tags=s.tags)]
    repo.listing_insert_many(pairs)
    totals: Counter[ListingKey] = Counter(listing.key for listing, _ in pairs)
    buckets: Counter[tuple[ListingKey, str]] = Counter((lst.key, month_bucket(s.added_date)) for lst, s in pairs)
    for key, delta in totals.items():
        _total_change(key, delta)
    for (key, bucket), delta in buckets.items():
        bucket_change(key, bucket, delta)
    _changed(totals)


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


def listing_page(*, listing: Listing, request: PageRequest) -> Page[VideoSummary]:
    """A page of a public listing: locate the month buckets holding its rows from their counts, then read
    only those (at most: the partial first bucket, whole middle buckets in one `$in`, the partial last one).
    """
    name = f"listing-page:{listing.key.value}:{request.offset}:{request.page_size}"
    total, items = cache.cached(name, [_scope(listing.key)], lambda: _page_rows(listing, request))
    return Page(with_counters(items), request.page, request.page_size, total)


def _page_rows(listing: Listing, request: PageRequest) -> tuple[int, list[VideoSummary]]:
    total = total_get(listing.key)
    if request.offset >= total:
        return total, []
    buckets = _buckets_covering(listing.key.value, request.offset + request.page_size)
    return total, _read_slices(listing, bucket_slices(buckets, request.offset, request.page_size))


def _buckets_covering(scope: str, rows_needed: int) -> list[tuple[str, int]]:
    """The newest month buckets, enough of them to hold `rows_needed` rows (recent pages read a few)."""
    recent = repo.buckets_read(scope, RECENT_BUCKETS)
    if len(recent) < RECENT_BUCKETS or sum(count for _, count in recent) >= rows_needed:
        return recent
    return repo.buckets_read(scope, MAX_BUCKETS)


def _read_slices(listing: Listing, slices: list[BucketSlice]) -> list[VideoSummary]:
    whole = [piece for piece in slices if piece.whole]
    together: dict[str, list[VideoSummary]] = {}
    if len(whole) > 1:  # whole buckets in one request; a partial first or last bucket is read on its own
        together = repo.listing_read_buckets(listing, [p.bucket for p in whole], sum(p.count for p in whole))
    items: list[VideoSummary] = []
    for piece in slices:
        rows = together.get(piece.bucket)
        if rows is None:
            rows = repo.listing_read_bucket(listing, piece.bucket, piece.stop)
        items.extend(rows[piece.start : piece.stop])
    return items


def latest_page(*, request: PageRequest) -> Page[VideoSummary]:
    """Newest public videos."""
    return listing_page(listing=Listing.latest(), request=request)


def tag_page(*, tag: str, request: PageRequest) -> Page[VideoSummary]:
    return listing_page(listing=Listing.of_tag(tag), request=request)


def uploader_page(*, user_id: uuid.UUID, request: PageRequest) -> Page[VideoSummary]:
    return listing_page(listing=Listing.of_user(user_id), request=request)


def studio_page(*, user_id: uuid.UUID, deleted: bool, request: PageRequest) -> Page[VideoSummary]:
    """A creator's own videos: one partition per creator (grows with their uploads only, not the catalogue)."""
    key = ListingKey.user_deleted(user_id) if deleted else ListingKey.user_all(user_id)
    total = total_get(key)
    limit = request.offset + request.page_size
    rows = _slice(repo.studio_read(user_id, deleted=deleted, limit=limit), request) if request.offset < total else []
    return Page(with_counters(rows), request.page, request.page_size, total)
