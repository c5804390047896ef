"""Catalog tables, query-first: each listing is one partition range, each lookup one partition."""

from __future__ import annotations

from killrvideo.schema import ColumnType, TableSpec, VectorIndex, set_of, vector

EMBEDDING_DIMENSION = 384

# Summary columns every listing table carries, so a page is one partition read (no join back to `videos`).
_SUMMARY: dict[str, ColumnType] = {
    "videoid": "uuid",
    "userid": "uuid",
    "added_date": "timestamp",
    "name": "text",
    "description": "text",
    "tags": set_of("text"),
    "thumbnail": "text",
    "duration": "int",
}

VIDEOS = TableSpec(
    name="videos",
    columns={
        **_SUMMARY,
        "youtube_id": "text",
        "status": "text",
        "status_since": "timestamp",
        "failure_code": "text",
        "failure_reason": "text",
        "retries": "int",
        "creator_fields": set_of("text"),
        "updated_at": "timestamp",
        "deleted": "boolean",
        "deleted_at": "timestamp",
        "removed_by_moderator": "boolean",
        "listed": "boolean",
        "duration": "int",
        "channel_title": "text",
        "embedding": vector(EMBEDDING_DIMENSION),
    },
    partition_by=("videoid",),
    vector_indexes=(VectorIndex("videos_embedding_idx", "embedding", "cosine"),),
    serves="a video by id (watch page, detail API, edits); vector search over embeddings (related, search)",
)

VIDEO_TRANSCRIPTS = TableSpec(
    name="video_transcripts",
    columns={"videoid": "uuid", "language_code": "text", "is_generated": "boolean", "transcript": "text"},
    partition_by=("videoid",),
    serves="the transcript of a video (kept for search)",
)

VIDEOS_BY_YOUTUBE_ID_USER = TableSpec(
    name="videos_by_youtube_id_user",
    columns={"userid": "uuid", "youtube_id": "text", "videoid": "uuid", "added_date": "timestamp"},
    partition_by=("userid", "youtube_id"),
    serves="has this user already submitted this YouTube video? (resubmission returns the existing one)",
)

# The public listings (latest, by tag, by uploader) share one scheme: partitions of one month bucket
# ('YYYY-MM' of added_date), newest first, plus `listing_buckets` to jump to the bucket holding page N's offset.
LATEST_VIDEOS = TableSpec(
    name="latest_videos",
    columns={"bucket": "text", **_SUMMARY},
    partition_by=("bucket",),
    partition_sort={"added_date": -1, "videoid": 1},
    serves="public videos newest first, one month bucket per partition (home, explore, GET /videos/latest)",
)

VIDEOS_BY_TAG_MONTH = TableSpec(
    name="videos_by_tag_month",
    columns={"tag": "text", "bucket": "text", **_SUMMARY},
    partition_by=("tag", "bucket"),
    partition_sort={"added_date": -1, "videoid": 1},
    serves=(
        "public videos with a tag, newest first, one month bucket per partition (tag page, GET /videos/by-tag/{tag})"
    ),
)

VIDEOS_BY_USER_MONTH = TableSpec(
    name="videos_by_user_month",
    columns={"bucket": "text", **_SUMMARY},
    partition_by=("userid", "bucket"),
    partition_sort={"added_date": -1, "videoid": 1},
    serves=(
        "a user's public videos, newest first, one month bucket per partition "
        "(channel page, GET /videos/by-uploader/{userId})"
    ),
)

LISTING_BUCKETS = TableSpec(
    name="listing_buckets",
    columns={"scope": "text", "bucket": "text", "total": "bigint"},
    partition_by=("scope",),
    partition_sort={"bucket": -1},
    serves=(
        "which month buckets of a public listing ('latest', 'tag:<t>', 'user:<id>') hold videos and how many, "
        "newest first (jump to the bucket of page N)"
    ),
)

STUDIO_VIDEOS_BY_USER = TableSpec(
    name="studio_videos_by_user",
    columns={"state": "text", "status": "text", "removed_by_moderator": "boolean", **_SUMMARY},
    partition_by=("userid",),
    partition_sort={"state": 1, "added_date": -1, "videoid": 1},
    # Kept as one partition per creator: it grows with that creator's own uploads, not with the catalogue.
    serves="a creator's own videos of any status, active or deleted, newest first (Creator Studio)",
)

VIDEOS_BY_STATUS = TableSpec(
    name="videos_by_status",
    columns={"status": "text", "status_since": "timestamp", "videoid": "uuid"},
    partition_by=("status",),
    partition_sort={"status_since": 1, "videoid": 1},
    serves="videos still PENDING/PROCESSING, oldest first (the rescue job finds stuck ones by range)",
)

LISTING_TOTALS = TableSpec(
    name="listing_totals",
    columns={"key": "text", "total": "bigint"},
    partition_by=("key",),
    serves="true total of a listing ('latest', 'tag:<t>', 'user:<id>', ...); durable copy of the Redis counter",
)

VIDEO_VIEWS = TableSpec(
    name="video_views",
    columns={"videoid": "uuid", "views": "bigint", "updated_at": "timestamp"},
    partition_by=("videoid",),
    serves="total views of a video (absolute value written by the flush task)",
)

VIDEO_VIEWS_BY_DAY = TableSpec(
    name="video_views_by_day",
    columns={"videoid": "uuid", "day": "text", "views": "bigint"},
    partition_by=("videoid",),
    partition_sort={"day": -1},
    serves="a video's daily views, newest day first (time series)",
)

TRENDING_BY_DAY = TableSpec(
    name="trending_by_day",
    columns={"day": "text", "views": "bigint", "videoid": "uuid"},
    partition_by=("day",),
    partition_sort={"views": -1, "videoid": 1},
    serves="the most viewed videos of one day, most views first (trending over 1/7/30 days reads <= 30 partitions)",
)

VIDEOS_BY_VIEWS_ALLTIME = TableSpec(
    name="videos_by_views_alltime",
    columns={"bucket": "text", "views": "bigint", "videoid": "uuid"},
    partition_by=("bucket",),
    partition_sort={"views": -1, "videoid": 1},
    serves=(
        "the most viewed videos of all time, most views first (Trending 'All time'): one fixed partition "
        "('all') kept to the top 100 by the views flush and the importer"
    ),
)

TABLES = [
    VIDEOS,
    VIDEO_TRANSCRIPTS,
    VIDEOS_BY_YOUTUBE_ID_USER,
    LATEST_VIDEOS,
    VIDEOS_BY_TAG_MONTH,
    VIDEOS_BY_USER_MONTH,
    LISTING_BUCKETS,
    STUDIO_VIDEOS_BY_USER,
    VIDEOS_BY_STATUS,
    LISTING_TOTALS,
    VIDEO_VIEWS,
    VIDEO_VIEWS_BY_DAY,
    TRENDING_BY_DAY,
    VIDEOS_BY_VIEWS_ALLTIME,
]
