"""Popular tags: the tags carried by the most public videos, kept in `popular_tags` (one partition, clustered
by count descending) so Explore reads its top rows in clustering order, with no scan and no sort.

Kept in step by the same write-through that stores each tag's count (`discovery.services.tags`): under a
lock of its own it reads the partition (at most POPULAR_TAGS_KEEP + 1 rows), moves the tag's row to its new
count, and trims the partition to POPULAR_TAGS_KEEP. Explore shows far fewer than are kept, so a tag falling
out of the kept set and then being overtaken by one that was never in it cannot reach what is shown unless
dozens do; while fewer than POPULAR_TAGS_KEEP tags exist, the table holds every one and is exact. The
operator rebuild (`manage.py rebuild_tag_suggestions`) rewrites it from the recount.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings

from discovery import repositories as repo
from discovery.domain import TagSuggestion
from killrvideo import redis

MAX_POPULAR = 50
_LOCK = "discovery:popular_tags"


def popular_tags(*, limit: int = 20) -> list[TagSuggestion]:
    """The `limit` (<= 50) tags with the most public videos, most first (ties alphabetically)."""
    limit = max(1, min(limit, MAX_POPULAR))
    rows = repo.popular_tags_read(limit + 1)
    seen: set[str] = set()
    unique = []
    for row in rows:  # a write interrupted between its insert and its delete can leave a tag twice
        if row.tag not in seen:
            seen.add(row.tag)
            unique.append(row)
    return unique[:limit]


def _ranked(counts: Mapping[str, int]) -> dict[str, int]:
    positive = [(tag, n) for tag, n in counts.items() if n > 0]
    return dict(sorted(positive, key=lambda item: (-item[1], item[0]))[: settings.POPULAR_TAGS_KEEP])


def popular_tag_count(*, tag: str, videos: int) -> None:
    """A tag's public-video count changed to `videos` (called by the tag-count write-through)."""
    with redis.lock(_LOCK):
        rows = repo.popular_tags_read(settings.POPULAR_TAGS_KEEP * 2)
        counts: dict[str, int] = {}
        for row in rows:
            counts.setdefault(row.tag, row.videos)
        counts[tag] = videos
        _replace(rows, _ranked(counts))


def popular_tags_rebuild(counts: Mapping[str, int]) -> int:
    """Operator rebuild from a full recount: the partition becomes exactly the top POPULAR_TAGS_KEEP."""
    with redis.lock(_LOCK):
        top = _ranked(counts)
        _replace(repo.popular_tags_read(settings.POPULAR_TAGS_KEEP * 4), top)
    return len(top)


def _replace(rows: Sequence[TagSuggestion], wanted: Mapping[str, int]) -> None:
    """New rows first, then the stale ones, so a reader never sees a kept tag missing."""
    present = {(row.tag, row.videos) for row in rows}
    for tag, videos in wanted.items():
        if (tag, videos) not in present:
            repo.popular_tag_put(tag, videos)
    for tag, videos in present:
        if wanted.get(tag) != videos:
            repo.popular_tag_remove(tag, videos)
