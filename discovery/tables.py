"""Discovery tables: tag suggestions, one partition per 2-character prefix (Cassandra style)."""

from __future__ import annotations

from killrvideo.schema import TableSpec

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

TABLES = [TAGS_BY_PREFIX, TAG_COUNTS]
