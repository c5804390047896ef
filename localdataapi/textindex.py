"""Text indexes: inverted-index tables in SQLite, maintained in the writing transaction, and `$match`.

Each text index `<i>` owns three tables next to its base table:

- `lx_<i>_p (term, doc, tf)` — the postings, clustered by term (WITHOUT ROWID), so a term's rows
  are one B-tree range;
- `lx_<i>_d (doc, dl)` — each indexed row's length in analysed terms (BM25's document length);
- `lx_<i>_s (n, total)` — the row count and total length (BM25's N and average length).

`doc` is the base table's rowid. AFTER INSERT / UPDATE OF / DELETE triggers on the base table
queue the touched rowid (with the previous text) in `_lx_queue`, in the writing transaction, so
the queue is exactly as durable as the rows. `flush` analyses queued rows in Python and updates the
index tables in bulk: inside a write transaction once enough is queued, and before any
lexical read (`catch_up`), so every query sees every acknowledged write — after a kill -9 too,
since the queue survives it. Every write path (upserts, updates, deletes, truncation) is covered.
"""

from __future__ import annotations

import json
import sqlite3
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from localdataapi import analyzers
from localdataapi.errors import ApiError, fmt_names
from localdataapi.schema import IndexDef, TableSchema, qcol, qtable

if TYPE_CHECKING:
    from localdataapi.storage import KeyspaceStore

TEXT_COLUMN_KINDS = ("text", "ascii")
DEFAULT_ANALYZER = "standard"
QUEUE = "_lx_queue"
_QUEUE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {QUEUE} "
    "(seq INTEGER PRIMARY KEY, idx TEXT NOT NULL, doc INTEGER NOT NULL, old TEXT, size INTEGER NOT NULL)"
)
# A write transaction indexes the queue once it holds this many rows or characters of text: large
# batches are cheaper per row, but the write that runs one (or the first lexical read) waits for it.
FLUSH_AT = 2000
FLUSH_AT_CHARS = 16_000_000
_HAS_QUEUE = ("", "lexical-queue")  # KeyspaceStore.caches key (the cache is cleared by every DDL)


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


def drop_index_objects(conn: sqlite3.Connection, idx: IndexDef) -> None:
    for suffix in ("ai", "ad", "au"):
        conn.execute(f'DROP TRIGGER IF EXISTS "lx_{idx.name}_{suffix}"')
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (QUEUE,)).fetchone():
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


def _flush_index(conn: sqlite3.Connection, idx: IndexDef, queued: list[tuple[int, str | None]]) -> None:
    table, col = qtable(idx.table), qcol(idx.column)
    if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None:  # noqa: S608
        # Truncated (deleteMany with an empty filter): empty the index instead of un-indexing row by row.
        conn.execute(f"DELETE FROM {postings(idx)}")  # noqa: S608
        conn.execute(f"DELETE FROM {lengths(idx)}")  # noqa: S608
        conn.execute(f"UPDATE {stats(idx)} SET n = 0, total = 0")  # noqa: S608
        return
    before: dict[int, str | None] = {}
    for doc, old in queued:
        before.setdefault(doc, old)  # the first change of a row tells what the index holds for it
    docs = list(before)
    for i in range(0, len(docs), 500):
        chunk = docs[i : i + 500]
        sql = f"SELECT rowid, {col} FROM {table} WHERE rowid IN ({','.join('?' * len(chunk))})"  # noqa: S608
        current = dict(conn.execute(sql, chunk).fetchall())
        _apply(conn, idx, [(doc, before[doc], current.get(doc)) for doc in chunk])


def _queue_exists(conn: sqlite3.Connection, store: KeyspaceStore) -> bool:
    has_queue = store.caches.get(_HAS_QUEUE)
    if has_queue is None:
        has_queue = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (QUEUE,)).fetchone() is not None
        store.caches[_HAS_QUEUE] = has_queue
    return bool(has_queue)


def flush(conn: sqlite3.Connection, store: KeyspaceStore, force: bool = False) -> None:
    """Bring the text indexes up to date with the queued rows (inside the caller's write transaction).

    The store calls this before every COMMIT; unless forced it waits for FLUSH_AT queued rows (or
    FLUSH_AT_CHARS of text), so a burst of small writes is indexed in a few large batches (each commit
    rewrites the postings pages it touches, and small batches touch nearly as many pages as large ones).
    """
    if not _queue_exists(conn, store):
        return
    if not force:
        count, chars = conn.execute(f"SELECT count(*), coalesce(sum(size), 0) FROM {QUEUE}").fetchone()  # noqa: S608
        if count < FLUSH_AT and chars < FLUSH_AT_CHARS:
            return
    rows = conn.execute(f"SELECT idx, doc, old FROM {QUEUE} ORDER BY seq").fetchall()  # noqa: S608
    if not rows:
        return
    by_index: dict[str, list[tuple[int, str | None]]] = {}
    for name, doc, old in rows:
        by_index.setdefault(name, []).append((doc, old))
    for name, queued in by_index.items():
        idx = _load_index(conn, name)
        if idx is not None:  # entries of a dropped index are just discarded
            _flush_index(conn, idx, queued)
    conn.execute(f"DELETE FROM {QUEUE}")  # noqa: S608


def catch_up(store: KeyspaceStore) -> None:
    """Index every queued row before a lexical read, so it sees all acknowledged writes."""
    with store.reader() as conn:
        if not _queue_exists(conn, store) or conn.execute(f"SELECT 1 FROM {QUEUE} LIMIT 1").fetchone() is None:  # noqa: S608
            return
    with store.writer() as conn:
        flush(conn, store, force=True)


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
