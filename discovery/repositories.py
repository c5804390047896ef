"""Discovery's tables: `tags_by_prefix` (suggestions) and `tag_counts` (durable per-tag counts)."""

from __future__ import annotations

from discovery.domain import RANGE_END, TagSuggestion, prefix_of
from killrvideo.astra import get_table


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
