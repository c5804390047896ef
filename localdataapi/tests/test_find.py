"""Reads: filters, paging, clustering order, in-memory sorts and the warnings Astra emits."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from astrapy import Database
from astrapy.constants import SortMode
from astrapy.exceptions import DataAPIResponseException
from astrapy.info import TableIndexOptions
from astrapy.table import Table

from localdataapi.server import DataAPIServer
from localdataapi.tests.conftest import error_code, warning_codes
from localdataapi.tests.support import cql_table


def _events(db: Database, name: str, rows: int = 0) -> Table[Any]:
    table = db.create_table(
        name,
        definition={
            "columns": {
                "p": "text",
                "c": "int",
                "title": "text",
                "n": "int",
                "cat": "text",
                "tags": {"type": "set", "valueType": "text"},
                "seq": {"type": "list", "valueType": "int"},
                "attrs": {"type": "map", "keyType": "text", "valueType": "int"},
            },
            "primaryKey": {"partitionBy": ["p"], "partitionSort": {"c": -1}},
        },
    )
    table.create_index(f"{name}_cat", column="cat")
    if rows:
        table.insert_many(
            [
                {
                    "p": "a",
                    "c": i,
                    "title": f"t{i:03d}",
                    "n": i % 10,
                    "cat": "odd" if i % 2 else "even",
                    "tags": {f"g{i % 3}"},
                    "seq": [i, i + 1],
                    "attrs": {f"k{i % 4}": i},
                }
                for i in range(rows)
            ]
        )
    return table


def test_partition_paging_in_clustering_order(db: Database, name: str) -> None:
    table = _events(db, name, rows=120)
    first = table.command({"find": {"filter": {"p": "a"}}})
    assert len(first["data"]["documents"]) == 50
    assert first["data"]["nextPageState"]
    assert "warnings" not in first["status"]
    cs = [r["c"] for r in table.find({"p": "a"})]
    assert cs == list(range(119, -1, -1))
    assert [r["c"] for r in table.find({"p": "a"}, limit=70)] == list(range(119, 49, -1))
    # The exact reverse of the clustering order pages normally, without warnings.
    raw = table.command({"find": {"filter": {"p": "a"}, "sort": {"c": 1}}})
    assert raw["data"]["nextPageState"]
    assert "warnings" not in raw["status"]
    assert [r["c"] for r in table.find({"p": "a"}, sort={"c": SortMode.ASCENDING})] == list(range(120))


def test_clustering_range_filters(db: Database, name: str) -> None:
    table = _events(db, name, rows=30)
    got = [r["c"] for r in table.find({"p": "a", "c": {"$gte": 10, "$lt": 15}})]
    assert got == [14, 13, 12, 11, 10]
    assert [r["c"] for r in table.find({"p": "a", "c": {"$in": [3, 7]}})] == [7, 3]


def test_timeuuid_clusters_by_embedded_time(server: DataAPIServer, db: Database, name: str) -> None:
    # The Data API cannot create timeuuid columns; the table stands for one made with CQL.
    table = cql_table(
        server,
        db,
        name,
        {
            "columns": {"p": "text", "t": "timeuuid", "n": "int"},
            "primaryKey": {"partitionBy": ["p"], "partitionSort": {"t": -1}},
        },
    )
    # Node/clock-seq chosen so that textual order disagrees with time order.
    ids = [uuid.UUID(f"{(5 - i) * 0x1000:08x}-0000-1{i:03x}-8000-000000000000") for i in range(5)]
    assert sorted(ids, key=str) == ids[::-1]
    assert all(u.version == 1 for u in ids)
    table.insert_many([{"p": "x", "t": u, "n": i} for i, u in enumerate(ids)])
    assert [r["n"] for r in table.find({"p": "x"})] == [4, 3, 2, 1, 0]


def test_scalar_filter_operators(db: Database, name: str) -> None:
    table = _events(db, name, rows=40)

    def cs(flt: dict[str, Any]) -> list[int]:
        return sorted(r["c"] for r in table.find(flt))

    assert cs({"p": "a", "cat": "odd", "n": {"$lte": 3}}) == [1, 3, 11, 13, 21, 23, 31, 33]
    assert cs({"p": "a", "n": {"$in": [0]}}) == [0, 10, 20, 30]
    assert cs({"p": "a", "n": {"$nin": list(range(1, 10))}}) == [0, 10, 20, 30]
    assert cs({"p": "a", "n": {"$ne": 0}, "c": {"$lt": 12}}) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 11]
    assert cs({"$or": [{"c": 5}, {"c": 7}], "p": "a"}) == [5, 7]
    assert cs({"$and": [{"p": "a"}, {"n": {"$gt": 8}}]}) == [9, 19, 29, 39]


def test_collection_filters(db: Database, name: str) -> None:
    table = _events(db, name, rows=12)

    def cs(flt: dict[str, Any]) -> list[int]:
        return sorted(r["c"] for r in table.find({"p": "a", **flt}))

    assert cs({"tags": {"$in": ["g0"]}}) == [0, 3, 6, 9]
    assert cs({"tags": {"$nin": ["g0", "g1"]}}) == [2, 5, 8, 11]
    assert cs({"seq": {"$all": [4, 5]}}) == [4]
    assert cs({"attrs": {"$keys": {"$in": ["k1"]}}}) == [1, 5, 9]
    assert cs({"attrs": {"$values": {"$in": [2, 6]}}}) == [2, 6]


def test_filter_warnings(db: Database, name: str) -> None:
    table = _events(db, name, rows=5)
    assert warning_codes(table.command({"find": {"filter": {}}})) == ["ZERO_FILTER_OPERATIONS"]
    assert warning_codes(table.command({"find": {"filter": {"p": "a", "cat": "odd"}}})) == []
    assert warning_codes(table.command({"find": {"filter": {"p": "a", "n": 1}}})) == ["MISSING_INDEX"]
    assert warning_codes(table.command({"find": {"filter": {"c": 1}}})) == ["INCOMPLETE_PRIMARY_KEY_FILTER"]
    assert warning_codes(table.command({"findOne": {"filter": {"p": "a", "c": 1}}})) == []
    warning = table.command({"find": {"filter": {"title": "t001"}}})["status"]["warnings"][0]
    assert set(warning) == {"family", "scope", "errorCode", "title", "message", "id"}
    assert (warning["family"], warning["scope"]) == ("REQUEST", "WARNING")


def test_in_memory_sorts(db: Database, name: str) -> None:
    table = _events(db, name, rows=120)
    raw = table.command({"find": {"filter": {"p": "a"}, "sort": {"title": -1}}})
    assert warning_codes(raw) == ["IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING"]
    assert raw["data"]["nextPageState"] is None
    assert len(raw["data"]["documents"]) == 50
    assert raw["data"]["documents"][0]["title"] == "t119"
    rows = table.find({"p": "a"}, sort={"n": 1, "c": 1}, limit=5).to_list()
    assert [(r["n"], r["c"]) for r in rows] == [(0, 0), (0, 10), (0, 20), (0, 30), (0, 40)]
    assert [r["c"] for r in table.find({"p": "a"}, sort={"c": -1}, skip=3, limit=2)] == [116, 115]
    assert warning_codes(table.command({"find": {"filter": {"cat": "odd"}, "sort": {"c": 1}}})) == [
        "IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED"
    ]


def test_in_memory_sort_refuses_paging(db: Database, name: str) -> None:
    table = _events(db, name, rows=60)
    state = table.command({"find": {"filter": {"p": "a"}}})["data"]["nextPageState"]
    raw = table.command(
        {"find": {"filter": {"p": "a"}, "sort": {"title": 1}, "options": {"pageState": state}}}, raise_api_errors=False
    )
    assert raw["errors"][0]["errorCode"] == "UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING"


def test_sort_over_too_many_rows(db: Database, name: str) -> None:
    table = _events(db, name)
    table.insert_many([{"p": f"p{i % 3}", "c": i, "n": i} for i in range(10_001)], chunk_size=100, concurrency=4)
    with pytest.raises(DataAPIResponseException) as exc:
        table.find({}, sort={"n": 1}).to_list()
    assert error_code(exc.value) == "OVERLOADED_SORT_ROW_LIMIT"
    assert len(table.find({"p": "p0"}, sort={"n": -1}, limit=3).to_list()) == 3


def test_sort_errors(db: Database, name: str) -> None:
    table = _events(db, name, rows=3)
    with pytest.raises(DataAPIResponseException) as exc:
        table.find({"p": "a"}, sort={"nope": 1}).to_list()
    assert error_code(exc.value) == "CANNOT_SORT_UNKNOWN_COLUMNS"


def test_case_insensitive_index(db: Database, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"k": "int", "email": "text"}, "primaryKey": "k"})
    table.create_index(f"{name}_email", column="email", options=TableIndexOptions(case_sensitive=False, ascii=True))
    table.insert_many([{"k": 1, "email": "Ann@Example.com"}, {"k": 2, "email": "zoë@example.com"}])
    assert [r["k"] for r in table.find({"email": "ann@example.COM"})] == [1]
    assert [r["k"] for r in table.find({"email": {"$in": ["ZOE@example.com"]}})] == [2]
    raw = table.command({"find": {"filter": {"email": "ann@example.com"}}})
    assert warning_codes(raw) == []
