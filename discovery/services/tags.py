"""Tag suggestions: a prefix table of the tags public videos carry, kept in step from catalog's signals.

Each tag's public-video count is a Redis counter (atomic INCRBY) written through to `tag_counts`; the same
write-through, serialised per tag, puts the tag into `tags_by_prefix` (with its count) while the count is
above 0 and removes it when it reaches 0. A query reads one partition with one clustering range.
"""

from __future__ import annotations

import logging
from typing import Any

from catalog import services as catalog
from catalog.domain import Video, normalise_tag
from discovery import repositories as repo
from discovery.domain import TagSuggestion, tag_deltas
from discovery.services import popular
from killrvideo import redis

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 25


def _counter(tag: str) -> str:
    return f"discovery_tag:{tag}"


def _persist(tag: str, value: int) -> None:
    repo.tag_count_put(tag, value)
    if value > 0:
        repo.suggestion_put(tag, value)
    else:
        repo.suggestion_remove(tag)
    popular.popular_tag_count(tag=tag, videos=value)


def tag_count_change(*, tag: str, delta: int) -> int:
    return redis.total_change(_counter(tag), delta, lambda: repo.tag_count_get(tag), lambda value: _persist(tag, value))


def tag_suggestions(*, query: str, limit: int = 10) -> list[TagSuggestion]:
    """Tags of public videos starting with `query` (normalised), alphabetical. The partition is the first
    two characters, so a 1-character query finds only the 1-character tag itself: suggestions start at 2."""
    prefix = normalise_tag(query)
    if not prefix:
        return []
    return repo.suggestions_read(prefix, max(1, min(limit, MAX_SUGGESTIONS)))


def on_video_changed(sender: Any, *, old: Video, new: Video, **_: Any) -> None:
    """catalog.signals.video_changed: +1/-1 per tag whose membership among public videos changed."""
    deltas = tag_deltas(old.tags, old.is_public, new.tags, new.is_public)
    try:
        for tag, delta in sorted(deltas.items()):
            tag_count_change(tag=tag, delta=delta)
    except Exception:
        # The video change is stored already; `manage.py rebuild_tag_suggestions` repairs a missed step.
        logger.exception("Could not update tag suggestions for video %s", new.video_id)


def tag_suggestions_rebuild() -> int:
    """ADMIN ONLY (scans `videos` and `tag_counts`): recount every tag; returns how many tags are suggested."""
    counts = catalog.public_tag_counts()
    for tag in repo.tag_counts_scan():
        counts.setdefault(tag, 0)
    for tag, value in counts.items():
        redis.total_set(_counter(tag), value, lambda v, tag=tag: _persist(tag, v))  # type: ignore[misc]
    popular.popular_tags_rebuild(counts)
    return sum(1 for value in counts.values() if value > 0)


def on_dataset_imported(sender: Any, **_: Any) -> str:
    """catalog.signals.dataset_imported: the import writes videos directly, so rebuild the suggestions."""
    return f"Tag suggestions: {tag_suggestions_rebuild()} tags"
