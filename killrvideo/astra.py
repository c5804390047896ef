"""The only place that builds the astrapy client.

One lazily built client per process. With ASTRA_DB_API_ENDPOINT + ASTRA_DB_APPLICATION_TOKEN set it talks to
Astra DB; otherwise to the embedded Data API server (`localdataapi`) with local credentials. Every Data API
warning (scan, in-memory sort, missing index) is logged and recorded so tests can fail hot paths on them.
"""

from __future__ import annotations

import base64
import functools
import logging
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import astrapy.data_types.data_api_timestamp as _astrapy_timestamps
import astrapy.utils.date_utils as _astrapy_dates
from astrapy import DataAPIClient, Database, Table
from astrapy.api_options import APIOptions, TimeoutOptions
from astrapy.authentication import UsernamePasswordTokenProvider
from astrapy.data_types import DataAPITimestamp, DataAPIVector
from astrapy.event_observers import ObservableEvent, ObservableWarning, Observer
from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_database: Database | None = None


@dataclass(frozen=True)
class RecordedWarning:
    code: str
    message: str
    table: str | None


class WarningRecorder(Observer):
    """Keeps the most recent Data API warnings; tests read them through `warnings_since`."""

    def __init__(self, size: int = 1000) -> None:
        self._events: deque[tuple[int, RecordedWarning]] = deque(maxlen=size)
        self._counter = 0
        self._lock = threading.Lock()

    def receive(
        self,
        event: ObservableEvent,
        sender: Any = None,
        function_name: str | None = None,
        request_id: str | None = None,
    ) -> None:
        if not isinstance(event, ObservableWarning):
            return
        table = getattr(sender, "name", None)
        warning = RecordedWarning(
            code=event.warning.error_code or "UNKNOWN", message=event.warning.message or "", table=table
        )
        logger.warning("Data API warning %s on %s: %s", warning.code, table, warning.message)
        with self._lock:
            self._counter += 1
            self._events.append((self._counter, warning))

    def mark(self) -> int:
        with self._lock:
            return self._counter

    def since(self, mark: int) -> list[RecordedWarning]:
        with self._lock:
            return [warning for seq, warning in self._events if seq > mark]


warning_recorder = WarningRecorder()


def _memoise_year_starts() -> None:
    """astrapy 2.3 parses every timestamp it reads by counting leap years from 1970 one year at a time (three
    times per value, ~170 calls); the answer depends on the year only, so it is memoised here. A page of 100
    comments reads 100 timestamps: this is a few ms of CPU per request. Same function, same results."""
    original = _astrapy_dates._year_to_unix_timestamp_ms
    if getattr(original, "cache_info", None) is not None:
        return
    memoised = functools.lru_cache(maxsize=4096)(original)
    _astrapy_dates._year_to_unix_timestamp_ms = memoised
    _astrapy_timestamps._year_to_unix_timestamp_ms = memoised


_memoise_year_starts()


def using_astra() -> bool:
    return bool(settings.ASTRA_DB_API_ENDPOINT and settings.ASTRA_DB_APPLICATION_TOKEN)


def _build_database() -> Database:
    options = APIOptions(
        event_observers={"killrvideo-warnings": warning_recorder},
        timeout_options=TimeoutOptions(request_timeout_ms=settings.DATA_API_TIMEOUT_MS),
    )
    if using_astra():
        client = DataAPIClient(api_options=options)
        return client.get_database(
            settings.ASTRA_DB_API_ENDPOINT,
            token=settings.ASTRA_DB_APPLICATION_TOKEN,
            keyspace=settings.ASTRA_DB_KEYSPACE,
        )
    client = DataAPIClient(environment="hcd", api_options=options)
    token = UsernamePasswordTokenProvider(settings.LOCAL_DATA_API_USERNAME, settings.LOCAL_DATA_API_PASSWORD)
    return client.get_database(settings.LOCAL_DATA_API_URL, token=token, keyspace=settings.ASTRA_DB_KEYSPACE)


def get_database() -> Database:
    global _database
    if _database is None:
        with _lock:
            if _database is None:
                _database = _build_database()
    return _database


_tables: dict[str, tuple[Database, Table]] = {}


def get_table(name: str) -> Table:
    """One handle per table and client: building one sends no request but costs ~4 ms of CPU (astrapy sets
    up its HTTP commander), more than a request to the embedded server. Handles share the client's options,
    so observers added later are seen; a new client (after `reset()`) gets new handles."""
    database = get_database()
    held = _tables.get(name)
    if held is not None and held[0] is database:
        return held[1]
    table = database.get_table(name)
    _tables[name] = (database, table)
    return table


def reset() -> None:
    """Forget the client, e.g. after settings change in tests or after a fork."""
    global _database
    with _lock:
        _database = None


def ping() -> None:
    """Raises when the Data API cannot be reached or refuses our credentials."""
    get_database().list_table_names(timeout_ms=3000)


def ensure_keyspace() -> None:
    """Create the keyspace when missing (embedded server: Data API admin; Astra: DevOps API)."""
    admin = get_database().get_database_admin()
    if settings.ASTRA_DB_KEYSPACE not in admin.list_keyspaces():
        logger.info("Creating keyspace %s", settings.ASTRA_DB_KEYSPACE)
        admin.create_keyspace(settings.ASTRA_DB_KEYSPACE)


def vector_sort(vector: Sequence[float]) -> dict[str, str]:
    """A vector for a `sort` in the Data API's binary form (`{"$binary": base64 of big-endian float32}`, what
    astrapy itself sends for a DataAPIVector), built once: astrapy deep-copies a sort's value per cursor step
    and walks a list float by float, and the server parses one string instead of 384 numbers (a vector read:
    1.65 -> 0.8 ms of app CPU, 6.0 -> 3.5 ms wall)."""
    return {"$binary": base64.b64encode(DataAPIVector(list(vector)).to_bytes()).decode("ascii")}


IN_LIMIT = 100  # values in one `$in` (the Data API's maxInOperatorValueSize; more is FILTER_INVALID_EXPRESSION)


def keys_in(values: Iterable[Any]) -> dict[str, list[Any]]:
    """An `$in` filter of distinct values (at most IN_LIMIT), UUIDs as their strings (the form astrapy sends
    them in anyway). astrapy deep-copies a filter at each of the nine steps that build a cursor, and a UUID
    deep-copies slowly: a hundred ids cost 3.5 ms of CPU as UUIDs before a byte is sent, 0.2 ms as strings."""
    return {"$in": [str(value) if isinstance(value, uuid.UUID) else value for value in dict.fromkeys(values)]}


def keys_in_chunks(values: Iterable[Any]) -> list[dict[str, list[Any]]]:
    """`keys_in` filters of at most IN_LIMIT distinct values each, together covering `values` (one read each)."""
    distinct = list(dict.fromkeys(values))
    return [keys_in(distinct[start : start + IN_LIMIT]) for start in range(0, len(distinct), IN_LIMIT)]


# Row values come back as astrapy types; repositories turn them into plain Python values with these.


def as_uuid(value: Any) -> uuid.UUID:
    return value if type(value) is uuid.UUID else uuid.UUID(str(value))


def as_datetime(value: Any) -> datetime:
    if isinstance(value, DataAPITimestamp):
        return value.to_datetime(tz=UTC)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    raise TypeError(f"not a timestamp: {value!r}")


def maybe_datetime(value: Any) -> datetime | None:
    return None if value is None else as_datetime(value)
