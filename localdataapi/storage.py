"""SQLite storage: one database file per keyspace, a catalog of tables/indexes, pooled connections."""

from __future__ import annotations

import fcntl
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from localdataapi import textindex, udt
from localdataapi.coltypes import analyse_text
from localdataapi.errors import ApiError
from localdataapi.schema import NAME_RE, IndexDef, TableSchema, qcol, qtable

log = logging.getLogger(__name__)

_CATALOG_DDL = (
    "CREATE TABLE IF NOT EXISTS _tables (name TEXT PRIMARY KEY, definition TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS _indexes (name TEXT PRIMARY KEY, definition TEXT NOT NULL)",
)
_SUFFIX = ".sqlite3"


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE) so every command is atomic.
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, cached_statements=512)
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.create_function("kv_analyse", 2, analyse_text, deterministic=True)
    return conn


class KeyspaceStore:
    """A keyspace: its SQLite file, a connection pool, a write lock and the cached catalog."""

    def __init__(self, name: str, path: Path, tuning: textindex.Tuning) -> None:
        self.name = name
        self.path = path
        self.tuning = tuning
        self.write_lock = threading.RLock()
        self._pool_lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        self._tables: dict[str, TableSchema] | None = None
        # Bumped on every write to a table; used to invalidate per-table caches (vectors).
        self.versions: dict[str, int] = {}
        self.caches: dict[tuple[str, str], Any] = {}
        self.indexer = textindex.Indexer(self)

    # ------------------------------------------------------------ connections

    def _acquire(self) -> sqlite3.Connection:
        with self._pool_lock:
            if self._closed:
                raise ApiError(
                    "SCHEMA",
                    "UNKNOWN_KEYSPACE",
                    "The command tried to use a Keyspace that does not exist in the Database.\n\n"
                    f"The keyspace used by the command: {self.name}.",
                )
            if self._idle:
                return self._idle.pop()
        return _connect(self.path)

    def _release(self, conn: sqlite3.Connection) -> None:
        with self._pool_lock:
            if not self._closed:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        conn = self._acquire()
        try:
            yield conn
        finally:
            self._release(conn)

    @contextmanager
    def writer(self) -> Iterator[sqlite3.Connection]:
        """One atomic transaction; the in-process lock avoids SQLITE_BUSY churn between threads."""
        with self.write_lock, self.reader() as conn:
            conn.execute("BEGIN IMMEDIATE")
            counting = False
            try:
                yield conn
                counting = True
                queued = textindex.before_commit(conn, self)  # counts the rows queued for text indexes
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if counting:  # the queue's size in memory counted what was just rolled back
                    textindex.forget(self)
                raise
        if queued:
            self.indexer.notify()

    def close(self) -> None:
        self.indexer.stop()  # not joined: it may be waiting for the write lock its closer holds
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # ------------------------------------------------------------ catalog

    def initialise(self) -> None:
        conn = _connect(self.path)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            for ddl in _CATALOG_DDL:
                conn.execute(ddl)
        finally:
            conn.close()

    def tables(self) -> dict[str, TableSchema]:
        cached = self._tables
        if cached is not None:
            return cached
        with self.write_lock, self.reader() as conn:
            loaded = _load_catalog(conn, self.name)
            self._tables = loaded
            return loaded

    def invalidate(self) -> None:
        self._tables = None
        self.caches.clear()

    def table(self, name: str) -> TableSchema:
        schema = self.tables().get(name)
        if schema is None:
            raise ApiError("SCHEMA", "COLLECTION_NOT_EXIST", f"No collection or table with name '{name}' exists.")
        return schema

    def bump(self, table: str) -> None:
        # Called after commit: a cache built from a version read earlier is then never reused.
        with self.write_lock:
            self.versions[table] = self.versions.get(table, 0) + 1

    def version(self, table: str) -> int:
        return self.versions.get(table, 0)


def _load_catalog(conn: sqlite3.Connection, keyspace: str) -> dict[str, TableSchema]:
    tables = {
        name: TableSchema.from_json(name, json.loads(d))
        for name, d in conn.execute("SELECT name, definition FROM _tables")
    }
    types = udt.load_types(conn)
    for schema in tables.values():
        udt.resolve_schema(keyspace, schema, types)
    for (raw,) in conn.execute("SELECT definition FROM _indexes"):
        idx = IndexDef.from_json(json.loads(raw))
        if idx.table in tables:
            tables[idx.table].indexes[idx.name] = idx
    return tables


# ---------------------------------------------------------------- DDL helpers (run inside a writer txn)


def create_table_sql(conn: sqlite3.Connection, schema: TableSchema) -> None:
    cols = ", ".join(qcol(c) for c in schema.columns)
    conn.execute(f"CREATE TABLE {qtable(schema.name)} ({cols}, _marker INTEGER NOT NULL DEFAULT 1)")
    key = ", ".join(f"{qcol(c)}{' DESC' if desc else ''}" for c, desc in schema.natural_order())
    conn.execute(f'CREATE UNIQUE INDEX "pk_{schema.name}" ON {qtable(schema.name)} ({key})')
    conn.execute("INSERT INTO _tables (name, definition) VALUES (?, ?)", (schema.name, json.dumps(schema.as_json())))


def save_table_definition(conn: sqlite3.Connection, schema: TableSchema) -> None:
    conn.execute("UPDATE _tables SET definition = ? WHERE name = ?", (json.dumps(schema.as_json()), schema.name))


def drop_table_sql(conn: sqlite3.Connection, schema: TableSchema) -> None:
    for idx in schema.indexes.values():
        if idx.kind == "text":  # its triggers go with the table, its postings tables do not
            textindex.drop_index_objects(conn, idx)
    conn.execute(f"DROP TABLE IF EXISTS {qtable(schema.name)}")
    conn.execute("DELETE FROM _tables WHERE name = ?", (schema.name,))
    conn.execute("DELETE FROM _indexes WHERE json_extract(definition, '$.table') = ?", (schema.name,))


def create_index_sql(conn: sqlite3.Connection, schema: TableSchema, idx: IndexDef) -> None:
    # Collection and vector columns get no B-tree (filters on them scan; vectors are searched in numpy).
    if idx.kind == "text":
        textindex.create_index_objects(conn, schema, idx)
    elif idx.kind == "regular" and not schema.columns[idx.column].is_collection:
        conn.execute(f'CREATE INDEX "ix_{idx.name}" ON {qtable(schema.name)} ({qcol(idx.column)})')
    conn.execute("INSERT INTO _indexes (name, definition) VALUES (?, ?)", (idx.name, json.dumps(idx.as_json())))


def drop_index_sql(conn: sqlite3.Connection, idx: IndexDef) -> None:
    if idx.kind == "text":
        textindex.drop_index_objects(conn, idx)
    conn.execute(f'DROP INDEX IF EXISTS "ix_{idx.name}"')
    conn.execute("DELETE FROM _indexes WHERE name = ?", (idx.name,))


class Storage:
    """All keyspaces under one data directory."""

    def __init__(self, data_dir: Path, index_tuning: textindex.Tuning | None = None) -> None:
        self.data_dir = data_dir
        self.index_tuning = index_tuning or textindex.Tuning()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._open: dict[str, KeyspaceStore] = {}
        self._lock_file = self._claim_directory()

    def _claim_directory(self) -> IO[bytes]:
        """One server per data dir: schema and vector caches are per process and would go stale."""
        handle = (self.data_dir / ".server.lock").open("wb")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise RuntimeError(f"data directory {self.data_dir} is in use by another Data API server") from exc
        return handle

    def _path(self, name: str) -> Path:
        return self.data_dir / f"{name}{_SUFFIX}"

    def keyspace_names(self) -> list[str]:
        return sorted(p.name[: -len(_SUFFIX)] for p in self.data_dir.glob(f"*{_SUFFIX}"))

    def get(self, name: str) -> KeyspaceStore:
        store = self._open.get(name)
        if store is not None:
            return store
        with self._lock:
            if name not in self._open:
                if not NAME_RE.match(name) or not self._path(name).exists():
                    raise ApiError(
                        "SCHEMA",
                        "UNKNOWN_KEYSPACE",
                        "The command tried to use a Keyspace that does not exist in the Database.\n\n"
                        f"The keyspace used by the command: {name}.\n\n"
                        "Resend the command using a Keyspace that exists.",
                    )
                self._open[name] = KeyspaceStore(name, self._path(name), self.index_tuning)
            return self._open[name]

    def create(self, name: str) -> None:
        with self._lock:
            if name in self._open or self._path(name).exists():
                return
            store = KeyspaceStore(name, self._path(name), self.index_tuning)
            store.initialise()
            self._open[name] = store
            log.info("created keyspace %s", name)

    def drop(self, name: str) -> None:
        with self._lock:
            store = self._open.pop(name, None)
            if store is not None:
                with store.write_lock:
                    store.close()
            for suffix in (_SUFFIX, f"{_SUFFIX}-wal", f"{_SUFFIX}-shm"):
                (self.data_dir / f"{name}{suffix}").unlink(missing_ok=True)
            log.info("dropped keyspace %s", name)

    def close(self) -> None:
        with self._lock:
            stores, self._open = list(self._open.values()), {}
        for store in stores:
            store.close()
        for store in stores:
            store.indexer.join(timeout=10)  # a batch in progress commits first
        self._lock_file.close()  # releases the directory lock
