"""Operator rebuilds, for after a Redis loss or a bug: comment counts from the list rows
(`manage.py recount_comments`) and rating aggregates from the rating rows (`manage.py rebuild_rating_aggregates`).

Comments, one video (`--video`): its marker is set again from the catalog's stored video; every comment in
its blocks of `comments_by_video` gets its rows put right under its lock (a row of a comment marked deleted
leaves the video's list; its author's row is put in or taken out as the marker says); then the video's
list and each of its commenters' lists are counted block by block (bounded partitions: the blocks are the
ones `community_buckets` lists plus every block the list's sequence has numbered) and their block counts,
totals and the video's mood are set to what the rows hold. A comment missing from its video's list cannot be
found from the video (nothing indexes `comments` by video); `--all` finds it.

Comments, everything (`--all`, a scan of `comments`, the source of truth): every comment's two rows are put
right (video row iff not deleted; author row iff not deleted and its video public), then every list that has
ever had a comment is counted as above.

Ratings: a video's count and sum are its rows in `ratings_by_video_user`, written to `video_ratings` and set
in its Redis hash; the site-wide pair moves by the difference (`--video`) or is the sum of all (`--all`).
`ratings_by_video_user` is partitioned by (video, user), so even one video's ratings are a filtered scan.

Both set absolute values: a post or rating that lands while a rebuild counts may be missed or counted
twice, so run them on a quiet site (or run them again); they change nothing when the counts are right.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from community.domain import Comment, Sentiment
from community.repositories import comments as repo
from community.repositories import counts as counts_repo
from community.repositories import rating_aggregates as aggregates
from community.repositories import ratings as ratings_repo
from community.repositories.comments import CommentList, lists_of
from community.services import comments, counts, ratings, visibility
from community.tables import COMMENT_BUCKET_SIZE
from killrvideo import redis

logger = logging.getLogger(__name__)

# Concurrent Data API requests of the row-by-row steps (as the import uses).
WORKERS = 4
# Block counts read per list: one row per 100 comments, so a million comments' worth.
MAX_BLOCKS = 10_000
T = TypeVar("T")
R = TypeVar("R")


def _parallel(func: Callable[[T], R], items: Iterable[T]) -> list[R]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(func, items))


# ---- comments -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentRecount:
    videos: int
    users: int
    comments: int  # visible comments in the recounted videos' lists
    rows_moved: int  # list rows put in or taken out to match their comment and its video

    def summary(self) -> str:
        return (
            f"Recounted {self.videos} videos' and {self.users} users' comment lists ({self.comments} comments "
            f"on the videos); {self.rows_moved} list rows put right."
        )


def comments_recount(*, video_id: uuid.UUID | None = None) -> CommentRecount:
    """One video and its commenters (bounded reads), or, without `video_id`, everything (a scan)."""
    if video_id is not None:
        return _recount_video(video_id)
    return _recount_all()


def _recount_video(video_id: uuid.UUID) -> CommentRecount:
    visibility.video_comments_mark(video_id=video_id)
    video_list = CommentList.of_video(video_id)
    found = [c for block in sorted(_blocks_of(video_list)) for c in repo.list_read_whole_bucket(video_list, block)]
    moved = sum(_parallel(_repair, [c.comment_id for c in found]))
    users = {CommentList.of_user(c.user_id) for c in found}
    visible = _set_counts([video_list, *sorted(users, key=lambda lst: str(lst.owner_id))])
    return CommentRecount(1, len(users), visible, moved)


def _recount_all() -> CommentRecount:
    stored = list(repo.comments_scan())
    videos = sorted({c.video_id for c in stored}, key=str)
    for video_id in videos:
        visibility.video_comments_mark(video_id=video_id)
    moved = sum(_parallel(_repair, [c.comment_id for c in stored]))
    known: dict[CommentList, set[int]] = {}
    for comment in stored:
        for lst in lists_of(comment):
            known.setdefault(lst, set()).add(lst.bucket_of(comment))
    ordered = sorted(known, key=lambda lst: (lst.kind, str(lst.owner_id)))
    visible = _set_counts(ordered, known)
    return CommentRecount(len(videos), len(ordered) - len(videos), visible, moved)


def _repair(comment_id: uuid.UUID) -> int:
    """Put one comment's rows right, each under its lock: in its video's list iff not deleted, then in its
    author's list as `comment_user_row_sync` decides. Returns the rows moved. Counts are set afterwards."""
    moved = 0
    with redis.lock(f"comment:{comment_id}"):
        comment = repo.comment_get(comment_id)
        if comment is None:
            return 0
        video_list = CommentList.of_video(comment.video_id)
        if repo.list_row_exists(video_list, comment) == comment.deleted:
            if comment.deleted:
                repo.list_delete(video_list, comment)
            else:
                repo.list_insert(video_list, comment)
            moved += 1
    if comments.comment_user_row_sync(comment_id) is not None:
        moved += 1
    return moved


def _blocks_of(lst: CommentList, known: Iterable[int] = ()) -> set[int]:
    """Every block that may hold rows: those counted in `community_buckets`, every block the list's
    sequence has numbered, and any the caller knows of."""
    listed = {bucket for bucket, _ in counts_repo.buckets_read(lst.scope, MAX_BLOCKS)}
    posted = counts.total_get(lst.sequence_key)
    return listed | set(range(-(-posted // COMMENT_BUCKET_SIZE))) | set(known)


def _set_counts(lists: Sequence[CommentList], known: dict[CommentList, set[int]] | None = None) -> int:
    """Count each list's rows block by block and set its block counts, total (and a video's mood) to them;
    returns the videos' visible comments."""
    counted = _parallel(lambda lst: _count(lst, (known or {}).get(lst, set())), lists)
    buckets: list[tuple[str, int, int]] = []
    totals: list[tuple[str, int]] = []
    visible = 0
    for lst, (per_block, moods) in zip(lists, counted, strict=True):
        buckets.extend((lst.scope, bucket, n) for bucket, n in sorted(per_block.items()))
        totals.append((lst.scope, sum(per_block.values())))
        if lst.kind == "video":
            visible += sum(per_block.values())
            # the keys community.services.comments counts a video's mood under
            totals.extend((f"video_mood:{lst.owner_id}:{label.value}", moods[label]) for label in Sentiment)
        _sequence_guard(lst, per_block)
    counts.counts_set_many(buckets, totals)
    return visible


def _count(lst: CommentList, known: set[int]) -> tuple[dict[int, int], Counter[Sentiment]]:
    per_block: dict[int, int] = {}
    moods: Counter[Sentiment] = Counter()
    for block in sorted(_blocks_of(lst, known)):
        rows: list[Comment] = repo.list_read_whole_bucket(lst, block)
        per_block[block] = len(rows)
        moods.update(c.sentiment for c in rows if c.sentiment is not None)
    return per_block, moods


def _sequence_guard(lst: CommentList, per_block: dict[int, int]) -> None:
    """A sequence behind its own rows (both copies lost or wrong) would number new comments into full
    blocks: move it to the start of a fresh block. A sound sequence is left alone."""
    filled = [bucket for bucket, n in per_block.items() if n > 0]
    if not filled:
        return
    top = max(filled)
    if counts.total_get(lst.sequence_key) < top * COMMENT_BUCKET_SIZE + per_block[top]:
        counts.total_set(lst.sequence_key, (top + 1) * COMMENT_BUCKET_SIZE)
        logger.warning("%s was behind its rows; numbering resumes at block %d", lst.sequence_key, top + 1)


# ---- ratings ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingRebuild:
    videos: int
    ratings: int

    def summary(self) -> str:
        return f"Rebuilt the rating aggregates of {self.videos} videos from {self.ratings} ratings."


def rating_aggregates_rebuild(*, video_id: uuid.UUID | None = None) -> RatingRebuild:
    """One video's aggregates (the site's move by the difference), or, without `video_id`, all of them."""
    if video_id is not None:
        return _rebuild_video(video_id)
    return _rebuild_all()


def _rebuild_video(video_id: uuid.UUID) -> RatingRebuild:
    rows = ratings_repo.ratings_of_video(video_id)
    count, total = len(rows), sum(r.rating for r in rows)
    scope = aggregates.video_scope(video_id)
    with aggregates.write_through_lock(scope):
        before = aggregates.aggregate_get(scope)
        if before is None:
            before = ratings_repo.video_ratings_get_many([video_id]).get(video_id, (0, 0))
        ratings_repo.video_ratings_put(video_id, count, total)
        aggregates.aggregates_set_many({scope: (count, total)})
    if (count, total) != before:
        ratings.site_aggregate_change(count - before[0], total - before[1])
    return RatingRebuild(1, count)


def _rebuild_all() -> RatingRebuild:
    per_video: dict[uuid.UUID, tuple[int, int]] = {}
    for rating in ratings_repo.ratings_scan():
        count, total = per_video.get(rating.video_id, (0, 0))
        per_video[rating.video_id] = (count + 1, total + rating.rating)
    rated = sum(count for count, _ in per_video.values())
    for stale in ratings_repo.video_ratings_scan_ids():
        per_video.setdefault(stale, (0, 0))
    _parallel(lambda item: ratings_repo.video_ratings_put(item[0], *item[1]), sorted(per_video.items(), key=str))
    site = (rated, sum(total for _, total in per_video.values()))
    with aggregates.write_through_lock(aggregates.SITE):
        ratings_repo.site_ratings_put(*site)
        pairs = {aggregates.video_scope(vid): pair for vid, pair in per_video.items()}
        aggregates.aggregates_set_many({**pairs, aggregates.SITE: site})
    return RatingRebuild(len(per_video), rated)
