"""Versioned caches (killrvideo.cache): a value is reused until one of its scopes changes, never after."""

from __future__ import annotations

import redis as redis_lib
from django.conf import settings

from killrvideo import cache


def _counting(values: list[int]):
    def compute() -> int:
        values.append(len(values) + 1)
        return values[-1]

    return compute


def test_value_is_reused_until_a_scope_changes(store):
    computed: list[int] = []
    compute = _counting(computed)
    assert cache.cached("t", ["a", "b"], compute) == 1
    assert cache.cached("t", ["a", "b"], compute) == 1
    cache.changed("b")
    assert cache.cached("t", ["a", "b"], compute) == 2
    cache.changed("unrelated")
    assert cache.cached("t", ["a", "b"], compute) == 2
    assert cache.cached("other-name", ["a", "b"], compute) == 3  # names do not share entries


def test_a_lost_version_never_brings_back_an_older_entry(store):
    """Redis losing the version key (restart, eviction) while old entries survive must not serve them."""
    computed: list[int] = []
    compute = _counting(computed)
    raw = redis_lib.Redis.from_url(settings.REDIS_URL)
    assert cache.cached("t", ["s"], compute) == 1
    raw.delete("kvapp:version:s")
    cache.changed("s")  # a bump of a missing version starts it afresh, not at 1
    assert cache.cached("t", ["s"], compute) == 2
    raw.delete("kvapp:version:s")
    assert cache.cached("t", ["s"], compute) == 3  # a lookup of a missing version also starts afresh
    assert cache.cached("t", ["s"], compute) == 3


def test_values_round_trip_as_python_objects(store):
    value = {"when": (1, 2.5, "x"), "ids": [None, b"\x00"]}
    assert cache.cached("obj", ["s"], lambda: value) == value
    assert cache.cached("obj", ["s"], lambda: None) == value


def test_cached_each_computes_only_the_misses_and_follows_each_scope(store):
    asked: list[list[str]] = []

    def compute_for(names: list[str]):
        def compute(missing: list[int]) -> list[str]:
            asked.append([names[i] for i in missing])
            return [f"{names[i]}-{len(asked)}" for i in missing]

        return compute

    names = ["a", "b", "c"]
    entries = [(f"each:{n}", f"scope-{n}") for n in names]
    assert cache.cached_each(entries, compute_for(names)) == ["a-1", "b-1", "c-1"]
    assert cache.cached_each(entries, compute_for(names)) == ["a-1", "b-1", "c-1"]
    cache.changed("scope-b")
    assert cache.cached_each(entries, compute_for(names)) == ["a-1", "b-2", "c-1"]
    assert asked == [["a", "b", "c"], ["b"]]
    assert cache.cached_each([], compute_for(names)) == []
    # None is a value like any other (a video that does not exist), not a miss
    assert cache.cached_each([("each:none", "scope-n")], lambda missing: [None]) == [None]
    assert cache.cached_each([("each:none", "scope-n")], lambda missing: ["computed again"]) == [None]
