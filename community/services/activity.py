"""Each user's activity: every counted view, comment and rating, newest first, private to that user.

An entry is written twice (kind "all" and kind = its type) into the month partition of its timestamp, so a
heavy user's timeline is many bounded partitions and each filter is its own range read. Per-month counts
(`community_buckets`, scope `activity:<user>:<kind>`) and totals (`community_totals`) are Redis counters
written through to Astra, so any page reads only the months holding its rows, with a true total.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any

from accounts import permissions
from accounts.permissions import Actor
from catalog import services as catalog_services
from catalog.domain import Video, utcnow
from community.domain import Activity, ActivityType, Rating
from community.repositories import activity as repo
from community.repositories import counts as counts_repo
from community.services import counts
from killrvideo import redis
from killrvideo.buckets import BucketSlice, bucket_slices
from killrvideo.errors import PermissionDenied
from killrvideo.pagination import Page, PageRequest

logger = logging.getLogger(__name__)

ALL = repo.ALL
KINDS = (ALL, *(t.value for t in ActivityType))
# Months read to locate a page: the recent ones first, then up to a century.
RECENT_BUCKETS = 12
MAX_BUCKETS = 1200
IMPORT_WORKERS = 4


def scope_of(user_id: uuid.UUID, kind: str) -> str:
    return f"activity:{user_id}:{kind}"


def _count_change(scope: str, bucket: int, delta: int) -> None:
    counts.total_change(scope, delta)
    counts.bucket_change(scope, bucket, delta)


def _at_store_precision(moment: datetime) -> datetime:
    """Astra keeps milliseconds: truncate so what is read back equals what was written."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# ---- recording ------------------------------------------------------------------------------------------


def activity_record(
    *,
    user_id: uuid.UUID,
    activity_type: ActivityType,
    video_id: uuid.UUID,
    video_name: str,
    detail: str = "",
    at: datetime | None = None,
    activity_id: uuid.UUID | None = None,
) -> Activity:
    """Add one entry to a user's timeline (called after the view, comment or rating was stored)."""
    activity = Activity(
        activity_id=activity_id or uuid.uuid4(),
        user_id=user_id,
        activity_type=ActivityType(activity_type),
        timestamp=_at_store_precision(at) if at else utcnow(),
        video_id=video_id,
        video_name=video_name,
        detail=detail,
    )
    repo.activity_insert_many([activity])
    bucket = repo.month_of(activity)
    for kind in (ALL, activity.activity_type.value):
        _count_change(scope_of(user_id, kind), bucket, +1)
    return activity


def activity_forget(*, user_id: uuid.UUID, activity_type: ActivityType, activity_id: uuid.UUID, at: datetime) -> bool:
    """Take one entry out of a user's timeline (a comment that was deleted or removed by a moderator), its
    counts down once; nothing happens (and nothing is counted) when it was not there."""
    timestamp = _at_store_precision(at)
    if not repo.activity_remove(user_id, ActivityType(activity_type), timestamp, activity_id):
        return False
    bucket = repo.month_bucket(timestamp)
    for kind in (ALL, ActivityType(activity_type).value):
        _count_change(scope_of(user_id, kind), bucket, -1)
    return True


def on_view_counted(sender: object, *, video: Video, user_id: uuid.UUID | None, **_: Any) -> None:
    """Receiver of `catalog.signals.view_counted`: a signed-in viewer's counted view joins their timeline."""
    if user_id is None:
        return
    activity_record(user_id=user_id, activity_type=ActivityType.VIEW, video_id=video.video_id, video_name=video.name)


def on_rating_saved(sender: object, *, rating: Rating, previous: int | None, video: Video, **_: Any) -> None:
    """Receiver of `community.services.ratings.rating_saved`: a new rating, or a changed one, joins the
    rater's timeline (re-sending the same stars is not new activity). The rating is stored already, so a
    failure here is logged rather than failing it."""
    if previous == rating.rating:
        return
    try:
        activity_record(
            user_id=rating.user_id,
            activity_type=ActivityType.RATE,
            video_id=rating.video_id,
            video_name=video.name,
            detail=str(rating.rating),
            at=rating.updated_at,
        )
    except Exception:
        logger.exception("Could not record the rating of %s by %s in their activity", rating.video_id, rating.user_id)


def activity_import(activities: Sequence[Activity]) -> None:
    """Bulk path (dataset import): write the entries, then recount every (user, kind, month) they touch from
    the rows themselves and set the counters absolutely, so running it again never double-counts."""
    repo.activity_insert_many(activities)
    months: dict[tuple[uuid.UUID, str], set[int]] = defaultdict(set)
    for activity in activities:
        for kind in (ALL, activity.activity_type.value):
            months[(activity.user_id, kind)].add(repo.month_of(activity))
    buckets: list[tuple[str, int, int]] = []
    totals: list[tuple[str, int]] = []
    lists = sorted(months.items(), key=str)
    with ThreadPoolExecutor(max_workers=IMPORT_WORKERS) as pool:  # two reads per list, a few lists at a time
        recounted = list(pool.map(lambda item: _recount(item[0][0], item[0][1], item[1]), lists))
    for ((user_id, kind), written), per_month in zip(lists, recounted, strict=True):
        scope = scope_of(user_id, kind)
        buckets.extend((scope, bucket, per_month[bucket]) for bucket in written)
        totals.append((scope, sum(per_month.values())))
    # Redis first, each counter under its lock; then the durable copies together.
    redis.totals_set_many([(counts.bucket_counter(scope, bucket), n) for scope, bucket, n in buckets] + totals)
    counts_repo.counts_put_many(buckets, totals)


def _recount(user_id: uuid.UUID, kind: str, written: set[int]) -> dict[int, int]:
    """Every month's count of one list: the stored counts, with the months just written counted anew."""
    counts = dict(counts_repo.buckets_read(scope_of(user_id, kind), MAX_BUCKETS))
    counts.update(repo.activity_count_months(user_id, kind, sorted(written)))
    return counts


# ---- the timeline ----------------------------------------------------------------------------------------


def activity_page(
    *, actor: Actor, user_id: uuid.UUID, activity_type: ActivityType | None = None, request: PageRequest
) -> Page[Activity]:
    """A page of a user's timeline (all, or one type), newest first: for that user and moderators only."""
    permissions.require_signed_in(actor, "Sign in to see your activity.")
    if not permissions.is_owner_or_moderator(actor, user_id):
        raise PermissionDenied("Only this member and moderators can see their activity.")
    kind = activity_type.value if activity_type else ALL
    scope = scope_of(user_id, kind)
    total = counts.total_get(scope)
    if request.offset >= total:
        return Page([], request.page, request.page_size, total)
    buckets = _buckets_covering(scope, request.offset + request.page_size)
    slices = bucket_slices([(str(b), n) for b, n in buckets], request.offset, request.page_size)
    return Page(_with_titles(_read_slices(user_id, kind, slices)), request.page, request.page_size, total)


def _buckets_covering(scope: str, rows_needed: int) -> list[tuple[int, int]]:
    """The newest months, enough of them to hold `rows_needed` rows (recent pages read a few)."""
    recent = counts_repo.buckets_read(scope, RECENT_BUCKETS)
    if len(recent) < RECENT_BUCKETS or sum(count for _, count in recent) >= rows_needed:
        return recent
    return counts_repo.buckets_read(scope, MAX_BUCKETS)


def _read_slices(user_id: uuid.UUID, kind: str, slices: list[BucketSlice]) -> list[Activity]:
    whole = [piece for piece in slices if piece.whole]
    together: dict[int, list[Activity]] = {}
    if len(whole) > 1:  # whole months in one `$in`; a partial first or last month is read on its own
        together = repo.activity_read_buckets(
            user_id, kind, [int(p.bucket) for p in whole], sum(p.count for p in whole)
        )
    items: list[Activity] = []
    for piece in slices:
        rows = together.get(int(piece.bucket))
        if rows is None:
            rows = repo.activity_read_bucket(user_id, kind, int(piece.bucket), piece.stop)
        items.extend(rows[piece.start : piece.stop])
    return items


def _with_titles(items: list[Activity]) -> list[Activity]:
    """Current titles (a renamed video shows its new name); a video no longer public keeps its entry, with
    no title, so the timeline's totals stay true while a removed video is not named."""
    if not items:
        return items
    videos = catalog_services.videos_get_many(video_ids=list({a.video_id for a in items}))
    shown = []
    for activity in items:
        video = videos.get(activity.video_id)
        name = video.name if video is not None and video.is_public else ""
        shown.append(replace(activity, video_name=name))
    return shown
