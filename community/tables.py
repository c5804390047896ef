"""Community tables: comments, ratings and each user's activity, one table per query (Cassandra style).

Long lists are split into bounded partitions ("buckets") whose row counts are kept in `community_buckets`,
so any page reads only the buckets holding its rows (killrvideo.buckets), whatever its depth:
- a video's or a user's comments: blocks of COMMENT_BUCKET_SIZE comments in posting order (bucket = the
  comment's sequence number in that list // COMMENT_BUCKET_SIZE, from a Redis counter), so a video with
  5,000 comments is 50 partitions of 100 and page 50 costs what page 1 does;
- a user's activity: one partition per (user, kind, month), kind = "all" or the activity type, bucket = the
  month as YYYYMM.
"""

from __future__ import annotations

from killrvideo.schema import TableSpec

COMMENT_BUCKET_SIZE = 100

_COMMENT = {
    "commentid": "uuid",
    "videoid": "uuid",
    "userid": "uuid",
    "created_at": "timestamp",
    "comment": "text",
    "sentiment_score": "float",
    "sentiment": "text",
}

COMMENTS = TableSpec(
    name="comments",
    columns={
        **_COMMENT,
        "video_bucket": "int",
        "user_bucket": "int",
        "deleted": "boolean",
        "deleted_at": "timestamp",
        "deleted_by": "uuid",
    },
    partition_by=("commentid",),
    serves="a comment by id, deleted or not (delete, restore, moderation preview): the source of truth",
)

COMMENTS_BY_VIDEO = TableSpec(
    name="comments_by_video",
    columns={**_COMMENT, "bucket": "int"},
    partition_by=("videoid", "bucket"),
    partition_sort={"created_at": -1, "commentid": 1},
    serves="a video's visible comments, newest first, in blocks of 100 (watch page, GET /videos/{id}/comments)",
)

COMMENTS_BY_USER = TableSpec(
    name="comments_by_user",
    columns={**_COMMENT, "bucket": "int"},
    partition_by=("userid", "bucket"),
    partition_sort={"created_at": -1, "commentid": 1},
    serves="a user's visible comments, newest first, in blocks of 100 (profile tab, GET /users/{id}/comments)",
)

COMMUNITY_BUCKETS = TableSpec(
    name="community_buckets",
    columns={"scope": "text", "bucket": "int", "total": "bigint"},
    partition_by=("scope",),
    partition_sort={"bucket": -1},
    serves=(
        "which buckets of a list ('video_comments:<id>', 'user_comments:<id>', 'activity:<user>:<kind>') hold "
        "rows and how many, newest first (jump to the bucket of page N); durable copy of the Redis counts"
    ),
)

COMMUNITY_TOTALS = TableSpec(
    name="community_totals",
    columns={"key": "text", "total": "bigint"},
    partition_by=("key",),
    serves="true totals ('video_comments:<id>', 'user_comments:<id>', 'comment_seq:<list>', ...); durable copy",
)

RATINGS_BY_VIDEO_USER = TableSpec(
    name="ratings_by_video_user",
    columns={
        "videoid": "uuid",
        "userid": "uuid",
        "rating": "int",
        "created_at": "timestamp",
        "updated_at": "timestamp",
    },
    partition_by=("videoid", "userid"),
    serves="one user's rating of one video (their stars on the watch page; create or replace)",
)

VIDEO_RATINGS = TableSpec(
    name="video_ratings",
    columns={"videoid": "uuid", "rating_count": "bigint", "rating_total": "bigint", "updated_at": "timestamp"},
    partition_by=("videoid",),
    serves="a video's rating count and sum (average on cards and the watch page; $in for a page of cards)",
)

ACTIVITY_BY_USER = TableSpec(
    name="activity_by_user",
    columns={
        "userid": "uuid",
        "kind": "text",
        "bucket": "int",
        "activity_timestamp": "timestamp",
        "activity_id": "uuid",
        "activity_type": "text",
        "videoid": "uuid",
        "video_name": "text",
        "detail": "text",
    },
    partition_by=("userid", "kind", "bucket"),
    partition_sort={"activity_timestamp": -1, "activity_id": 1},
    serves=(
        "a user's views, comments and ratings, newest first, one partition per (user, kind, month); kind is "
        "'all' or the type, so each filter is a range read (private Activity tab, GET /users/{id}/activity)"
    ),
)

TABLES = [
    COMMENTS,
    COMMENTS_BY_VIDEO,
    COMMENTS_BY_USER,
    COMMUNITY_BUCKETS,
    COMMUNITY_TOTALS,
    RATINGS_BY_VIDEO_USER,
    VIDEO_RATINGS,
    ACTIVITY_BY_USER,
]
