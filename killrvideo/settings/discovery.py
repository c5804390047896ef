"""Discovery: search, related videos, tag suggestions, popular tags and For You."""

from __future__ import annotations

from .environment import env

# Rows kept in the one `popular_tags` partition (Explore shows the top 20 of them).
POPULAR_TAGS_KEEP = env.int("POPULAR_TAGS_KEEP", default=100)
