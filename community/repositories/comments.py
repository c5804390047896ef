"""Comment tables: `comments` (by id, the source of truth), the two lists `comments_by_video` and
`comments_by_user` (blocks of COMMENT_BUCKET_SIZE rows per partition, newest first), and the lists' per-block
counts and totals (`community_buckets`, `community_totals`: durable copies of the Redis counters).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from community.domain import Comment, Sentiment
from killrvideo import cache
from killrvideo.astra import as_datetime, as_uuid, get_table, keys_in_chunks, maybe_datetime

_LIST_COLUMNS = ("commentid", "videoid", "userid", "created_at", "comment", "sentiment_score", "sentiment", "bucket")
_LIST_PROJECTION = {column: True for column in _LIST_COLUMNS}


@dataclass(frozen=True)
class CommentList:
    """One video's or one user's comments: a table partitioned by (owner, bucket)."""

    kind: Literal["video", "user"]
    owner_id: uuid.UUID

    @classmethod
    def of_video(cls, video_id: uuid.UUID) -> CommentList:
        return cls("video", video_id)

    @classmethod
    def of_user(cls, user_id: uuid.UUID) -> CommentList:
        return cls("user", user_id)

    @property
    def table(self) -> str:
        return f"comments_by_{self.kind}"

    @property
    def column(self) -> str:
        return f"{self.kind}id"

    @property
    def scope(self) -> str:
        """Its `community_buckets` scope and its `community_totals` key (the true count of visible comments)."""
        return f"{self.kind}_comments:{self.owner_id}"

    @property
    def sequence_key(self) -> str:
        """How many comments were ever posted to it: the next comment's number (its bucket = number // 100)."""
        return f"comment_seq:{self.kind}:{self.owner_id}"

    def bucket_of(self, comment: Comment) -> int:
        return comment.video_bucket if self.kind == "video" else comment.user_bucket


def lists_of(comment: Comment) -> tuple[CommentList, CommentList]:
    return CommentList.of_video(comment.video_id), CommentList.of_user(comment.user_id)


# ---- rows ------------------------------------------------------------------------------------------------


def _common_row(comment: Comment) -> dict[str, Any]:
    return {
        "commentid": comment.comment_id,
        "videoid": comment.video_id,
        "userid": comment.user_id,
        "created_at": comment.created_at,
        "comment": comment.text,
        "sentiment_score": comment.sentiment_score,
        "sentiment": comment.sentiment.value if comment.sentiment else None,
    }


def _from_row(row: Mapping[str, Any], **extra: Any) -> Comment:
    score = row.get("sentiment_score")
    label = row.get("sentiment")
    return Comment(
        comment_id=as_uuid(row["commentid"]),
        video_id=as_uuid(row["videoid"]),
        user_id=as_uuid(row["userid"]),
        text=row.get("comment") or "",
        created_at=as_datetime(row["created_at"]),
        sentiment_score=None if score is None else round(float(score), 4),
        sentiment=Sentiment(label) if label else None,
        **extra,
    )


def _list_from_row(lst: CommentList, row: Mapping[str, Any]) -> Comment:
    bucket = int(row["bucket"])
    return _from_row(row, **{f"{lst.kind}_bucket": bucket})


# ---- comments (by id) -------------------------------------------------------------------------------------


def _stored_row(comment: Comment) -> dict[str, Any]:
    row = {**_common_row(comment), "video_bucket": comment.video_bucket, "user_bucket": comment.user_bucket}
    return {**row, "deleted": False}


def comment_insert(comment: Comment) -> None:
    get_table("comments").insert_one(_stored_row(comment))


def comments_insert_many(comments: Sequence[Comment]) -> None:
    """Bulk path (the dataset import): upserts by id, so writing one again changes nothing."""
    if comments:
        get_table("comments").insert_many([_stored_row(c) for c in comments], chunk_size=50, concurrency=4)


def comments_get_many(comment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Comment]:
    """Stored comments by id, `$in` a hundred at a time (the import's "already written?" check)."""
    found: dict[uuid.UUID, Comment] = {}
    for keys in keys_in_chunks(comment_ids):
        for row in get_table("comments").find({"commentid": keys}, limit=len(keys["$in"])):
            comment = _stored_from_row(row)
            found[comment.comment_id] = comment
    return found


def comment_get(comment_id: uuid.UUID) -> Comment | None:
    row = get_table("comments").find_one({"commentid": comment_id})
    return None if row is None else _stored_from_row(row)


def _stored_from_row(row: Mapping[str, Any]) -> Comment:
    deleted_by = row.get("deleted_by")
    return _from_row(
        row,
        video_bucket=int(row.get("video_bucket") or 0),
        user_bucket=int(row.get("user_bucket") or 0),
        deleted=bool(row.get("deleted")),
        deleted_at=maybe_datetime(row.get("deleted_at")),
        deleted_by=None if deleted_by is None else as_uuid(deleted_by),
    )


def comment_mark_deleted(comment_id: uuid.UUID, *, at: datetime, by: uuid.UUID) -> None:
    get_table("comments").update_one(
        {"commentid": comment_id}, {"$set": {"deleted": True, "deleted_at": at, "deleted_by": by}}
    )


def comment_mark_restored(comment_id: uuid.UUID) -> None:
    get_table("comments").update_one(
        {"commentid": comment_id}, {"$set": {"deleted": False}, "$unset": {"deleted_at": "", "deleted_by": ""}}
    )


# ---- the two lists -------------------------------------------------------------------------------------


# Reads of a list's rows are cached (`killrvideo.cache`) under the list's version, which every write of its
# rows below bumps once the write has landed: a cached read is never stale.
def _list_scope(lst: CommentList) -> str:
    return f"comment-list:{lst.scope}"


def list_insert(lst: CommentList, comment: Comment) -> None:
    row = {**_common_row(comment), "bucket": lst.bucket_of(comment)}
    get_table(lst.table).insert_one(row)
    cache.changed(_list_scope(lst))


def list_insert_many(pairs: Iterable[tuple[CommentList, Comment]]) -> None:
    """Bulk path (the dataset import): each comment's row in each list, grouped per table."""
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    pairs = list(pairs)
    for lst, comment in pairs:
        by_table[lst.table].append({**_common_row(comment), "bucket": lst.bucket_of(comment)})
    for table, rows in by_table.items():
        get_table(table).insert_many(rows, chunk_size=50, concurrency=4)
    cache.changed(*{_list_scope(lst) for lst, _ in pairs})


def list_delete(lst: CommentList, comment: Comment) -> None:
    key = {
        lst.column: lst.owner_id,
        "bucket": lst.bucket_of(comment),
        "created_at": comment.created_at,
        "commentid": comment.comment_id,
    }
    get_table(lst.table).delete_one(key)
    cache.changed(_list_scope(lst))


def list_row_exists(lst: CommentList, comment: Comment) -> bool:
    """Whether the comment's row is in this list: a point read by the full primary key."""
    key = {
        lst.column: lst.owner_id,
        "bucket": lst.bucket_of(comment),
        "created_at": comment.created_at,
        "commentid": comment.comment_id,
    }
    return get_table(lst.table).find_one(key, projection={"commentid": True}) is not None


def list_read_bucket(lst: CommentList, bucket: int, limit: int) -> list[Comment]:
    """The newest `limit` rows of one block (a range of one partition, in clustering order)."""
    if limit <= 0:
        return []

    def read() -> list[Comment]:
        rows = get_table(lst.table).find(
            {lst.column: lst.owner_id, "bucket": bucket}, projection=_LIST_PROJECTION, limit=limit
        )
        return [_list_from_row(lst, row) for row in rows]

    return cache.cached(f"comment-rows:{lst.scope}:{bucket}:{limit}", [_list_scope(lst)], read)


def list_read_buckets(lst: CommentList, buckets: Sequence[int], limit: int) -> dict[int, list[Comment]]:
    """Whole blocks in one request (`$in` on the partition key's last column), grouped by block; each
    partition's rows come back in clustering order."""
    if not buckets or limit <= 0:
        return {}

    def read() -> dict[int, list[Comment]]:
        rows = get_table(lst.table).find(
            {lst.column: lst.owner_id, "bucket": {"$in": list(buckets)}}, projection=_LIST_PROJECTION, limit=limit
        )
        grouped: dict[int, list[Comment]] = defaultdict(list)
        for row in rows:
            grouped[int(row["bucket"])].append(_list_from_row(lst, row))
        return dict(grouped)

    name = f"comment-rows:{lst.scope}:{','.join(map(str, buckets))}:{limit}"
    return cache.cached(name, [_list_scope(lst)], read)


def list_read_page(lst: CommentList, bucket: int, page_state: str | None) -> tuple[list[Comment], str | None]:
    """One Data API page of a block, from where `page_state` (the Data API's own opaque state) left off;
    returns the rows and the state of the next page (None when the block has no more rows)."""

    def read() -> tuple[list[Comment], str | None]:
        table, partition = get_table(lst.table), {lst.column: lst.owner_id, "bucket": bucket}
        if page_state:
            cursor = table.find(partition, projection=_LIST_PROJECTION, initial_page_state=page_state)
        else:
            cursor = table.find(partition, projection=_LIST_PROJECTION)
        page = cursor.fetch_next_page()
        return [_list_from_row(lst, row) for row in page.results], page.next_page_state

    state = hashlib.sha256(page_state.encode()).hexdigest() if page_state else ""
    return cache.cached(f"comment-page:{lst.scope}:{bucket}:{state}", [_list_scope(lst)], read)


# ---- operator reads (recount) ------------------------------------------------------------------------------


def list_read_whole_bucket(lst: CommentList, bucket: int) -> list[Comment]:
    """Every row of one block, however many (recounts: a block that a bug overfilled is counted in full)."""
    rows = get_table(lst.table).find({lst.column: lst.owner_id, "bucket": bucket}, projection=_LIST_PROJECTION)
    return [_list_from_row(lst, row) for row in rows]


def comments_scan() -> Iterator[Comment]:
    """OPERATOR ONLY (a full scan of `comments`): every comment, deleted or not, for `recount_comments --all`."""
    for row in get_table("comments").find({}):
        yield _stored_from_row(row)
