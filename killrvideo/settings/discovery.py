"""Discovery: search, related videos, tag suggestions, popular tags and For You."""

from __future__ import annotations

from .environment import env

# Rows kept in the one `popular_tags` partition (Explore shows the top 20 of them).
POPULAR_TAGS_KEEP = env.int("POPULAR_TAGS_KEEP", default=100)

# Threads torch may use to embed a search query in a web process. One: a query is a single short text, and on
# a busy machine more threads cost more CPU per query (they spin) for no faster answer. The worker keeps
# torch's default (it embeds transcripts in batches).
EMBEDDING_WEB_THREADS = env.int("EMBEDDING_WEB_THREADS", default=1)
