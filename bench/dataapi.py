"""Benchmark the local Data API server through astrapy over loopback.

Starts its own server on an ephemeral port in a temporary directory and prints figures.
Run: python bench/dataapi.py
"""

from __future__ import annotations

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

from astrapy import DataAPIClient
from astrapy.authentication import UsernamePasswordTokenProvider
from astrapy.data_types import DataAPIVector
from astrapy.table import Table

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
        finally:
            server.stop()


if __name__ == "__main__":
    main()
