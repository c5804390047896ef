"""Helpers shared by every app's tests."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from astrapy.event_observers import ObservableEvent, ObservableRequest, ObservableResponse, Observer

from killrvideo import astra

ROOT = Path(__file__).resolve().parents[2]
# The public KillrVideo dataset, read by path (never committed): KILLRVIDEO_DATA_DIR, else ../shared/.
DATASET_DIR = Path(os.environ.get("KILLRVIDEO_DATA_DIR") or ROOT.parent / "shared" / "killrvideo-data")
# A real YouTube id, used wherever a test needs "some video".
SAMPLE_YOUTUBE_ID = "dQw4w9WgXcQ"

# Astra's warnings for a scan or an in-memory sort: a hot path must never cause one.
SCAN_WARNING_CODES = {"ZERO_FILTER_OPERATIONS", "MISSING_INDEX", "INCOMPLETE_PRIMARY_KEY_FILTER"}


def is_scan_warning(code: str) -> bool:
    return code in SCAN_WARNING_CODES or code.startswith("IN_MEMORY_SORTING")


@contextmanager
def no_scan_warnings() -> Iterator[None]:
    """Fails when any Data API request made inside the block was a scan or an in-memory sort."""
    mark = astra.warning_recorder.mark()
    yield
    bad = [w for w in astra.warning_recorder.since(mark) if is_scan_warning(w.code)]
    assert not bad, "hot path caused Data API scan/sort warnings: " + "; ".join(
        f"{w.code} on {w.table}: {w.message}" for w in bad
    )


@contextmanager
def receivers_off(signal: Any, *dispatch_uids: str) -> Iterator[None]:
    """Inside the block, the signal's receivers connected under these dispatch uids do not run (a test of one
    app's step of a multi-app flow, e.g. the catalog's part of the dataset import, whose other steps have
    tests of their own); they are connected again afterwards, in their place."""
    with signal.lock:
        saved = list(signal.receivers)
        signal.receivers = [entry for entry in saved if entry[0][0] not in dispatch_uids]
        signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        with signal.lock:
            signal.receivers = saved
            signal.sender_receivers_cache.clear()


def drop_cached_values() -> None:
    """Forget every value `killrvideo.cache` holds (versions stay), so the next reads go to the store: for
    tests that count what a read costs the store."""
    import redis as redis_lib
    from django.conf import settings

    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter("kvapp:cached:*", count=1000))
    if keys:
        client.delete(*keys)


class DataApiReads(Observer):
    """Data API `find` requests per table, and the rows they returned, per table (an astrapy observer)."""

    def __init__(self, row_tables: Sequence[str] = (), find_tables: Sequence[str] | None = None) -> None:
        self.finds: Counter[str] = Counter()
        self.rows: Counter[str] = Counter()
        self.row_tables = tuple(row_tables)
        self.find_tables = None if find_tables is None else tuple(find_tables)
        self._lock = threading.Lock()

    def receive(self, event: ObservableEvent, sender: Any = None, function_name: Any = None, request_id: Any = None):
        table = getattr(sender, "name", "")
        if isinstance(event, ObservableRequest) and "find" in json.loads(event.payload or "{}"):
            with self._lock:
                self.finds[table] += 1
        elif isinstance(event, ObservableResponse):
            documents = (json.loads(event.body or "{}").get("data") or {}).get("documents") or []
            with self._lock:
                self.rows[table] += len(documents)

    def snapshot(self) -> tuple[int, int]:
        """(finds on `find_tables`, or on any table, and rows read from `row_tables`) so far."""
        with self._lock:
            tables = self.finds if self.find_tables is None else self.find_tables
            return sum(self.finds[t] for t in tables), sum(self.rows[t] for t in self.row_tables)


@contextmanager
def counting_reads(row_tables: Sequence[str] = (), find_tables: Sequence[str] | None = None) -> Iterator[DataApiReads]:
    """Counts the Data API reads made inside the block (from any thread of this process)."""
    observer = DataApiReads(row_tables, find_tables)
    name = f"test-reads-{id(observer)}"
    observers = astra.get_database().api_options.event_observers
    observers[name] = observer
    try:
        yield observer
    finally:
        observers.pop(name, None)
