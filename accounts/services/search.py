"""Moderator user search served by `users_by_name_prefix` (one partition, one clustering range per query)."""

from __future__ import annotations

import uuid

from accounts import repositories
from accounts.domain import SEARCH_PREFIX_LENGTH, User, search_token, search_tokens_for
from accounts.services.users import users_get_many
from killrvideo.errors import ValidationFailed

MAX_RESULTS = 100
# Rows read per result wanted: one user owns several tokens that may share a prefix.
READ_FACTOR = 4


def _matches_all(user: User, words: list[str]) -> bool:
    tokens = search_tokens_for(email=user.email, first_name=user.first_name, last_name=user.last_name)
    return all(any(token.startswith(word) for token in tokens) for word in words)


def users_search(*, query: str, limit: int = 20) -> list[User]:
    """Users whose email, first or last name starts with each word of `query`; [] for an empty query."""
    words = [search_token(word) for word in (query or "").split()]
    words = [word for word in words if word]
    if not words:
        return []
    longest = max(words, key=len)
    if len(longest) < SEARCH_PREFIX_LENGTH:
        raise ValidationFailed.for_field("q", f"Type at least {SEARCH_PREFIX_LENGTH} characters to search users.")
    limit = max(1, min(limit, MAX_RESULTS))
    ids = list(dict.fromkeys(repositories.search_user_ids(longest, limit=limit * READ_FACTOR)))
    found: dict[uuid.UUID, User] = users_get_many(user_ids=ids)
    ordered = [found[user_id] for user_id in ids if user_id in found]
    return [user for user in ordered if _matches_all(user, words)][:limit]
