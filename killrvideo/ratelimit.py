"""Fixed-window rate limits kept in Redis (the Django cache), shared by every web process."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from killrvideo.errors import RateLimited


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> None:
    """Count one attempt for (scope, key); raise RateLimited once `limit` is passed inside the window."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    window = int(time.time() // window_seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    # add() is atomic (SET NX): the first hit of a window creates the counter with its expiry.
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr(): this hit starts a new window
            cache.add(cache_key, 1, timeout=window_seconds + 1)
            count = 1
    if count > limit:
        retry_after = window_seconds - int(time.time()) % window_seconds
        raise RateLimited("Too many requests. Please wait and try again.", retry_after=retry_after)


def client_ip(request: object) -> str:
    meta = getattr(request, "META", {})
    # Our proxy appends the address it saw; earlier hops are whatever the client claimed, so take the last.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return meta.get("REMOTE_ADDR", "unknown")
