"""The community part of the public dataset (csv/comments.csv, csv/video_ratings_by_user.csv), imported
after the catalog's part: `import_killrvideo_data` sends `catalog.signals.dataset_imported`, received here.

The dataset's video ids are not the imported videos' ids: each is mapped onto an imported video by the
catalog's `dataset_video_mapper` (the latest_videos.csv bridge, else a stable hash), its user ids are the
imported users' own. Sentiment is recomputed from each comment's text (the dataset's score is random), and
every count and aggregate is rebuilt from the rows, so importing again, or after an interrupted run, changes
nothing: comment ids are uuid5 of the dataset's, a comment already in `comments` keeps its blocks, and the
counts are set to what the rows hold rather than incremented.
"""

from __future__ import annotations

import csv
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from catalog import services as catalog_services
from catalog.domain import Video
from catalog.services import importer
from community import sentiment
from community.domain import Activity, ActivityType, Comment, Rating, Sentiment
from community.repositories import comments as comments_repo
from community.repositories import counts as counts_repo
from community.repositories import rating_aggregates as aggregates
from community.repositories import ratings as ratings_repo
from community.repositories.comments import CommentList, lists_of
from community.services import activity
from community.tables import COMMENT_BUCKET_SIZE
from killrvideo import redis

logger = logging.getLogger(__name__)

NAMESPACE = uuid.uuid5(importer.NAMESPACE, "community")
# Activity detail of a comment: its start (as comment_post records it).
DETAIL_LENGTH = 120
_UUID_EPOCH = datetime(1582, 10, 15, tzinfo=UTC)
# Concurrent Data API requests of the row-by-row steps (as the catalog's bulk inserts use).
WORKERS = 4
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class CommunityImportResult:
    comments_seen: int
    comments_added: int
    ratings: int
    ratings_skipped_own: int

    def summary(self) -> str:
        return (
            f"Imported {self.comments_seen} comments ({self.comments_added} new) and {self.ratings} ratings "
            f"({self.ratings_skipped_own} of owners' own videos skipped); counts rebuilt from the rows."
        )


def comment_uuid(dataset_comment_id: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"comment:{dataset_comment_id}")


def timeuuid_time(value: str) -> datetime:
    """The moment embedded in a version-1 (time) uuid, at Astra's millisecond precision."""
    moment = _UUID_EPOCH + timedelta(microseconds=uuid.UUID(value).time // 10)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / "csv" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rows_to_import(directory: Path) -> int:
    """How many csv rows the community import reads (for a progress bar)."""
    return len(_rows(directory, "comments.csv")) + len(_rows(directory, "video_ratings_by_user.csv"))


class _Targets:
    """Dataset ids -> imported videos (loaded in batches) and users."""

    def __init__(self, directory: Path, youtube_ids: list[str]) -> None:
        self.video_of = importer.dataset_video_mapper(directory, youtube_ids)
        self.users = sorted((uuid.UUID(row["userid"]) for row in _rows(directory, "users.csv")), key=str)
        self._known = set(self.users)
        self.videos: dict[uuid.UUID, Video] = {}

    def user_of(self, dataset_user_id: str) -> uuid.UUID:
        user_id = uuid.UUID(dataset_user_id)
        return (
            user_id if user_id in self._known else self.users[importer.stable_index(dataset_user_id, len(self.users))]
        )

    def load(self, video_ids: Iterable[uuid.UUID]) -> None:
        wanted = sorted(set(video_ids) - set(self.videos), key=str)
        for start in range(0, len(wanted), 100):
            self.videos.update(catalog_services.videos_get_many(video_ids=wanted[start : start + 100]))


def community_import(
    directory: Path, youtube_ids: list[str], *, progress: Callable[[int], None] = lambda _: None
) -> CommunityImportResult:
    if not youtube_ids:
        return CommunityImportResult(0, 0, 0, 0)
    targets = _Targets(directory, youtube_ids)
    seen, added = import_comments(directory, targets, progress)
    ratings, own = import_ratings(directory, targets, progress)
    result = CommunityImportResult(seen, added, ratings, own)
    logger.info(result.summary())
    return result


def on_dataset_imported(
    sender: object, *, directory: Path, youtube_ids: list[str], verbosity: int = 1, **_: Any
) -> str:
    """Receiver of `catalog.signals.dataset_imported`: the community step of the import, with its own bar."""
    from tqdm import tqdm

    with tqdm(total=rows_to_import(directory), unit="row", desc="Comments, ratings", disable=verbosity == 0) as bar:
        return community_import(directory, youtube_ids, progress=bar.update).summary()


# ---- comments ------------------------------------------------------------------------------------------------


def _comments_of(directory: Path, targets: _Targets) -> list[Comment]:
    """The dataset's comments as ours (sentiment from the text), in posting order."""
    rows = _rows(directory, "comments.csv")
    targets.load(targets.video_of(row["videoid"]) for row in rows)
    made = []
    for row in rows:
        video_id = targets.video_of(row["videoid"])
        text = (row.get("comment") or "").strip()
        if video_id not in targets.videos or not text:
            continue
        scored = sentiment.analyse(text)
        made.append(
            Comment(
                comment_id=comment_uuid(row["commentid"]),
                video_id=video_id,
                user_id=targets.user_of(row["userid"]),
                text=text,
                created_at=timeuuid_time(row["commentid"]),
                sentiment_score=scored.score,
                sentiment=scored.label,
            )
        )
    return sorted(made, key=lambda c: (c.created_at, str(c.comment_id)))


def import_comments(directory: Path, targets: _Targets, progress: Callable[[int], None]) -> tuple[int, int]:
    """Returns (comments seen, comments added). `comments` (with each comment's blocks) is written first,
    so a re-run finds the comments an interrupted run stored and puts them back in the same blocks."""
    comments = _comments_of(directory, targets)
    added = comments_import(comments, targets.videos)
    progress(len(comments))
    return len(comments), added


def comments_import(comments: Sequence[Comment], videos: Mapping[uuid.UUID, Video]) -> int:
    """The bulk write behind the dataset import (oldest first, ids fixed by the caller, so a re-run adds
    nothing): each new comment numbered into its lists' blocks, its rows, every touched count set from
    the rows, and its author's activity. Returns how many were new."""
    found = comments_repo.comments_get_many([c.comment_id for c in comments])
    stored = [found[c.comment_id] for c in comments if c.comment_id in found]
    new = _with_blocks([c for c in comments if c.comment_id not in found])
    comments_repo.comments_insert_many(new)
    visible = [c for c in [*stored, *new] if not c.deleted]
    comments_repo.list_insert_many((lst, c) for c in visible for lst in lists_of(c))
    _recount_comment_lists({lst for c in visible for lst in lists_of(c)}, visible)
    activity.activity_import([_comment_activity(c, videos[c.video_id]) for c in visible])
    return len(new)


def _with_blocks(comments: list[Comment]) -> list[Comment]:
    """Numbers in each list from its Redis sequence (as comment_post takes them, a run at a time): a list's
    comment number n is in block n // COMMENT_BUCKET_SIZE."""
    numbers: dict[CommentList, list[int]] = {}
    for lst, count in Counter(lst for c in comments for lst in lists_of(c)).items():
        key = lst.sequence_key
        end = redis.total_change(key, count, _total_reader(key), _total_writer(key))
        numbers[lst] = list(range(end - count, end))
    placed = []
    for comment in comments:
        video_list, user_list = lists_of(comment)
        placed.append(
            replace(
                comment,
                video_bucket=numbers[video_list].pop(0) // COMMENT_BUCKET_SIZE,
                user_bucket=numbers[user_list].pop(0) // COMMENT_BUCKET_SIZE,
            )
        )
    return placed


def _total_reader(key: str) -> Callable[[], int | None]:
    return lambda: counts_repo.total_get(key)


def _total_writer(key: str) -> Callable[[int], None]:
    return lambda value: counts_repo.total_put(key, value)


def _recount_comment_lists(lists: set[CommentList], written: list[Comment]) -> None:
    """Every block count and total of the touched lists (and each touched video's mood counts) set to what
    the list partitions hold: a block holds at most COMMENT_BUCKET_SIZE rows, so one read counts it. Redis
    is set under each counter's lock; the durable copies are written together afterwards."""
    blocks: dict[CommentList, set[int]] = defaultdict(set)
    for comment in written:
        for lst in lists_of(comment):
            blocks[lst].add(lst.bucket_of(comment))
    ordered = sorted(lists, key=lambda item: (item.kind, str(item.owner_id)))
    counted = _parallel(lambda lst: _count_list(lst, blocks[lst]), ordered)
    buckets: list[tuple[str, int, int]] = []
    totals: list[tuple[str, int]] = []
    for lst, (per_block, moods) in zip(ordered, counted, strict=True):
        buckets.extend((lst.scope, bucket, n) for bucket, n in per_block.items())
        totals.append((lst.scope, sum(per_block.values())))
        if lst.kind == "video":
            # the keys community.services.comments counts a video's mood under
            totals.extend((f"video_mood:{lst.owner_id}:{label.value}", moods[label]) for label in Sentiment)
    redis.totals_set_many([(f"bucket:{scope}:{bucket}", n) for scope, bucket, n in buckets] + totals)
    counts_repo.counts_put_many(buckets, totals)


def _count_list(lst: CommentList, written: set[int]) -> tuple[dict[int, int], Counter[Sentiment]]:
    known = {bucket for bucket, _ in counts_repo.buckets_read(lst.scope, 10_000)} | written
    per_block: dict[int, int] = {}
    moods: Counter[Sentiment] = Counter()
    for bucket in sorted(known):
        rows = comments_repo.list_read_bucket(lst, bucket, COMMENT_BUCKET_SIZE)
        per_block[bucket] = len(rows)
        moods.update(c.sentiment for c in rows if c.sentiment is not None)
    return per_block, moods


def _parallel(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """One Data API request per item, a few at a time (the import's per-list reads)."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(func, items))


def _comment_activity(comment: Comment, video: Video) -> Activity:
    return Activity(
        activity_id=comment.comment_id,  # as comment_post records it
        user_id=comment.user_id,
        activity_type=ActivityType.COMMENT,
        timestamp=comment.created_at,
        video_id=comment.video_id,
        video_name=video.name,
        detail=comment.text[:DETAIL_LENGTH],
    )


# ---- ratings ------------------------------------------------------------------------------------------------


def _ratings_of(directory: Path, targets: _Targets) -> tuple[list[Rating], int, int]:
    """One rating per (video, user): the latest rating_date wins, created at the earliest; owners' ratings
    of their own videos are skipped. Returns the ratings, the rows skipped as the owner's, the rows read."""
    rows = _rows(directory, "video_ratings_by_user.csv")
    targets.load(targets.video_of(row["videoid"]) for row in rows)
    latest: dict[tuple[uuid.UUID, uuid.UUID], Rating] = {}
    own = 0
    for row in rows:
        video = targets.videos.get(targets.video_of(row["videoid"]))
        user_id = targets.user_of(row["userid"])
        stars = int(row["rating"])
        if video is None or stars not in range(1, 6):
            continue
        if user_id == video.user_id:
            own += 1
            continue
        at = datetime.fromisoformat(row["rating_date"].strip().replace("Z", "+00:00")).replace(microsecond=0)
        key = (video.video_id, user_id)
        before = latest.get(key)
        if before is None:
            latest[key] = Rating(video.video_id, user_id, stars, at, at)
        elif at >= before.updated_at:
            latest[key] = Rating(video.video_id, user_id, stars, min(at, before.created_at), at)
        else:
            latest[key] = replace(before, created_at=min(at, before.created_at))
    return sorted(latest.values(), key=lambda r: (str(r.video_id), str(r.user_id))), own, len(rows)


def import_ratings(directory: Path, targets: _Targets, progress: Callable[[int], None]) -> tuple[int, int]:
    """Returns (ratings written, owners' rows skipped). Each video's count and sum are set from its imported
    rows; the site-wide pair moves by the difference, so a re-import leaves both as they were."""
    ratings, own, read = _ratings_of(directory, targets)
    ratings_repo.ratings_put_many(ratings)
    per_video: dict[uuid.UUID, tuple[int, int]] = {}
    for rating in ratings:
        count, total = per_video.get(rating.video_id, (0, 0))
        per_video[rating.video_id] = (count + 1, total + rating.rating)
    before = ratings_repo.video_ratings_get_many(list(per_video))
    for video_id, (count, total) in per_video.items():
        ratings_repo.video_ratings_put(video_id, count, total)
    site_count, site_sum = ratings_repo.site_ratings_get() or (0, 0)
    for video_id, (count, total) in per_video.items():
        old_count, old_sum = before.get(video_id, (0, 0))
        site_count, site_sum = site_count + count - old_count, site_sum + total - old_sum
    ratings_repo.site_ratings_put(site_count, site_sum)
    # Redis re-seeds these from the durable values on the next read.
    aggregates.aggregates_forget([aggregates.SITE, *(aggregates.video_scope(v) for v in per_video)])
    activity.activity_import([_rating_activity(r, targets.videos[r.video_id]) for r in ratings])
    progress(read)
    return len(ratings), own


def _rating_activity(rating: Rating, video: Video) -> Activity:
    return Activity(
        activity_id=uuid.uuid5(NAMESPACE, f"rate:{rating.video_id}:{rating.user_id}"),
        user_id=rating.user_id,
        activity_type=ActivityType.RATE,
        timestamp=rating.updated_at,
        video_id=rating.video_id,
        video_name=video.name,
        detail=str(rating.rating),
    )
