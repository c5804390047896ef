"""Discovery tables: the search index, tag suggestions (one partition per 2-character prefix), ...

The search index holds only what may be found: public videos' titles, descriptions and tags, and their
transcripts split into passages. Never personal data (emails, user names).
"""

from __future__ import annotations

from killrvideo.schema import TableSpec, TextIndex, VectorIndex, vector

EMBEDDING_DIMENSION = 384

SEARCH_VIDEOS = TableSpec(
    name="search_videos",
    columns={"videoid": "uuid", "content": "text", "embedding": vector(EMBEDDING_DIMENSION)},
    partition_by=("videoid",),
    text_indexes=(TextIndex("search_videos_content_idx", "content", "english"),),
    vector_indexes=(VectorIndex("search_videos_embedding_idx", "embedding", "cosine"),),
    serves=(
        "search over public videos: BM25 sort on title + description + tags (english analyzer), and vector "
        "sort on the video's embedding; a row exists only while its video is public"
    ),
)

SEARCH_PASSAGES = TableSpec(
    name="search_passages",
    columns={
        "videoid": "uuid",
        "start": "int",
        "text": "text",
        "embedding": vector(EMBEDDING_DIMENSION),
    },
    partition_by=("videoid",),
    partition_sort={"start": 1},
    text_indexes=(TextIndex("search_passages_text_idx", "text", "english"),),
    vector_indexes=(VectorIndex("search_passages_embedding_idx", "embedding", "cosine"),),
    serves=(
        "transcript moments: ~60 s passages of a video's transcript with their start second, BM25 and vector "
        "sorted across videos (search hits 'at 12:34 — ...'); one partition per video, in time order"
    ),
)

TAGS_BY_PREFIX = TableSpec(
    name="tags_by_prefix",
    columns={"prefix": "text", "tag": "text", "videos": "bigint"},
    partition_by=("prefix",),
    partition_sort={"tag": 1},
    serves=(
        "tag autocomplete: tags used by at least one public video that start with the typed text "
        "(partition = first 2 characters of the normalised tag, clustering range on the tag), with their counts"
    ),
)

TAG_COUNTS = TableSpec(
    name="tag_counts",
    columns={"tag": "text", "total": "bigint"},
    partition_by=("tag",),
    serves="public videos per tag; durable copy of the Redis counter that adds and removes suggestions",
)

TABLES = [SEARCH_VIDEOS, SEARCH_PASSAGES, TAGS_BY_PREFIX, TAG_COUNTS]

# ---- popular tags and For You ----------------------------------------------------------------------------

POPULAR_TAGS_BUCKET = "all"

POPULAR_TAGS = TableSpec(
    name="popular_tags",
    columns={"bucket": "text", "videos": "bigint", "tag": "text"},
    partition_by=("bucket",),
    partition_sort={"videos": -1, "tag": 1},
    serves=(
        "the tags carried by the most public videos, most first (Explore's popular tags, For You's "
        "'Popular in #tag'): one fixed partition ('all') kept to the top 100 by the tag-count write-through"
    ),
)

USER_PREFERENCES = TableSpec(
    name="user_preferences",
    columns={
        "userid": "uuid",
        "preference": vector(EMBEDDING_DIMENSION),
        "updated_at": "timestamp",
        "version": "bigint",
        "anchors": "text",
        "recent_events": {"type": "list", "valueType": "text"},
    },
    partition_by=("userid",),
    serves=(
        "a user's For You state by id: the decayed, rating-weighted sum of the embeddings of videos they "
        "rated, watched and commented on (updated one event at a time by a Celery task), the few videos that "
        "explain it (`anchors`, JSON) and the ids of the last events applied (redelivery is a no-op)"
    ),
)

INTERACTIONS_BY_USER = TableSpec(
    name="interactions_by_user",
    columns={
        "userid": "uuid",
        "videoid": "uuid",
        "rating": "int",
        "rated_at": "timestamp",
        "viewed_at": "timestamp",
        "commented_at": "timestamp",
    },
    partition_by=("userid",),
    partition_sort={"videoid": 1},
    serves=(
        "which of a list of videos a user has already watched, rated or commented on (For You leaves them "
        "out: one partition, `videoid $in` the candidates), and their current rating of one (exact re-rating)"
    ),
)

TABLES += [POPULAR_TAGS, USER_PREFERENCES, INTERACTIONS_BY_USER]
