"""Exact vector search with numpy over a per-table cache of the stored float32 vectors."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from localdataapi.schema import TableSchema, qcol, qtable
from localdataapi.storage import KeyspaceStore

_build_lock = threading.Lock()


@dataclass
class VectorMatrix:
    version: int
    rowids: np.ndarray  # sorted int64
    matrix: np.ndarray  # (n, d) float32
    sq_norms: np.ndarray  # (n,) float32


def _load(store: KeyspaceStore, schema: TableSchema, column: str, version: int) -> VectorMatrix:
    dim = schema.columns[column].dimension or 0
    sql = f"SELECT rowid, {qcol(column)} FROM {qtable(schema.name)} WHERE {qcol(column)} IS NOT NULL ORDER BY rowid"  # noqa: S608
    with store.reader() as conn:
        rows = conn.execute(sql).fetchall()
    rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), dim)
    return VectorMatrix(version, rowids, matrix, np.einsum("ij,ij->i", matrix, matrix))


def get_matrix(store: KeyspaceStore, schema: TableSchema, column: str) -> VectorMatrix:
    """Cached matrix for the column; rebuilt after any write to the table."""
    key = (schema.name, "vec:" + column)
    version = store.version(schema.name)  # read before loading, so a racing write forces a rebuild
    cached = store.caches.get(key)
    if isinstance(cached, VectorMatrix) and cached.version == version:
        return cached
    with _build_lock:
        cached = store.caches.get(key)
        if isinstance(cached, VectorMatrix) and cached.version == version:
            return cached
        built = _load(store, schema, column, version)
        store.caches[key] = built
        return built


def similarities(vm: VectorMatrix, rows: np.ndarray | None, query: np.ndarray, metric: str) -> np.ndarray:
    """Astra's similarity scale: cosine/dot -> (1 + x) / 2, euclidean -> 1 / (1 + d^2).

    `rows=None` means every stored vector (avoids copying the whole matrix by fancy indexing).
    """
    mat = vm.matrix if rows is None else vm.matrix[rows]
    sq_norms = vm.sq_norms if rows is None else vm.sq_norms[rows]
    q = query.astype(np.float32)
    dots = mat @ q
    if metric == "dot_product":
        return (1.0 + dots) / 2.0
    q_sq = float(q @ q)
    if metric == "euclidean":
        d2 = np.maximum(sq_norms + q_sq - 2.0 * dots, 0.0)
        return 1.0 / (1.0 + d2)
    denom = np.sqrt(sq_norms * q_sq)
    cos = np.divide(dots, denom, out=np.zeros_like(dots), where=denom > 0)
    return (1.0 + cos) / 2.0


def top_k(
    vm: VectorMatrix, query: np.ndarray, metric: str, k: int, candidates: list[int] | None
) -> list[tuple[int, float]]:
    """(rowid, similarity) of the k best rows, best first; `candidates` restricts by rowid."""
    rows = None if candidates is None else np.flatnonzero(np.isin(vm.rowids, np.asarray(candidates, dtype=np.int64)))
    count = len(vm.rowids) if rows is None else rows.size
    if k <= 0 or count == 0:
        return []
    sims = similarities(vm, rows, query, metric)
    part = np.argpartition(-sims, k - 1)[:k] if sims.size > k else np.arange(sims.size)
    ids = vm.rowids[part] if rows is None else vm.rowids[rows[part]]
    order = np.lexsort((ids, -sims[part]))
    return [(int(ids[i]), float(sims[part][i])) for i in order]
