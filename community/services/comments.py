"""Comments: post (scored for sentiment), soft delete and restore, pages with true totals, and a feed read
by an opaque cursor.

A comment is written to `comments` (the source of truth) and to two lists, a video's and its author's. Each
list is split into blocks of COMMENT_BUCKET_SIZE in posting order: the comment's number in the list (a Redis
counter, written through to `community_totals`) // 100 is its block, kept on the comment so a restore puts it
back where it was. Per-block counts (`community_buckets`) and true totals are Redis counters written through
to Astra; every change of them happens under a per-comment lock and is guarded by the stored `deleted` flag,
so a repeated delete or restore never counts twice.

A video that stops being public keeps its own list (and counts: right again the moment it is restored), but
its comments leave their authors' lists: a per-video marker (`video_comments_hidden:<id>`, set by
community.services.visibility) says so, every post, delete and restore obeys it under the comment's lock,
and `comment_user_row_sync` moves one comment's author-list row to where the marker and its `deleted` flag
say it belongs, reading the row itself, so running it again, or alongside a delete, never counts twice.

Pages (the API's page/pageSize) read the block counts newest first and then only the blocks holding the
page's rows (killrvideo.buckets). The feed ("Show more") resumes where it left off from a cursor holding the
block and the Data API's page state: new comments land in the newest block, above any resumed position, so
paging through never repeats or skips a comment while others are posting.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from django.dispatch import Signal

from accounts import permissions
from accounts import services as accounts_services
from accounts.domain import Role
from accounts.permissions import Actor
from catalog import services as catalog_services
from catalog.domain import Video, utcnow
from community import sentiment
from community.domain import MAX_COMMENT_LENGTH, ActivityType, Comment, CommentMood, Sentiment
from community.repositories import comments as repo
from community.repositories import counts as counts_repo
from community.repositories.comments import CommentList, lists_of
from community.services import counts
from community.tables import COMMENT_BUCKET_SIZE
from killrvideo import ratelimit, redis, text
from killrvideo.buckets import BucketSlice, bucket_slices
from killrvideo.errors import NotFound, PermissionDenied, ValidationFailed
from killrvideo.pagination import Page, PageRequest

logger = logging.getLogger(__name__)

# Sent after a comment is posted and listed (kwargs: comment, video), for other apps (discovery's For You
# feed); receivers connect in their AppConfig.ready(). Not sent by the dataset import.
comment_posted = Signal()

# The feed returns whole Data API pages until it holds at least this many comments.
FEED_MIN_ROWS = 20
# Block counts listed per feed request (more than enough to fill one from sparse blocks).
FEED_BUCKETS = 4
# Block counts read first for a page; deeper pages read as many more as their offset needs.
RECENT_BUCKETS = 12
_ACTIVITY_DETAIL_LENGTH = 120
# Writes of one post that do not depend on each other (two list rows; seven counters) go out together: each is
# a Data API round trip, so a post costs three or four round trips of latency rather than fifteen.
_writers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="comment-writes")

T = TypeVar("T")


@dataclass(frozen=True)
class CommentFeed:
    items: list[Comment]
    next_cursor: str | None


# ---- counters ---------------------------------------------------------------------------------------------


def _mood_key(video_id: uuid.UUID, label: Sentiment) -> str:
    return f"video_mood:{video_id}:{label.value}"


def _together(*calls: Callable[[], T]) -> list[T]:
    """Run independent writes at once; once all have finished, raise the first failure if any."""
    futures = [_writers.submit(call) for call in calls]
    failures = [error for error in (future.exception() for future in futures) if error is not None]
    if failures:
        raise failures[0]
    return [future.result() for future in futures]


def _count_changes(
    comment: Comment, delta: int, lists: Sequence[CommentList] | None = None
) -> list[Callable[[], object]]:
    """Every counter one comment is in (or only those of `lists`): each list's block count and total, and,
    with the video's list, its mood."""
    changes: list[Callable[[], object]] = []
    for lst in lists_of(comment) if lists is None else lists:
        changes.append(partial(counts.bucket_change, lst.scope, lst.bucket_of(comment), delta))
        changes.append(partial(counts.total_change, lst.scope, delta))
        if lst.kind == "video" and comment.sentiment is not None:
            changes.append(partial(counts.total_change, _mood_key(comment.video_id, comment.sentiment), delta))
    return changes


def _next_bucket(lst: CommentList) -> int:
    """The block of the list's next comment: its number in the list (from 0) // COMMENT_BUCKET_SIZE."""
    return (counts.total_change(lst.sequence_key, +1) - 1) // COMMENT_BUCKET_SIZE


def _hidden_key(video_id: uuid.UUID) -> str:
    return f"video_comments_hidden:{video_id}"


def comments_hidden(*, video_id: uuid.UUID) -> bool:
    """Whether the video's comments are out of their authors' lists (the video is not public): one Redis
    read, seeded from `community_totals` after a loss."""
    return counts.total_get(_hidden_key(video_id)) > 0


def comments_hidden_set(*, video_id: uuid.UUID, hidden: bool) -> None:
    """Set by community.services.visibility only (under its per-video lock, from the catalog's stored video)."""
    counts.total_set(_hidden_key(video_id), int(hidden))


def video_top_block(*, video_id: uuid.UUID) -> int | None:
    """The newest block a comment on the video was ever numbered into (None: never a comment). Blocks are
    numbered from the list's sequence, so this bounds every walk of the video's blocks."""
    posted = counts.total_get(CommentList.of_video(video_id).sequence_key)
    return (posted - 1) // COMMENT_BUCKET_SIZE if posted > 0 else None


def video_comment_count(*, video_id: uuid.UUID) -> int:
    return counts.total_get(CommentList.of_video(video_id).scope)


def user_comment_count(*, user_id: uuid.UUID) -> int:
    return counts.total_get(CommentList.of_user(user_id).scope)


def video_comment_mood(*, video_id: uuid.UUID) -> CommentMood:
    """The share of positive / neutral / negative comments: three counters kept as comments come and go."""
    shares = {label.value: counts.total_get(_mood_key(video_id, label)) for label in Sentiment}
    return CommentMood(**shares)


# ---- posting ------------------------------------------------------------------------------------------------


def comment_text(value: object) -> str:
    """The text as it will be stored: trimmed, with the browser's CRLF line ends as LF; 1..1000 characters."""
    if not isinstance(value, str):
        raise ValidationFailed.for_field("text", "The comment must be text.")
    clean = value.replace("\r\n", "\n").strip()
    if not clean:
        raise ValidationFailed.for_field("text", "Write something before posting.", code="COMMENT_EMPTY")
    if len(clean) > MAX_COMMENT_LENGTH:
        message = f"A comment can be at most {MAX_COMMENT_LENGTH} characters; this one has {len(clean)}."
        raise ValidationFailed.for_field("text", message, code="COMMENT_TOO_LONG")
    text.check("text", "The comment", clean, multiline=True)
    return clean


def comment_video(*, actor: Actor, video_id: uuid.UUID) -> Video:
    """The video whose comments this actor may read: a public one, or (owner, moderators) one not yet public."""
    moderator = permissions.is_moderator(actor)
    video = catalog_services.video_find(video_id=video_id, include_deleted=moderator)
    if video is None or not (video.is_public or permissions.is_owner_or_moderator(actor, video.user_id)):
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    return video


def comment_post(*, actor: Actor, video_id: uuid.UUID, text: object) -> Comment:
    """Post a comment on a public video: `comments` first, then both lists, then the counts."""
    user = permissions.require_signed_in(actor, "Sign in to comment.")
    clean = comment_text(text)
    video = catalog_services.video_find(video_id=video_id)
    if video is None or not video.is_public:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    limit, window = settings.COMMENT_RATE_LIMIT, settings.COMMENT_RATE_WINDOW_SECONDS
    ratelimit.hit("comment", str(user.user_id), limit=limit, window_seconds=window)
    scored = sentiment.analyse(clean)
    video_bucket, user_bucket = _together(
        partial(_next_bucket, CommentList.of_video(video_id)), partial(_next_bucket, CommentList.of_user(user.user_id))
    )
    comment = Comment(
        comment_id=uuid.uuid4(),
        video_id=video_id,
        user_id=user.user_id,
        text=clean,
        created_at=utcnow(),
        sentiment_score=scored.score,
        sentiment=scored.label,
        video_bucket=video_bucket,
        user_bucket=user_bucket,
    )
    with redis.lock(f"comment:{comment.comment_id}"):
        repo.comment_insert(comment)
        _together(*(partial(repo.list_insert, lst, comment) for lst in lists_of(comment)))
        listed = _listed_after_post(comment)
        _together(*_count_changes(comment, +1, listed), partial(_record_activity, comment, video))
    comment_posted.send(sender=Comment, comment=comment, video=video)
    return replace(comment, author_first_name=user.first_name, author_last_name=user.last_name)


def _listed_after_post(comment: Comment) -> list[CommentList]:
    """The lists a just-written comment stays in. Read after both rows are in: if the video was removed
    since it was checked, its author's row comes out again here; if the marker is set only after this read,
    the removal's walk starts later still and meets the comment in the video's list (it waits for our lock)."""
    video_list, user_list = lists_of(comment)
    if not comments_hidden(video_id=comment.video_id):
        return [video_list, user_list]
    repo.list_delete(user_list, comment)
    return [video_list]


def _record_activity(comment: Comment, video: Video | None) -> None:
    """The comment joins its author's timeline (posted, or restored: titles are joined when read, so a
    restore needs no video); a failure there must not undo the comment's own change."""
    from community.services import activity

    try:
        activity.activity_record(
            user_id=comment.user_id,
            activity_type=ActivityType.COMMENT,
            video_id=comment.video_id,
            video_name=video.name if video else "",
            detail=comment.text[:_ACTIVITY_DETAIL_LENGTH],
            at=comment.created_at,
            activity_id=comment.comment_id,
        )
    except Exception:
        logger.exception("Could not record comment %s in its author's activity", comment.comment_id)


def _forget_activity(comment: Comment) -> None:
    """A deleted or removed comment leaves its author's timeline (its text is not shown there any more)."""
    from community.services import activity

    try:
        activity.activity_forget(
            user_id=comment.user_id,
            activity_type=ActivityType.COMMENT,
            activity_id=comment.comment_id,
            at=comment.created_at,
        )
    except Exception:
        logger.exception("Could not take comment %s out of its author's activity", comment.comment_id)


# ---- delete and restore -----------------------------------------------------------------------------------


def _load(comment_id: uuid.UUID, video_id: uuid.UUID | None) -> Comment:
    comment = repo.comment_get(comment_id)
    if comment is None or (video_id is not None and comment.video_id != video_id):
        raise NotFound("Comment not found.", code="COMMENT_NOT_FOUND")
    return comment


def comment_soft_delete(*, actor: Actor, comment_id: uuid.UUID, video_id: uuid.UUID | None = None) -> Comment:
    """Its author or a moderator hides a comment: `comments` keeps it (deleted, when, by whom); both lists
    lose it and every count goes down once. Deleting a deleted comment changes nothing."""
    user = permissions.require_signed_in(actor, "Sign in to delete comments.")
    with redis.lock(f"comment:{comment_id}"):
        comment = _load(comment_id, video_id)
        allowed = permissions.is_owner_or_moderator(user, comment.user_id)
        if comment.deleted:
            if not allowed:
                raise NotFound("Comment not found.", code="COMMENT_NOT_FOUND")
            return comment
        if not allowed:
            raise PermissionDenied("Only the comment's author or a moderator can delete it.")
        deleted_at = utcnow()
        repo.comment_mark_deleted(comment_id, at=deleted_at, by=user.user_id)
        video_list, user_list = lists_of(comment)
        # Its author's row may be out already (its video is removed) or not yet (a removal is on its way):
        # count only what is really there.
        listed = [video_list, *([user_list] if repo.list_row_exists(user_list, comment) else [])]
        _together(*(partial(repo.list_delete, lst, comment) for lst in listed))
        _together(*_count_changes(comment, -1, listed), partial(_forget_activity, comment))
        return replace(comment, deleted=True, deleted_at=deleted_at, deleted_by=user.user_id)


def comment_restore(*, actor: Actor, comment_id: uuid.UUID) -> Comment:
    """A moderator brings a soft-deleted comment back into the same blocks of both lists it left."""
    permissions.require_role(actor, Role.MODERATOR, message="Only moderators can restore comments.")
    with redis.lock(f"comment:{comment_id}"):
        comment = _load(comment_id, None)
        if not comment.deleted:
            return comment
        repo.comment_mark_restored(comment_id)
        video_list, user_list = lists_of(comment)
        listed = [video_list] if comments_hidden(video_id=comment.video_id) else [video_list, user_list]
        _together(*(partial(repo.list_insert, lst, comment) for lst in listed))
        _together(*_count_changes(comment, +1, listed), partial(_record_activity, comment, None))
        return replace(comment, deleted=False, deleted_at=None, deleted_by=None)


@dataclass(frozen=True)
class ListChange:
    """One comment's row put into (+1) or taken out of (-1) one block of a list: what its counts owe."""

    scope: str
    bucket: int
    delta: int


def comment_user_row_sync(comment_id: uuid.UUID) -> ListChange | None:
    """Under the comment's lock, put its row in its author's list, or take it out, as its video's marker and
    its own `deleted` flag say, and return the change its counts owe (None when the row was right already).
    The row itself is read, so this is idempotent and agrees with a delete or restore running alongside;
    the counts are changed by the caller (`list_changes_apply`), many comments' changes at once."""
    with redis.lock(f"comment:{comment_id}"):
        comment = repo.comment_get(comment_id)
        if comment is None:
            return None
        user_list = CommentList.of_user(comment.user_id)
        wanted = not comment.deleted and not comments_hidden(video_id=comment.video_id)
        if repo.list_row_exists(user_list, comment) == wanted:
            return None
        if wanted:
            repo.list_insert(user_list, comment)
        else:
            repo.list_delete(user_list, comment)
        return ListChange(user_list.scope, comment.user_bucket, +1 if wanted else -1)


def list_changes_apply(changes: Iterable[ListChange]) -> None:
    """Sum the changes per block and per list, then one counter change each (a user with 80 comments on the
    video costs two counter writes, not 160). Counter changes commute, so applying them after the rows
    changed is safe: each row that moved is counted exactly once, whenever."""
    per_block: Counter[tuple[str, int]] = Counter()
    per_list: Counter[str] = Counter()
    for change in changes:
        per_block[(change.scope, change.bucket)] += change.delta
        per_list[change.scope] += change.delta
    calls: list[Callable[[], object]] = [
        partial(counts.bucket_change, scope, bucket, delta) for (scope, bucket), delta in per_block.items() if delta
    ]
    calls.extend(partial(counts.total_change, scope, delta) for scope, delta in per_list.items() if delta)
    if calls:
        _together(*calls)


def comment_get(*, actor: Actor, comment_id: uuid.UUID) -> Comment:
    """One comment by id (moderation previews): a deleted one only for moderators."""
    comment = _load(comment_id, None)
    if comment.deleted and not permissions.is_moderator(actor):
        raise NotFound("Comment not found.", code="COMMENT_NOT_FOUND")
    return _with_authors([comment])[0]


# ---- pages (page/pageSize) ----------------------------------------------------------------------------------


def video_comments_page(*, actor: Actor, video_id: uuid.UUID, request: PageRequest) -> Page[Comment]:
    """A video's comments, newest first, with the true total."""
    comment_video(actor=actor, video_id=video_id)
    return _page(CommentList.of_video(video_id), request)


def user_comments_page(*, user_id: uuid.UUID, request: PageRequest) -> Page[Comment]:
    accounts_services.user_get(user_id=user_id)
    return _page(CommentList.of_user(user_id), request)


def _page(lst: CommentList, request: PageRequest) -> Page[Comment]:
    total = counts.total_get(lst.scope)
    if request.offset >= total:
        return Page([], request.page, request.page_size, total)
    buckets = _buckets_covering(lst.scope, request.offset + request.page_size)
    slices = bucket_slices([(str(b), n) for b, n in buckets], request.offset, request.page_size)
    return Page(_with_authors(_read_slices(lst, slices)), request.page, request.page_size, total)


def _buckets_covering(scope: str, rows_needed: int) -> list[tuple[int, int]]:
    """The newest blocks, enough to hold `rows_needed` rows. A block holds at most 100, so page N of size S
    needs at least N·S/100 of them: asked for at once (one count row per 100 comments; 50 per Data API
    page), plus more only when deletions left blocks short."""
    limit = max(RECENT_BUCKETS, -(-rows_needed // COMMENT_BUCKET_SIZE) + 1)
    found = counts_repo.buckets_read(scope, limit)
    while len(found) == limit and sum(count for _, count in found) < rows_needed:
        more = counts_repo.buckets_read(scope, limit, at_most=found[-1][0] - 1)
        found.extend(more)
        if len(more) < limit:
            break
    return found


def _read_slices(lst: CommentList, slices: list[BucketSlice]) -> list[Comment]:
    """Whole middle blocks in one `$in`; a partial first or last block by a range of at most 100 rows."""
    whole = [piece for piece in slices if piece.whole]
    together: dict[int, list[Comment]] = {}
    if len(whole) > 1:
        together = repo.list_read_buckets(lst, [int(p.bucket) for p in whole], sum(p.count for p in whole))
    items: list[Comment] = []
    for piece in slices:
        rows = together.get(int(piece.bucket))
        if rows is None:
            rows = repo.list_read_bucket(lst, int(piece.bucket), piece.stop)
        items.extend(rows[piece.start : piece.stop])
    return items


def _with_authors(items: list[Comment]) -> list[Comment]:
    """Authors' current names, in one batched read for the page."""
    if not items:
        return items
    names = accounts_services.display_names(user_ids=[c.user_id for c in items])
    return [_named(comment, *names[comment.user_id]) if comment.user_id in names else comment for comment in items]


@lru_cache(maxsize=8192)
def _named(comment: Comment, first_name: str, last_name: str) -> Comment:
    """The comment with its author's names (memoised per process: a page of comments seen before under the
    same names costs lookups, not copies; the key holds every value, so nothing is stale)."""
    return replace(comment, author_first_name=first_name, author_last_name=last_name)


# ---- the feed ("Show more", by cursor) -----------------------------------------------------------------------


def video_comments_feed(*, video: Video, cursor: str | None = None) -> CommentFeed:
    """The next comments of a video whose visibility the caller checked (`comment_video`)."""
    return _feed(CommentList.of_video(video.video_id), cursor)


def user_comments_feed(*, user_id: uuid.UUID, cursor: str | None = None) -> CommentFeed:
    return _feed(CommentList.of_user(user_id), cursor)


def _cursor_salt(lst: CommentList) -> str:
    return f"community.comments.feed:{lst.scope}"


def _encode_cursor(lst: CommentList, bucket: int, page_state: str | None) -> str:
    """Opaque and signed: a visitor can hand back only a position we gave out, for this list."""
    return signing.dumps([bucket, page_state or ""], salt=_cursor_salt(lst), compress=True)


def _decode_cursor(lst: CommentList, cursor: str) -> tuple[int, str | None]:
    try:
        value: Any = signing.loads(cursor, salt=_cursor_salt(lst))
    except (signing.BadSignature, ValueError):
        value = None
    if not (isinstance(value, list) and len(value) == 2 and type(value[0]) is int and isinstance(value[1], str)):
        raise ValidationFailed.for_field("cursor", "This link to more comments is not valid; start again.")
    return value[0], value[1] or None


def _feed(lst: CommentList, cursor: str | None) -> CommentFeed:
    """Whole Data API pages, block after block from the newest (or from the cursor's position), until at
    least FEED_MIN_ROWS comments; the next cursor is where the last read stopped."""
    at_most, resume = _decode_cursor(lst, cursor) if cursor else (None, None)
    buckets = counts_repo.buckets_read(lst.scope, FEED_BUCKETS, at_most=at_most)
    if buckets and buckets[0][0] != at_most:
        resume = None  # the cursor's block has emptied since: the next one starts at its top
    items: list[Comment] = []
    for index, (bucket, _) in enumerate(buckets):
        state = resume if index == 0 else None
        while len(items) < FEED_MIN_ROWS:
            rows, state = repo.list_read_page(lst, bucket, state)
            items.extend(rows)
            if state is None:
                break
        if state is not None:  # stopped inside this block
            return CommentFeed(_with_authors(items), _encode_cursor(lst, bucket, state))
        if len(items) >= FEED_MIN_ROWS:
            return CommentFeed(_with_authors(items), _after_block(lst, buckets, index))
    return CommentFeed(_with_authors(items), _after_block(lst, buckets, len(buckets) - 1) if buckets else None)


def _after_block(lst: CommentList, buckets: list[tuple[int, int]], index: int) -> str | None:
    """The cursor once block `buckets[index]` is read to its end: the older blocks, if any may remain."""
    bucket = buckets[index][0]
    older_listed = index + 1 < len(buckets)
    if bucket > 0 and (older_listed or len(buckets) == FEED_BUCKETS):
        return _encode_cursor(lst, bucket - 1, None)
    return None
