"""Operator tasks: rebuilding listing totals from the `videos` table (a full scan; never on a request path)."""

from __future__ import annotations

import logging
import uuid
from collections import Counter

from catalog.domain import ListingKey, VideoStatus, listings_of, month_bucket
from catalog.repositories import listings as listings_repo
from catalog.repositories import videos as videos_repo
from catalog.services import listings

logger = logging.getLogger(__name__)


def totals_rebuild() -> dict[str, int]:
    """Recount every listing total (and month bucket) from the videos themselves; returns the new totals."""
    totals: Counter[str] = Counter()
    buckets: Counter[tuple[str, str]] = Counter()
    for user_id, tags, added, status, deleted in videos_repo.videos_scan_membership():
        totals[(ListingKey.user_deleted(user_id) if deleted else ListingKey.user_all(user_id)).value] += 1
        if status != VideoStatus.READY or deleted:
            continue
        for listing in listings_of(user_id=user_id, tags=tags):
            totals[listing.key.value] += 1
            buckets[(listing.key.value, month_bucket(added))] += 1
    for key in listings_repo.totals_all_keys():
        totals.setdefault(key, 0)
    for key, value in totals.items():
        listings.total_set(ListingKey(key), value)
    for scope, bucket in listings_repo.buckets_all():
        buckets.setdefault((scope, bucket), 0)
    for (scope, bucket), value in buckets.items():
        listings.bucket_set(ListingKey(scope), bucket, value)
    logger.info("Rebuilt %d listing totals and %d month buckets", len(totals), len(buckets))
    return dict(totals)


def public_tag_counts() -> dict[str, int]:
    """ADMIN ONLY (full scan of `videos`): how many public videos carry each tag, for rebuilding derived
    indexes such as discovery's tag suggestions."""
    counts: Counter[str] = Counter()
    for _user_id, tags, _added, status, deleted in videos_repo.videos_scan_membership():
        if status == VideoStatus.READY and not deleted:
            counts.update(tags)
    return dict(counts)


def public_video_ids() -> list[uuid.UUID]:
    """ADMIN ONLY (full scan of `videos`): the ids of every public video, for rebuilding derived indexes
    such as discovery's search index."""
    ids = videos_repo.video_ids_scan()
    found: list[uuid.UUID] = []
    for start in range(0, len(ids), 100):
        chunk = videos_repo.videos_get_many(ids[start : start + 100])
        found += [vid for vid, video in chunk.items() if video.is_public]
    return found
