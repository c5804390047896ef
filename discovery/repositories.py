"""Discovery's tables: the search index, `tags_by_prefix` (suggestions) and `tag_counts` (per-tag counts)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from discovery.domain import RANGE_END, TagSuggestion, prefix_of
from discovery.tables import POPULAR_TAGS_BUCKET
from killrvideo import cache
from killrvideo.astra import get_table, vector_sort


def suggestions_read(query: str, limit: int) -> list[TagSuggestion]:
    """One partition, one clustering range: tags >= query and < query + U+10FFFF, alphabetical."""
    rows = get_table("tags_by_prefix").find(
        {"prefix": prefix_of(query), "tag": {"$gte": query, "$lt": query + RANGE_END}},
        projection={"tag": True, "videos": True},
        limit=limit,
    )
    return [TagSuggestion(tag=row["tag"], videos=int(row.get("videos") or 0)) for row in rows]


def suggestion_put(tag: str, videos: int) -> None:
    get_table("tags_by_prefix").insert_one({"prefix": prefix_of(tag), "tag": tag, "videos": videos})


def suggestion_remove(tag: str) -> None:
    get_table("tags_by_prefix").delete_one({"prefix": prefix_of(tag), "tag": tag})


def tag_count_get(tag: str) -> int | None:
    row = get_table("tag_counts").find_one({"tag": tag})
    return int(row["total"]) if row and row.get("total") is not None else None


def tag_count_put(tag: str, total: int) -> None:
    get_table("tag_counts").insert_one({"tag": tag, "total": total})


def tag_counts_scan() -> list[str]:
    """ADMIN ONLY (full table scan): every tag with a stored count, for the rebuild."""
    return [row["tag"] for row in get_table("tag_counts").find({}, projection={"tag": True})]


# ---- popular tags (`popular_tags`: one partition, most videos first) ------------------------------------


def popular_tags_read(limit: int) -> list[TagSuggestion]:
    rows = get_table("popular_tags").find({"bucket": POPULAR_TAGS_BUCKET}, limit=limit)
    return [TagSuggestion(tag=row["tag"], videos=int(row["videos"])) for row in rows]


def popular_tag_put(tag: str, videos: int) -> None:
    get_table("popular_tags").insert_one({"bucket": POPULAR_TAGS_BUCKET, "videos": videos, "tag": tag})


def popular_tag_remove(tag: str, videos: int) -> None:
    get_table("popular_tags").delete_one({"bucket": POPULAR_TAGS_BUCKET, "videos": videos, "tag": tag})


# ---- search index (`search_videos`, `search_passages`) ---------------------------------------------------


@dataclass(frozen=True)
class Hit:
    video_id: uuid.UUID
    score: float  # BM25 for lexical lists (unbounded), Astra's 0..1 similarity for vector lists
    start: int | None = None  # the passage's start second (passage lists only)
    text: str = ""  # the passage's text (passage lists only)


# Cache scope (`killrvideo.cache`) of everything read from `search_videos` and `search_passages`: each write
# below bumps it once it has landed, so cached search candidates are never stale.
SEARCH_INDEX = "search-index"


def search_video_put(video_id: uuid.UUID, content: str, vector: Sequence[float] | None) -> None:
    row: dict[str, Any] = {"videoid": video_id, "content": content}
    if vector is not None:
        row["embedding"] = list(vector)
    get_table("search_videos").insert_one(row)
    cache.changed(SEARCH_INDEX)


def search_videos_put_many(rows: Sequence[tuple[uuid.UUID, str, Sequence[float] | None]]) -> None:
    docs = [
        {"videoid": vid, "content": content, **({"embedding": list(vec)} if vec is not None else {})}
        for vid, content, vec in rows
    ]
    if docs:
        get_table("search_videos").insert_many(docs, chunk_size=50)
        cache.changed(SEARCH_INDEX)


def search_video_ids_scan() -> list[uuid.UUID]:
    """ADMIN ONLY (full table scan): every indexed video, for the rebuild."""
    return [row["videoid"] for row in get_table("search_videos").find({}, projection={"videoid": True})]


def search_video_remove(video_id: uuid.UUID) -> None:
    get_table("search_videos").delete_one({"videoid": video_id})
    cache.changed(SEARCH_INDEX)


# Lexical reads filter with `$match` on the column they sort by: the filter uses the text index (a find with
# no filter at all is a full-scan warning on Astra), and BM25 needs every term anyway.


def search_videos_lexical(query: str, limit: int) -> list[Hit]:
    rows = get_table("search_videos").find(
        {"content": {"$match": query}}, sort={"content": query}, projection={"videoid": True}, limit=limit
    )
    # BM25 scores are not returned by the Data API: the rank is the signal, the score is the position.
    return [Hit(row["videoid"], 1.0 / (rank + 1)) for rank, row in enumerate(rows)]


def search_videos_nearest(vector: Sequence[float], limit: int) -> list[Hit]:
    rows = get_table("search_videos").find(
        {}, sort={"embedding": vector_sort(vector)}, projection={"videoid": True}, limit=limit, include_similarity=True
    )
    return [Hit(row["videoid"], float(row.get("$similarity") or 0.0)) for row in rows]


def passages_put_many(video_id: uuid.UUID, passages: Sequence[tuple[int, str]]) -> None:
    docs = [{"videoid": video_id, "start": start, "text": text} for start, text in passages]
    if docs:
        get_table("search_passages").insert_many(docs, chunk_size=50)
        cache.changed(SEARCH_INDEX)


def passages_read(video_id: uuid.UUID) -> list[tuple[int, str, bool]]:
    """(start, text, has an embedding) of one video's passages, in time order (one partition)."""
    rows = get_table("search_passages").find(
        {"videoid": video_id}, projection={"start": True, "text": True, "embedding": True}
    )
    return [(int(row["start"]), str(row["text"]), row.get("embedding") is not None) for row in rows]


def passage_embedding_set(video_id: uuid.UUID, start: int, vector: Sequence[float]) -> None:
    get_table("search_passages").update_one(
        {"videoid": video_id, "start": start}, {"$set": {"embedding": list(vector)}}
    )
    cache.changed(SEARCH_INDEX)


def passages_lexical(query: str, limit: int) -> list[Hit]:
    rows = get_table("search_passages").find(
        {"text": {"$match": query}},
        sort={"text": query},
        projection={"videoid": True, "start": True, "text": True},
        limit=limit,
    )
    return [Hit(row["videoid"], 1.0 / (rank + 1), int(row["start"]), str(row["text"])) for rank, row in enumerate(rows)]


def passages_nearest(vector: Sequence[float], limit: int) -> list[Hit]:
    rows = get_table("search_passages").find(
        {},
        sort={"embedding": vector_sort(vector)},
        projection={"videoid": True, "start": True, "text": True},
        limit=limit,
        include_similarity=True,
    )
    return [
        Hit(row["videoid"], float(row.get("$similarity") or 0.0), int(row["start"]), str(row["text"])) for row in rows
    ]
