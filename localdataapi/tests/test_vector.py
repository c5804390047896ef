"""Vector search: order, similarity values per metric, sort vector, limits and errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from astrapy import Database
from astrapy.data_types import DataAPIVector
from astrapy.exceptions import DataAPIResponseException
from astrapy.table import Table

from localdataapi.tests.conftest import error_code

RNG = np.random.default_rng(42)
DATA = RNG.standard_normal((200, 8)).astype(np.float32)
QUERY = RNG.standard_normal(8).astype(np.float32)


def _vectors(db: Database, name: str, metric: str | None) -> Table[Any]:
    table = db.create_table(
        name,
        definition={
            "columns": {"id": "int", "grp": "text", "emb": {"type": "vector", "dimension": 8}},
            "primaryKey": "id",
        },
    )
    if metric:
        table.create_vector_index(f"{name}_emb", column="emb", options={"metric": metric})
    table.insert_many(
        [
            {"id": i, "grp": "even" if i % 2 == 0 else "odd", "emb": DataAPIVector(DATA[i].tolist())}
            for i in range(len(DATA))
        ]
    )
    return table


def _expected(metric: str, rows: np.ndarray) -> np.ndarray:
    data = DATA[rows]
    if metric == "cosine":
        cos = data @ QUERY / (np.linalg.norm(data, axis=1) * np.linalg.norm(QUERY))
        return (1 + cos) / 2
    if metric == "dot_product":
        return (1 + data @ QUERY) / 2
    return 1 / (1 + ((data - QUERY) ** 2).sum(axis=1))


@pytest.mark.parametrize("metric", ["cosine", "dot_product", "euclidean"])
def test_vector_order_and_similarity(db: Database, name: str, metric: str) -> None:
    table = _vectors(db, name, metric)
    found = table.find({}, sort={"emb": DataAPIVector(QUERY.tolist())}, limit=10, include_similarity=True).to_list()
    expected = _expected(metric, np.arange(len(DATA)))
    best = np.argsort(-expected)[:10]
    assert [r["id"] for r in found] == best.tolist()
    assert np.allclose([r["$similarity"] for r in found], expected[best], atol=1e-5)


def test_vector_sort_with_filter_list_query_and_sort_vector(db: Database, name: str) -> None:
    table = _vectors(db, name, "cosine")
    cursor = table.find({"grp": "odd"}, sort={"emb": QUERY.tolist()}, limit=5, include_sort_vector=True)
    rows = cursor.to_list()
    assert all(r["id"] % 2 == 1 for r in rows)
    assert len(rows) == 5
    assert np.allclose(list(cursor.get_sort_vector() or []), QUERY, atol=1e-6)
    one = table.find_one({}, sort={"emb": DataAPIVector(DATA[17].tolist())}, include_similarity=True)
    assert one is not None
    assert one["id"] == 17
    assert one["$similarity"] == pytest.approx(1.0, abs=1e-6)


def test_vector_default_limit_is_a_single_page(db: Database, name: str) -> None:
    table = _vectors(db, name, "cosine")
    raw = table.command({"find": {"sort": {"emb": QUERY.tolist()}}})
    assert len(raw["data"]["documents"]) == 200
    assert raw["data"]["nextPageState"] is None


def test_vector_sort_errors(db: Database, name: str) -> None:
    table = _vectors(db, name, None)
    cases = [
        ("CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS", {"emb": QUERY.tolist()}, {}),
        ("CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS", {"grp": [1.0, 2.0]}, {}),
    ]
    for code, sort, options in cases:
        raw = table.command({"find": {"sort": sort, "options": options}}, raise_api_errors=False)
        assert raw["errors"][0]["errorCode"] == code
    table.create_vector_index(f"{name}_emb", column="emb")
    cases = [
        ("CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX", {"emb": QUERY.tolist()}, {"limit": 1001}),
        ("CANNOT_VECTOR_SORT_WITH_SKIP_OPTION", {"emb": QUERY.tolist()}, {"skip": 2}),
        ("CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS", {"emb": [1.0, 2.0]}, {}),
        ("CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS", {"emb": QUERY.tolist(), "id": 1}, {}),
    ]
    for code, sort, options in cases:
        raw = table.command({"find": {"sort": sort, "options": options}}, raise_api_errors=False)
        assert raw["errors"][0]["errorCode"] == code
    with pytest.raises(DataAPIResponseException) as exc:
        table.find({}, sort={"emb": "text to vectorize"}).to_list()
    assert error_code(exc.value) == "CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION"


def test_vector_cache_sees_writes(db: Database, name: str) -> None:
    table = _vectors(db, name, "euclidean")
    target = (QUERY * 1.0).tolist()
    table.insert_one({"id": 999, "grp": "new", "emb": target})
    top = table.find_one({}, sort={"emb": target})
    assert top is not None
    assert top["id"] == 999
    table.delete_one({"id": 999})
    top = table.find_one({}, sort={"emb": target})
    assert top is not None
    assert top["id"] != 999
