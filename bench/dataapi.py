"""Benchmark the local Data API server through astrapy over loopback.

Starts its own server on an ephemeral port in a temporary directory and prints figures. The lexical
figures read the KillrVideo transcripts from ../shared/killrvideo-data/videos (by path, not copied).
Run: python bench/dataapi.py
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from astrapy import DataAPIClient, Database
from astrapy.authentication import UsernamePasswordTokenProvider
from astrapy.data_types import DataAPIVector
from astrapy.table import Table

from localdataapi import textindex
from localdataapi.commands import execute
from localdataapi.server import DataAPIServer

log = logging.getLogger("bench")
DIM = 384
VECTOR_ROWS = 10_000


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


def _timed(fn: Callable[[], Any], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _setup(url: str) -> tuple[Table[Any], Table[Any]]:
    db = DataAPIClient(environment="hcd").get_database(
        url, token=UsernamePasswordTokenProvider("cassandra", "cassandra"), keyspace="bench"
    )
    db.get_database_admin().create_keyspace("bench")
    kv = db.create_table(
        "kv",
        definition={
            "columns": {"pk": "text", "ck": "int", "body": "text", "n": "int"},
            "primaryKey": {"partitionBy": ["pk"], "partitionSort": {"ck": -1}},
        },
    )
    vec = db.create_table(
        "vec",
        definition={
            "columns": {"id": "int", "title": "text", "emb": {"type": "vector", "dimension": DIM}},
            "primaryKey": "id",
        },
    )
    vec.create_vector_index("vec_emb", column="emb", options={"metric": "cosine"})
    return kv, vec


def bench_writes(kv: Table[Any]) -> None:
    n = 500
    t0 = time.perf_counter()
    for i in range(n):
        kv.insert_one({"pk": f"p{i % 10}", "ck": i, "body": "x" * 200, "n": i})
    _out(f"insert_one:                {n / (time.perf_counter() - t0):8.0f} ops/s")
    rows = [{"pk": "big", "ck": i, "body": "y" * 200, "n": i} for i in range(1000)]
    t0 = time.perf_counter()
    kv.insert_many(rows)
    _out(f"insert_many 1,000 rows:    {(time.perf_counter() - t0) * 1000:8.1f} ms")


def bench_reads(kv: Table[Any]) -> None:
    keys = [(f"p{i % 10}", i) for i in range(500)]
    it = iter(keys * 4)
    p50, p99 = _percentiles(_timed(lambda: kv.find_one({"pk": (k := next(it))[0], "ck": k[1]}), 1000))
    _out(f"find_one by PK:            p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    p50, p99 = _percentiles(_timed(lambda: kv.find({"pk": "big"}, limit=50).to_list(), 300))
    _out(f"partition page (50 rows):  p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")


def bench_vectors(vec: Table[Any]) -> None:
    rng = np.random.default_rng(7)
    data = rng.standard_normal((VECTOR_ROWS, DIM)).astype(np.float32)
    t0 = time.perf_counter()
    vec.insert_many([{"id": i, "title": f"v{i}", "emb": DataAPIVector(data[i].tolist())} for i in range(VECTOR_ROWS)])
    _out(f"insert_many 10,000 x {DIM}d: {(time.perf_counter() - t0):8.2f} s")
    queries = iter(rng.standard_normal((300, DIM)).astype(np.float32))
    vec.find({}, sort={"emb": DataAPIVector(data[0].tolist())}, limit=10).to_list()  # warm the cache

    def fn() -> None:
        vec.find({}, sort={"emb": DataAPIVector(next(queries).tolist())}, limit=10, projection={"id": True}).to_list()

    p50, p99 = _percentiles(_timed(fn, 200))
    _out(f"vector top-10 / 10k rows:  p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")


# ---------------------------------------------------------------- lexical search

TRANSCRIPTS = Path(__file__).resolve().parent.parent.parent / "shared" / "killrvideo-data" / "videos"
SHORT_ROWS = 20_000
SLOW_MS = 300_000  # indexing 20 MB of text takes seconds; astrapy's default request timeout is 10 s


def _load_transcripts() -> tuple[list[str], list[str]]:
    """(700 full transcripts of ~30 kB, 20,000 short rows: consecutive transcript segments)."""
    long_rows, short_rows = [], []
    for path in sorted(TRANSCRIPTS.glob("*.json")):
        transcript = json.loads(path.read_text()).get("transcript") or {}
        if transcript.get("available") and transcript.get("text"):
            long_rows.append(transcript["text"])
            segments = [s["text"] for s in transcript.get("segments") or [] if s.get("text")]
            short_rows.extend(" ".join(segments[i : i + 2]) for i in range(0, len(segments) - 1, 2))
    return long_rows, short_rows[:SHORT_ROWS]


def _queries(rows: list[str], n: int) -> list[str]:
    """One- or two-word queries (fixed seed), the words taken from one row so every query has hits."""
    rng = np.random.default_rng(11)
    out: list[str] = []
    while len(out) < n:
        words = [w for w in rows[int(rng.integers(len(rows)))].split() if len(w) >= 4 and w.isalpha()]
        if len(words) >= 2:
            picked = rng.choice(len(words), size=1 + len(out) % 2, replace=False)
            out.append(" ".join(words[i] for i in picked))
    return out


def _lexical_table(db: Database, name: str, index: bool) -> Table[Any]:
    table = db.create_table(name, definition={"columns": {"id": "int", "body": "text"}, "primaryKey": "id"})
    if index:
        table.create_text_index(f"{name}_body", column="body", options={"analyzer": "english"})
    return table


def _timed_insert(table: Table[Any], rows: list[str]) -> float:
    t0 = time.perf_counter()
    table.insert_many([{"id": i, "body": r} for i, r in enumerate(rows)], chunk_size=50, concurrency=4)
    return time.perf_counter() - t0


def _until_indexed(server: DataAPIServer) -> float:
    """Seconds until the keyspace's text index queue is empty (the background indexer has drained it)."""
    assert server.storage is not None
    store = server.storage.get("bench")
    t0 = time.perf_counter()
    while True:
        with store.reader() as conn:
            if conn.execute(f"SELECT 1 FROM {textindex.QUEUE} LIMIT 1").fetchone() is None:
                return time.perf_counter() - t0
        time.sleep(0.01)


def _p50_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def _query_bodies(queries: list[str]) -> dict[str, list[dict[str, Any]]]:
    base = {"options": {"limit": 10}, "projection": {"id": 1}}
    return {
        "$match": [{"find": {"filter": {"body": {"$match": q}}, **base}} for q in queries],
        "BM25  ": [{"find": {"sort": {"body": q}, **base}} for q in queries],
    }


def _bench_queries(server: DataAPIServer, table: Table[Any], label: str, queries: list[str]) -> None:
    """Each query shape through astrapy (client side, over HTTP) and in-process (server side)."""
    assert server.storage is not None
    storage = server.storage
    for kind, bodies in _query_bodies(queries).items():
        client_it, server_it = iter(bodies), iter(bodies)
        c50, c95 = _p50_p95(_timed(lambda it=client_it: table.command(next(it)), len(bodies)))
        s50, s95 = _p50_p95(_timed(lambda it=server_it: execute(storage, "bench", table.name, next(it)), len(bodies)))
        hits = sum(len(execute(storage, "bench", table.name, b)["data"]["documents"]) for b in bodies) / len(bodies)
        _out(
            f"{kind} top-10 / {label}: astrapy p50 {c50:6.2f} ms p95 {c95:6.2f} ms | "
            f"server p50 {s50:6.2f} ms p95 {s95:6.2f} ms ({hits:.1f} rows)"
        )


def bench_lexical(db: Database, server: DataAPIServer) -> None:
    if not TRANSCRIPTS.is_dir():
        _out(f"lexical: skipped ({TRANSCRIPTS} not found)")
        return
    long_rows, short_rows = _load_transcripts()
    for tag, rows in (("long", long_rows), ("short", short_rows)):
        label = f"{len(rows):,} x 30 kB" if tag == "long" else f"{len(rows):,} short rows"
        plain = _timed_insert(_lexical_table(db, f"lx_plain_{tag}", index=False), rows)
        indexed_table = _lexical_table(db, f"lx_idx_{tag}", index=True)
        indexed = _timed_insert(indexed_table, rows)
        # The rows are searchable once indexed: by the first lexical read if it comes at once...
        t0 = time.perf_counter()
        indexed_table.find({"body": {"$match": "zzzz"}}, timeout_ms=SLOW_MS).to_list()
        catch_up = time.perf_counter() - t0
        # ... or by the background indexer, which starts once writes pause.
        _timed_insert(_lexical_table(db, f"lx_bg_{tag}", index=True), rows)
        background = _until_indexed(server)
        _out(
            f"insert_many {label}: no index {plain:6.2f} s, text index {indexed:6.2f} s = {indexed / plain:4.2f}x; "
            f"searchable {catch_up:5.2f} s later at an immediate query "
            f"(= {(indexed + catch_up) / plain:4.2f}x in all), {background:5.2f} s later by the background indexer"
        )
        late = _lexical_table(db, f"lx_late_{tag}", index=False)
        _timed_insert(late, rows)
        t0 = time.perf_counter()
        late.create_text_index(
            f"lx_late_{tag}_body", column="body", options={"analyzer": "english"}, table_admin_timeout_ms=SLOW_MS
        )
        build = time.perf_counter() - t0
        _out(f"text index build {label}: {build:6.2f} s = {len(rows) / build:8.0f} rows/s")
        _bench_queries(server, indexed_table, label, _queries(rows, 200))


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        server = DataAPIServer(data_dir=tmp, port=0)
        server.start()
        try:
            kv, vec = _setup(server.url)
            bench_writes(kv)
            bench_reads(kv)
            bench_vectors(vec)
            bench_lexical(kv.database, server)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
