"""Text indexes: inverted-index tables in SQLite, maintained from a durable queue, and `$match`.

Each text index `<i>` owns three tables next to its base table:

- `lx_<i>_p (term, doc, tf)` — the postings, clustered by term (WITHOUT ROWID), so a term's rows
  are one B-tree range;
- `lx_<i>_d (doc, dl)` — each indexed row's length in analysed terms (BM25's document length);
- `lx_<i>_s (n, total)` — the row count and total length (BM25's N and average length).

`doc` is the base table's rowid. AFTER INSERT / UPDATE OF / DELETE triggers on the base table
queue the touched rowid (with the previous text) in `_lx_queue`, in the writing transaction, so
the queue is exactly as durable as the rows. `drain` analyses queued rows in Python and updates
the index tables in bulk (much as PostgreSQL's GIN indexes merge their pending list):

- in the background, once the keyspace's writes pause (`Indexer`), a batch per transaction;
- in a write that leaves the queue over its caps, so the queue stays bounded;
- before any lexical read (`catch_up`), so every query sees every acknowledged write — after a
  kill -9 too, since the queue survives it.

Every write path (upserts, updates, deletes, truncation) is covered.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from localdataapi import analyzers
from localdataapi.errors import ApiError, fmt_names
from localdataapi.schema import IndexDef, TableSchema, qcol, qtable

if TYPE_CHECKING:
    from localdataapi.storage import KeyspaceStore

log = logging.getLogger(__name__)

TEXT_COLUMN_KINDS = ("text", "ascii")
DEFAULT_ANALYZER = "standard"
QUEUE = "_lx_queue"
_QUEUE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {QUEUE} "
    "(seq INTEGER PRIMARY KEY, idx TEXT NOT NULL, doc INTEGER NOT NULL, old TEXT, size INTEGER NOT NULL)"
)
# The queue's entries by row, with their sizes: a batch picks whole rows, and counting the queue
# reads this index instead of the queued texts.
_QUEUE_INDEX_DDL = f'CREATE INDEX IF NOT EXISTS "{QUEUE}_doc" ON {QUEUE} (idx, doc, size)'


@dataclass(frozen=True)
class Tuning:
    """When text indexes catch up with their queue (`DataAPIServer(index_tuning=...)`)."""

    # The background indexer starts once the keyspace has queued nothing for this long (None: never, so
    # only the caps and lexical reads index; `python -m localdataapi --index-idle-ms off`).
    idle_seconds: float | None = 0.1
    # It indexes batches of about this much queued text (or entries): a tenth of a second each.
    batch_chars: int = 1_000_000
    batch_rows: int = 2_000
    # A write that leaves more than this queued indexes batches until it is not (writes that never pause
    # would otherwise grow the queue, and the lexical read that catches up, without bound).
    max_queued_rows: int = 20_000
    max_queued_chars: int = 32_000_000


_PENDING = ("", "lexical-queue")  # KeyspaceStore.caches key (the cache is cleared by every DDL)


# ---------------------------------------------------------------- index objects


def postings(idx: IndexDef) -> str:
    return f'"lx_{idx.name}_p"'


def lengths(idx: IndexDef) -> str:
    return f'"lx_{idx.name}_d"'


def stats(idx: IndexDef) -> str:
    return f'"lx_{idx.name}_s"'


def analyzer_spec(idx: IndexDef) -> str | dict[str, Any]:
    spec = idx.options.get("analyzer", DEFAULT_ANALYZER)
    return spec if isinstance(spec, str | dict) else DEFAULT_ANALYZER


def analyzer_for(idx: IndexDef) -> analyzers.Analyzer:
    return analyzers.from_key(analyzers.spec_key(analyzer_spec(idx)))


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _create_triggers(conn: sqlite3.Connection, schema: TableSchema, idx: IndexDef) -> None:
    table, col, name = qtable(schema.name), qcol(idx.column), _sql_literal(idx.name)
    trig = f"lx_{idx.name}"
    enqueue = f"INSERT INTO {QUEUE} (idx, doc, old, size) VALUES ({name}"  # noqa: S608
    new_len, old_len = f"length(new.{col})", f"length(old.{col})"
    conn.execute(
        f'CREATE TRIGGER "{trig}_ai" AFTER INSERT ON {table} WHEN new.{col} IS NOT NULL '
        f"BEGIN {enqueue}, new.rowid, NULL, {new_len}); END"
    )
    conn.execute(
        f'CREATE TRIGGER "{trig}_ad" AFTER DELETE ON {table} WHEN old.{col} IS NOT NULL '
        f"BEGIN {enqueue}, old.rowid, old.{col}, {old_len}); END"
    )
    conn.execute(
        f'CREATE TRIGGER "{trig}_au" AFTER UPDATE OF {col} ON {table} WHEN old.{col} IS NOT new.{col} '
        f"BEGIN {enqueue}, old.rowid, old.{col}, coalesce({old_len}, 0) + coalesce({new_len}, 0)); END"
    )


def create_index_objects(conn: sqlite3.Connection, schema: TableSchema, idx: IndexDef) -> int:
    """Create the index tables, index the existing rows and install the triggers; returns rows indexed."""
    p, d, s = postings(idx), lengths(idx), stats(idx)
    conn.execute(_QUEUE_DDL)
    conn.execute(_QUEUE_INDEX_DDL)
    conn.execute(
        f"CREATE TABLE {p} (term TEXT NOT NULL, doc INTEGER NOT NULL, tf INTEGER NOT NULL, "
        "PRIMARY KEY (term, doc)) WITHOUT ROWID"
    )
    conn.execute(f"CREATE TABLE {d} (doc INTEGER PRIMARY KEY, dl INTEGER NOT NULL)")
    conn.execute(f"CREATE TABLE {s} (k INTEGER PRIMARY KEY CHECK (k = 0), n INTEGER NOT NULL, total INTEGER NOT NULL)")
    conn.execute(f"INSERT INTO {s} (k, n, total) VALUES (0, 0, 0)")  # noqa: S608
    col = qcol(idx.column)
    source = conn.execute(f"SELECT rowid, {col} FROM {qtable(schema.name)} WHERE {col} IS NOT NULL")  # noqa: S608
    count = 0
    for batch in iter(lambda: source.fetchmany(1000), []):
        _apply(conn, idx, [(rowid, None, text) for rowid, text in batch])
        count += len(batch)
    _create_triggers(conn, schema, idx)
    return count


def _queue_exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (QUEUE,)).fetchone() is not None


def drop_index_objects(conn: sqlite3.Connection, idx: IndexDef) -> None:
    for suffix in ("ai", "ad", "au"):
        conn.execute(f'DROP TRIGGER IF EXISTS "lx_{idx.name}_{suffix}"')
    if _queue_exists(conn):
        # Queued rows must not reach a later index of the same name.
        conn.execute(f"DELETE FROM {QUEUE} WHERE idx = ?", (idx.name,))  # noqa: S608
    for table in (postings(idx), lengths(idx), stats(idx)):
        conn.execute(f"DROP TABLE IF EXISTS {table}")


# ---------------------------------------------------------------- maintenance


def _apply(conn: sqlite3.Connection, idx: IndexDef, changes: list[tuple[int, str | None, str | None]]) -> None:
    """Move rows from their indexed text (before) to their current text (after), in bulk."""
    analyzer = analyzer_for(idx)
    removed: list[tuple[str, int]] = []
    added: list[tuple[str, int, int]] = []
    lens: list[tuple[int, int]] = []
    gone: list[tuple[int]] = []
    dn = dtotal = 0
    for doc, before, after in changes:
        if before == after:
            continue
        if before is not None:
            counts = analyzer.term_counts(before)
            removed.extend((t, doc) for t in counts)
            gone.append((doc,))
            dn, dtotal = dn - 1, dtotal - sum(counts.values())
        if after is not None:
            counts = analyzer.term_counts(after)
            added.extend(zip(counts, repeat(doc), counts.values(), strict=False))
            length = sum(counts.values())
            lens.append((doc, length))
            dn, dtotal = dn + 1, dtotal + length
    # In the postings' own order, SQLite writes each B-tree page once. Sorting by term alone is enough
    # (and much cheaper than comparing tuples): a term's rows keep the docs' order, usually ascending.
    added.sort(key=itemgetter(0))
    p, d = postings(idx), lengths(idx)
    conn.executemany(f"DELETE FROM {p} WHERE term = ? AND doc = ?", removed)  # noqa: S608
    conn.executemany(f"DELETE FROM {d} WHERE doc = ?", gone)  # noqa: S608
    conn.executemany(f"INSERT INTO {p} (term, doc, tf) VALUES (?, ?, ?)", added)  # noqa: S608
    conn.executemany(f"INSERT INTO {d} (doc, dl) VALUES (?, ?)", lens)  # noqa: S608
    if dn or dtotal:
        conn.execute(f"UPDATE {stats(idx)} SET n = n + ?, total = total + ?", (dn, dtotal))  # noqa: S608


def _load_index(conn: sqlite3.Connection, name: str) -> IndexDef | None:
    row = conn.execute("SELECT definition FROM _indexes WHERE name = ?", (name,)).fetchone()
    return IndexDef.from_json(json.loads(row[0])) if row else None


@dataclass
class _Pending:
    """What the queue holds: entries, characters of text, and the highest `seq` counted."""

    rows: int
    chars: int
    seq: int


_UNKNOWN = object()


def _pending(conn: sqlite3.Connection, store: KeyspaceStore) -> _Pending | None:
    """The queue's size, inside a write transaction; None when the keyspace has no text index.

    Read once with SQL, then kept exact in memory: every write transaction adds the entries above
    `seq` (its own), every drain reads the size again. A rollback or DDL makes it read again."""
    pending = store.caches.get(_PENDING, _UNKNOWN)
    if pending is _UNKNOWN:
        pending = None
        if _queue_exists(conn):
            conn.execute(_QUEUE_INDEX_DDL)  # a queue made before the index existed
            pending = _Pending(0, 0, 0)
            _recount(conn, pending)
        store.caches[_PENDING] = pending
    assert pending is None or isinstance(pending, _Pending)
    return pending


def _recount(conn: sqlite3.Connection, pending: _Pending) -> None:
    # count and sum read the covering index (idx, doc, size), max the rowid: never the queued texts.
    sql = f"SELECT count(*), coalesce(sum(size), 0), coalesce(max(seq), 0) FROM {QUEUE}"  # noqa: S608
    pending.rows, pending.chars, pending.seq = conn.execute(sql).fetchone()


def forget(store: KeyspaceStore) -> None:
    """After a rollback: the queue's size is read again by the next write."""
    store.caches.pop(_PENDING, None)


def before_commit(conn: sqlite3.Connection, store: KeyspaceStore) -> bool:
    """Count the rows this write transaction queued (True if any); past the caps, index batches first.

    The caps bound the queue when writes never pause for the background indexer: each write over
    them indexes about as much as it queued (a batch at a time), so no write waits for all of it."""
    pending = _pending(conn, store)
    if pending is None:
        return False
    sql = f"SELECT count(*), coalesce(sum(size), 0), max(seq) FROM {QUEUE} WHERE seq > ?"  # noqa: S608
    rows, chars, seq = conn.execute(sql, (pending.seq,)).fetchone()
    if rows:
        pending.rows, pending.chars, pending.seq = pending.rows + rows, pending.chars + chars, seq
    tuning = store.tuning
    while (pending.rows >= tuning.max_queued_rows or pending.chars >= tuning.max_queued_chars) and drain(
        conn, store, tuning.batch_chars, tuning.batch_rows
    ):
        pass
    return bool(rows)


def drain(
    conn: sqlite3.Connection, store: KeyspaceStore, max_chars: int | None = None, max_rows: int | None = None
) -> bool:
    """Index queued rows, inside the caller's write transaction; True if some are still queued.

    Without limits it indexes all of them. With limits, it takes whole rows (every queued change of
    each, so the index then holds each one's current text) until about `max_chars` characters of
    queued text or `max_rows` queue entries."""
    pending = _pending(conn, store)
    if pending is None or pending.rows == 0:
        return False
    picked: dict[str, list[int]] = {}
    rows = chars = 0
    last: tuple[str, int] | None = None
    more = False
    entries = conn.execute(f"SELECT idx, doc, size FROM {QUEUE} ORDER BY idx, doc")  # noqa: S608 (covering index)
    for name, doc, size in entries:
        if (name, doc) != last:
            if (max_chars is not None and chars >= max_chars) or (max_rows is not None and rows >= max_rows):
                more = True
                break
            picked.setdefault(name, []).append(doc)
            last = (name, doc)
        rows, chars = rows + 1, chars + size
    entries.close()
    for name, docs in picked.items():
        _drain_index(conn, name, docs)
    _recount(conn, pending)
    return more and pending.rows > 0


def _drain_index(conn: sqlite3.Connection, name: str, docs: list[int]) -> None:
    idx = _load_index(conn, name)
    if idx is None:  # entries of a dropped index are just discarded
        conn.execute(f"DELETE FROM {QUEUE} WHERE idx = ?", (name,))  # noqa: S608
        return
    table, col = qtable(idx.table), qcol(idx.column)
    if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None:  # noqa: S608
        # Truncated (deleteMany with an empty filter): empty the index instead of un-indexing row by row.
        conn.execute(f"DELETE FROM {postings(idx)}")  # noqa: S608
        conn.execute(f"DELETE FROM {lengths(idx)}")  # noqa: S608
        conn.execute(f"UPDATE {stats(idx)} SET n = 0, total = 0")  # noqa: S608
        conn.execute(f"DELETE FROM {QUEUE} WHERE idx = ?", (name,))  # noqa: S608
        return
    for i in range(0, len(docs), 500):
        chunk = docs[i : i + 500]
        marks = ",".join("?" * len(chunk))
        before: dict[int, str | None] = {}
        sql = f"SELECT doc, old FROM {QUEUE} WHERE idx = ? AND doc IN ({marks}) ORDER BY seq"  # noqa: S608
        for doc, old in conn.execute(sql, (name, *chunk)):
            before.setdefault(doc, old)  # the first change of a row tells what the index holds for it
        sql = f"SELECT rowid, {col} FROM {table} WHERE rowid IN ({marks})"  # noqa: S608
        current = dict(conn.execute(sql, chunk).fetchall())
        _apply(conn, idx, [(doc, before[doc], current.get(doc)) for doc in chunk])
        conn.execute(f"DELETE FROM {QUEUE} WHERE idx = ? AND doc IN ({marks})", (name, *chunk))  # noqa: S608


def catch_up(store: KeyspaceStore) -> None:
    """Index every queued row before a lexical read, so it sees all acknowledged writes."""
    pending = store.caches.get(_PENDING, _UNKNOWN)
    if isinstance(pending, _Pending) and pending.rows == 0:
        return  # exact: every write since the last count added its own entries
    if pending is _UNKNOWN:
        with store.reader() as conn:
            if not _queue_exists(conn):
                return
            if conn.execute(f"SELECT 1 FROM {QUEUE} LIMIT 1").fetchone() is None:  # noqa: S608
                return
    elif pending is None:
        return
    with store.writer() as conn:
        drain(conn, store)


class Indexer:
    """A keyspace's background indexer: drains the queue in batches once writes have paused.

    Writes then return without indexing, and a lexical read rarely finds rows to catch up on. It
    holds the write lock for one batch at a time (`Tuning.batch_chars`, a tenth of a second), so a
    write or a lexical read that arrives meanwhile waits for that batch only. The thread starts
    with the first write that queues a row."""

    def __init__(self, store: KeyspaceStore) -> None:
        self._store = store
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._last_write = 0.0

    def notify(self) -> None:
        """A write committed rows to the queue."""
        self._last_write = time.monotonic()
        if self._store.tuning.idle_seconds is None:
            return
        if self._thread is None:
            with self._start_lock:
                if self._thread is None and not self._stopped:
                    name = f"lexical-indexer-{self._store.name}"
                    self._thread = threading.Thread(target=self._run, name=name, daemon=True)
                    self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while not self._stopped:
                tuning = self._store.tuning
                idle = tuning.idle_seconds
                if idle is None:
                    break
                wait = self._last_write + idle - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                    continue
                try:
                    with self._store.writer() as conn:
                        more = drain(conn, self._store, tuning.batch_chars, tuning.batch_rows)
                except ApiError:  # the keyspace was closed or dropped
                    return
                except Exception:
                    log.exception("background indexing of keyspace %s failed", self._store.name)
                    break  # the rows stay queued; the next write, or a lexical read, tries again
                if not more:
                    break
            if self._stopped:
                return

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def join(self, timeout: float) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


def text_index(schema: TableSchema, column: str) -> IndexDef | None:
    for idx in schema.indexes.values():
        if idx.kind == "text" and idx.column == column:
            return idx
    return None


def text_indexed_columns(schema: TableSchema) -> list[str]:
    return sorted({i.column for i in schema.indexes.values() if i.kind == "text"})


def query_terms(idx: IndexDef, query: str) -> list[str]:
    """The analysed query terms, each once (a repeated term does not count twice)."""
    return list(dict.fromkeys(analyzer_for(idx).terms(query)))


# ---------------------------------------------------------------- $match


def match_sql(schema: TableSchema, column: str, value: Any, params: list[Any]) -> str:
    """SQL for `{column: {"$match": value}}`: rows whose analysed text contains every query term."""
    if not isinstance(value, str):
        kind = "Array" if isinstance(value, list) else "Object" if isinstance(value, dict) else type(value).__name__
        raise ApiError(
            "FILTER",
            "FILTER_INVALID_EXPRESSION",
            f"Unsupported filter clause: '$match' operator must have `String` value, was `{kind}`.\n\n"
            "Resend the command using only supported filter expressions and paths.",
        )
    idx = text_index(schema, column)
    if idx is None:
        raise ApiError(
            "FILTER",
            "CANNOT_LEXICAL_FILTER_NON_INDEXED_COLUMNS",
            "The command attempted to lexical filter on column that is not text-indexed.\n\n"
            "Lexical filtering is only supported on columns that have been text-indexed.\n\n"
            f"The table {{ks}}.{schema.name} has text indexes on columns: "
            f"{fmt_names(text_indexed_columns(schema))}.\n"
            f"The command attempted to filter column(s): {column}.\n\n"
            "Resend the command using indexed column(s).",
        )
    terms = query_terms(idx, value)
    if not terms:
        return "0"  # nothing left after analysis (e.g. only stop words) matches no row
    params.extend(terms)
    docs = " INTERSECT ".join([f"SELECT doc FROM {postings(idx)} WHERE term = ?"] * len(terms))  # noqa: S608
    return f"{qtable(schema.name)}.rowid IN ({docs})"


# ---------------------------------------------------------------- createTextIndex validation


def check_text_column(keyspace: str, schema: TableSchema, column: str) -> None:
    if schema.columns[column].kind not in TEXT_COLUMN_KINDS:
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_TEXT_INDEX_FOR_DATA_TYPES",
            "The command attempted to create a text index on a column that is not a `text` or `ascii` type.\n\n"
            "Text indexes can only be created on columns of type `text` or `ascii`.\n\n"
            f"The table {keyspace}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The command attempted to text index the unsupported columns: {column}.\n\n"
            "Resend the command using columns of `text` type.",
        )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int | float):
        return "Number"
    return "Array" if isinstance(value, list) else "Null" if value is None else type(value).__name__


def check_analyzer(
    keyspace: str, schema: TableSchema, name: str, column: str, options: dict[str, Any]
) -> dict[str, Any]:
    """The stored index options: the analyzer as given (default "standard"), validated."""
    analyzer = options.get("analyzer", DEFAULT_ANALYZER)
    if analyzer is None:
        analyzer = DEFAULT_ANALYZER
    if not isinstance(analyzer, str | dict):
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_JSON_TYPE_FOR_TEXT_INDEX",
            "The command attempted to create a text index using an unsupported JSON value type.\n\n"
            "The supported JSON value types are: String, Object.\n"
            f"The command used the unsupported JSON value type: {_json_type(analyzer)}.\n\n"
            "Resend the command using a supported JSON value type.",
        )
    try:
        analyzers.build(analyzer)
    except analyzers.AnalyzerError as exc:
        option = analyzer if isinstance(analyzer, str) else json.dumps(analyzer)
        cql = (
            f'CREATE CUSTOM INDEX "{name}" ON "{keyspace}"."{schema.name}" ("{column}") '
            f"USING 'StorageAttachedIndex' WITH OPTIONS = {{'index_analyzer': {_sql_literal(option)}}}"
        )
        raise DatabaseError(keyspace, schema.name, cql, str(exc)) from exc
    return {"analyzer": analyzer}


class DatabaseError(ApiError):
    """What Astra returns when the database itself rejects the generated CQL (SERVER family)."""

    def __init__(self, keyspace: str, table: str, cql: str, reason: str) -> None:
        super().__init__(
            "DATABASE",
            "INVALID_DATABASE_QUERY",
            "The Data API command generated a database query that while syntactically correct, was rejected as "
            "invalid by the database.  \n\n"
            "The Data API should have generated a valid query, or returned an error before sending the query to "
            "the database. \n\n"
            f"The command used the keyspace and table or collection: {keyspace}.{table}.\n"
            f"The command generated the CQL query: {cql}.\n"
            "The command generated the CQL values: [].\n"
            f"The database error: {reason}.\n\n"
            "Retrying the command will likely result in the same error.",
        )

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["family"] = "SERVER"
        out["title"] = "Invalid database query"
        return out
