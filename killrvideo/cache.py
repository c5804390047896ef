"""Versioned caches: a value is stored under the versions of the data it was computed from.

Each kind of data a cached value depends on is a *scope* (one listing, one video's comments) with a version
number in Redis. `cached` reads the versions of its scopes and looks the value up under a key holding them;
writers call `changed` after their writes have landed, which bumps the versions, so every later reader looks
under a new key and computes the value afresh. Invalidation is therefore exact, and nothing is deleted: old
entries expire (`ttl`). Races are harmless: a reader that read a version before a bump may store a value
computed from the older data, but only under the older version, which nobody reads once the bump is done.

A version Redis no longer holds (restart, eviction) starts again at the current time in nanoseconds, which no
earlier life of the scope can have reached by increments, so no entry of that earlier life is reused. Both
steps run as Lua scripts: a lookup is one round trip, a bump one more per write.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import redis as redis_lib
from django.conf import settings

from killrvideo.redis import key

T = TypeVar("T")
DEFAULT_TTL_SECONDS = 600

# KEYS: the version keys; ARGV[1]: a fresh version for missing ones, ARGV[2]: the entry key's prefix.
# Returns the entry key and its value (nil on a miss).
_LOOKUP = """
local parts = {}
for i, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if not v then
    redis.call('SET', k, ARGV[1])
    v = ARGV[1]
  end
  parts[i] = v
end
local entry = ARGV[2] .. table.concat(parts, '.')
return {entry, redis.call('GET', entry)}
"""
# The same for N independent values, each under one scope: KEYS[i] is the version of value i, ARGV[i + 2] its
# entry key's prefix. Returns the N entry keys, then the N values.
_LOOKUP_EACH = """
local entries, values = {}, {}
for i, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if not v then
    redis.call('SET', k, ARGV[1])
    v = ARGV[1]
  end
  entries[i] = ARGV[i + 1] .. v
  values[i] = redis.call('GET', entries[i]) or ''
end
for i = 1, #entries do entries[#entries + 1] = values[i] end
return entries
"""
_BUMP = """
for _, k in ipairs(KEYS) do
  if redis.call('EXISTS', k) == 1 then redis.call('INCR', k) else redis.call('SET', k, ARGV[1]) end
end
"""

_clients: dict[str, tuple[redis_lib.Redis, Any, Any, Any]] = {}
_clients_lock = threading.Lock()


def _scripts() -> tuple[redis_lib.Redis, Any, Any, Any]:
    """A binary (undecoded) client for pickled values, with the scripts registered, per Redis URL."""
    url = settings.REDIS_URL
    found = _clients.get(url)
    if found is None:
        with _clients_lock:
            client = redis_lib.Redis.from_url(url)
            scripts = (client.register_script(_LOOKUP), client.register_script(_LOOKUP_EACH))
            found = _clients.setdefault(url, (client, *scripts, client.register_script(_BUMP)))
    return found


def _version_keys(scopes: Sequence[str]) -> list[str]:
    return [key(f"version:{scope}") for scope in scopes]


def cached(name: str, scopes: Sequence[str], compute: Callable[[], T], *, ttl: int = DEFAULT_TTL_SECONDS) -> T:
    """`compute()`, or the value it returned before if no scope has `changed` since."""
    client, lookup, _, _ = _scripts()
    entry, value = lookup(keys=_version_keys(scopes), args=[time.time_ns(), key(f"cached:{name}@")])
    if value is not None:
        return cast(T, pickle.loads(value))  # noqa: S301 - our own Redis, written below
    result = compute()
    client.set(entry, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), ex=ttl)
    return result


def cached_each(
    entries: Sequence[tuple[str, str]], compute: Callable[[list[int]], list[T]], *, ttl: int = DEFAULT_TTL_SECONDS
) -> list[T]:
    """Many independent values in one round trip: `entries[i]` is value i's (name, scope); `compute` gets the
    positions of the values not cached and returns those values, in that order."""
    if not entries:
        return []
    client, _, lookup_each, _ = _scripts()
    args = [time.time_ns(), *(key(f"cached:{name}@") for name, _ in entries)]
    found = lookup_each(keys=_version_keys([scope for _, scope in entries]), args=args)
    keys, raw = found[: len(entries)], found[len(entries) :]
    values: list[Any] = [pickle.loads(value) if value else None for value in raw]  # noqa: S301 - our own Redis
    missing = [i for i, value in enumerate(raw) if not value]
    if missing:
        pipe = client.pipeline(transaction=False)
        for i, value in zip(missing, compute(missing), strict=True):
            values[i] = value
            pipe.set(keys[i], pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=ttl)
        pipe.execute()
    return cast(list[T], values)


def changed(*scopes: str) -> None:
    """Call after the writes to these scopes have landed: values cached from before are never read again."""
    if scopes:
        *_, bump = _scripts()
        bump(keys=_version_keys(scopes), args=[time.time_ns()])
