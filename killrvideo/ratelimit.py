"""Fixed-window rate limits kept in Redis, shared by every web process."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

from killrvideo import redis
from killrvideo.errors import RateLimited


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> None:
    """Count one attempt for (scope, key); raise RateLimited once `limit` is passed inside the window."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    count, retry_after = redis.window_hit(f"rl:{scope}:{key}", window_seconds, time.time())
    if count > limit:
        raise RateLimited("Too many requests. Please wait and try again.", retry_after=retry_after)


def client_ip(request: HttpRequest) -> str:
    meta = request.META
    # Our proxy appends the address it saw; earlier hops are whatever the client claimed, so take the last.
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[-1].strip())
    return str(meta.get("REMOTE_ADDR", "unknown"))
