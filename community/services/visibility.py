"""A removed video's comments leave their authors' lists and counts, and come back when it is restored.

catalog sends `video_visibility_changed` after a video becomes or stops being public (soft delete by its
owner or a moderator, restore, processing finished). The receiver does two things:

1. It sets the video's marker (`comments.comments_hidden`) from the catalog's *stored* video, re-read under
   a per-video lock, so two toggles whose signals arrive out of order still leave the marker as the video
   is. From then on every post, delete and restore of one of its comments obeys the marker at once.
2. It walks the video's blocks of `comments_by_video` (bounded partitions: the video's sequence says how
   many blocks there can be, so no scan) and, for each comment there, moves its row in `comments_by_user`
   to where the marker says (`comments.comment_user_row_sync`: reads the row itself, under the comment's
   lock), then changes the authors' block counts and totals once per block and user. Running a walk twice,
   or two walks at once, changes nothing more: each comment is judged by the marker as it is when it is
   reached, so the last walk leaves every row as the last toggle wants.

The video's own list and its counts and mood stay as they are: nobody but its owner and moderators can read
them while it is removed, and they are right the moment it is restored. A comment its author deleted is in
no list, so a restore leaves it deleted.

Why a few comments are moved inline and more in Celery: each comment costs about three Data API round trips
(the comment, its author's row, the insert or delete) under its lock, four comments at a time. Measured on
the embedded server (a shared 2-core machine): 25 comments add ~0.2-0.3 s to the removal request, a full
block of 100 ~1 s. So a video with at most INLINE_COMMENTS visible comments (its own count, which hiding
never changes, bounds the rows met) in at most INLINE_BLOCKS blocks is done before the owner's or
moderator's request returns, and their next page already shows it. A bigger one would keep the request
waiting for seconds, so the receiver queues `community.video_comments_sync` instead, one task per block,
each enqueuing the next lower one: every task is bounded (a block, ~1-2 s, well inside the broker's
45-second visibility timeout, after which an unacknowledged message would be handed out again) and
idempotent, so a redelivery or a retry only repeats work that is already right. If the inline walk fails,
it is queued too. Until a queued walk reaches a comment, it still shows in its author's list (seconds).

Blocks are walked by the video's sequence (every block it has numbered), not by the block counts: a post
takes its number before it writes its rows, so a post racing the removal is never in a block the walk
skips (see `comments._listed_after_post` for the other half of that race).
"""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import current_app

from catalog import services as catalog_services
from catalog.domain import Video
from community.repositories import comments as repo
from community.repositories.comments import CommentList
from community.services import comments
from killrvideo import redis

logger = logging.getLogger(__name__)

SYNC_TASK = "community.video_comments_sync"
# Videos with at most this many visible comments, in at most this many blocks (empty ones are read too), are
# walked in the receiver; others by Celery, a block a task.
INLINE_COMMENTS = 25
INLINE_BLOCKS = 4
# Comments of one block moved at once (each holds its own comment lock; different comments never contend).
_walkers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="comment-visibility")


def on_video_visibility_changed(sender: object, *, video: Video, public: bool, **_: Any) -> None:
    """Receiver of `catalog.signals.video_visibility_changed` (connected in community/apps.py). The video's
    change is stored already, so a failure here is logged and left to the worker (a queued walk marks the
    video itself first), never raised into the owner's or moderator's request."""
    video_id = video.video_id
    start: int | None
    try:
        video_comments_mark(video_id=video_id)
        start = comments.video_top_block(video_id=video_id)
        if start is None:  # never a comment: nothing to move
            return
        if start < INLINE_BLOCKS and comments.video_comment_count(video_id=video_id) <= INLINE_COMMENTS:
            for block in range(start, -1, -1):
                video_comments_sync_block(video_id=video_id, block=block)
            return
    except Exception:
        logger.exception("Could not follow the visibility of video %s inline; queueing it", video_id)
        start = None
    try:
        enqueue_sync(video_id=video_id, block=start)
    except Exception:
        logger.exception("Could not queue the walk of video %s; `recount_comments --video` puts it right", video_id)


def video_comments_mark(*, video_id: uuid.UUID) -> bool:
    """Set the video's marker from the catalog's stored video (missing, deleted or not READY: hidden); the
    lock makes read-and-set one step, so the last receiver to run reads the latest stored state."""
    with redis.lock(f"comments-visibility:{video_id}"):
        video = catalog_services.videos_get_many(video_ids=[video_id], include_deleted=True).get(video_id)
        hidden = video is None or not video.is_public
        if comments.comments_hidden(video_id=video_id) != hidden:
            comments.comments_hidden_set(video_id=video_id, hidden=hidden)
    return hidden


def video_comments_sync_block(*, video_id: uuid.UUID, block: int) -> int:
    """Move the author-list rows of one block of the video's comments as the marker says, then their
    counts; returns how many rows moved."""
    rows = repo.list_read_whole_bucket(CommentList.of_video(video_id), block)
    moved = [c for c in _walkers.map(comments.comment_user_row_sync, [row.comment_id for row in rows]) if c]
    comments.list_changes_apply(moved)
    if moved:
        logger.info("Video %s, block %d: %d comments moved in their authors' lists", video_id, block, len(moved))
    return len(moved)


def video_comments_sync_step(*, video_id: uuid.UUID, block: int | None) -> int:
    """One task of a walk: this block, then the next lower one is queued. Without a block (the receiver
    could not start), the walk marks the video first and starts at its newest block."""
    if block is None:
        video_comments_mark(video_id=video_id)
        block = comments.video_top_block(video_id=video_id)
        if block is None:
            return 0
    moved = video_comments_sync_block(video_id=video_id, block=block)
    if block > 0:
        enqueue_sync(video_id=video_id, block=block - 1)
    return moved


def enqueue_sync(*, video_id: uuid.UUID, block: int | None) -> None:
    current_app.send_task(SYNC_TASK, args=[str(video_id), block])
