"""Inserts, updates and deletes through astrapy, with Cassandra write semantics."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from astrapy import Database
from astrapy.data_types import DataAPIDate, DataAPIMap, DataAPISet, DataAPITimestamp, DataAPIVector
from astrapy.exceptions import DataAPIResponseException, TableInsertManyException
from astrapy.table import Table

from localdataapi.tests.conftest import error_code
from localdataapi.tests.support import ALL_TYPES

UTC = datetime.UTC


def _kv(db: Database, name: str) -> Table[Any]:
    return db.create_table(
        name,
        definition={
            "columns": {
                "p": "text",
                "c": "int",
                "body": "text",
                "n": "int",
                "tags": {"type": "set", "valueType": "text"},
                "seq": {"type": "list", "valueType": "int"},
                "attrs": {"type": "map", "keyType": "text", "valueType": "text"},
            },
            "primaryKey": {"partitionBy": ["p"], "partitionSort": {"c": 1}},
        },
    )


def test_all_types_round_trip(db: Database, name: str) -> None:
    table = db.create_table(name, definition=ALL_TYPES)
    row = {
        "id": uuid.uuid4(),
        "t": "héllo",
        "a": "plain",
        "i": -7,
        "bi": 2**40,
        "si": 300,
        "ti": -5,
        "f": 1.5,
        "d": 2.25,
        "b": True,
        "ts": datetime.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC),
        "dt": datetime.date(2020, 2, 29),
        "s": DataAPISet({"x", "y"}),
        "l": [3, 1, 3],
        "m": DataAPIMap({"k": 0.5}),
        "v": DataAPIVector([0.5, -1.0, 2.0, 0.0]),
    }
    result = table.insert_one(row)
    assert result.inserted_id == {"id": row["id"], "i": -7, "ti": -5}
    got = table.find_one({"id": row["id"]})
    assert got is not None
    assert got["ts"] == DataAPITimestamp.from_datetime(row["ts"])
    assert got["dt"] == DataAPIDate.from_date(row["dt"])
    assert got["s"] == DataAPISet({"x", "y"})
    assert got["l"] == [3, 1, 3]
    assert got["m"] == DataAPIMap({"k": 0.5})
    assert got["v"] == DataAPIVector([0.5, -1.0, 2.0, 0.0])
    assert (got["t"], got["bi"], got["b"], got["f"]) == ("héllo", 2**40, True, 1.5)


def test_nulls_and_empty_collections_are_omitted(db: Database, name: str) -> None:
    table = _kv(db, name)
    table.insert_one({"p": "a", "c": 1, "body": None, "tags": set(), "seq": []})
    raw = table.command({"findOne": {"filter": {"p": "a", "c": 1}}})
    assert raw["data"]["document"] == {"p": "a", "c": 1}
    assert set(raw["status"]["projectionSchema"]) == {"p", "c", "body", "n", "tags", "seq", "attrs"}


def test_insert_is_a_column_wise_upsert(db: Database, name: str) -> None:
    table = _kv(db, name)
    table.insert_one({"p": "a", "c": 1, "body": "first", "n": 1})
    table.insert_one({"p": "a", "c": 1, "body": "second"})
    assert table.find_one({"p": "a", "c": 1}) == {
        "p": "a",
        "c": 1,
        "body": "second",
        "n": 1,
        "tags": DataAPISet(),
        "seq": [],
        "attrs": DataAPIMap(),
    }


def test_insert_many_documents_responses_and_ids(db: Database, name: str) -> None:
    table = _kv(db, name)
    raw = table.command(
        {
            "insertMany": {
                "documents": [{"p": "a", "c": 1}, {"p": "a", "c": 2}],
                "options": {"ordered": False, "returnDocumentResponses": True},
            }
        }
    )
    assert raw["status"]["documentResponses"] == [{"_id": ["a", 1], "status": "OK"}, {"_id": ["a", 2], "status": "OK"}]
    assert raw["status"]["primaryKeySchema"] == {"p": {"type": "text"}, "c": {"type": "int"}}
    raw = table.command({"insertMany": {"documents": [{"p": "b", "c": 1}]}})
    assert raw["status"]["insertedIds"] == [["b", 1]]
    result = table.insert_many([{"p": "z", "c": i} for i in range(5)], ordered=True)
    assert result.inserted_id_tuples == [("z", i) for i in range(5)]


def test_insert_many_partial_failures(db: Database, name: str) -> None:
    table = _kv(db, name)
    rows = [{"p": "a", "c": 1}, {"p": "a", "c": "not-an-int"}, {"p": "a", "c": 3}]
    with pytest.raises(TableInsertManyException) as exc:
        table.insert_many(rows, ordered=True)
    assert exc.value.inserted_id_tuples == [("a", 1)]
    with pytest.raises(TableInsertManyException) as exc:
        table.insert_many([{"p": "b", "c": 1}, {"p": "b", "nope": 1}, {"p": "b", "c": 3}], ordered=False)
    assert sorted(exc.value.inserted_id_tuples) == [("b", 1), ("b", 3)]
    assert len(table.find({"p": "b"}).to_list()) == 2


def test_concurrent_insert_many(db: Database, name: str) -> None:
    table = _kv(db, name)
    rows = [{"p": f"p{i % 7}", "c": i, "body": "x" * 50} for i in range(2000)]
    result = table.insert_many(rows, chunk_size=50, concurrency=20)
    assert len(result.inserted_ids) == 2000
    assert sum(len(table.find({"p": f"p{j}"}).to_list()) for j in range(7)) == 2000


def test_update_operators(db: Database, name: str) -> None:
    table = _kv(db, name)
    key = {"p": "a", "c": 1}
    table.insert_one({**key, "body": "b", "n": 1, "tags": {"x"}, "seq": [1], "attrs": {"k1": "v1"}})
    table.update_one(key, {"$set": {"body": "new"}, "$unset": {"n": ""}})
    table.update_one(key, {"$push": {"tags": "y", "seq": {"$each": [2, 3]}, "attrs": DataAPIMap({"k2": "v2"})}})
    got = table.find_one(key)
    assert got is not None
    assert (got["body"], got["n"], got["tags"], got["seq"]) == ("new", None, DataAPISet({"x", "y"}), [1, 2, 3])
    assert got["attrs"] == DataAPIMap({"k1": "v1", "k2": "v2"})
    table.update_one(key, {"$pullAll": {"tags": ["x"], "seq": [1, 3], "attrs": ["k1"]}})
    got = table.find_one(key)
    assert got is not None
    assert (got["tags"], got["seq"], got["attrs"]) == (
        DataAPISet({"y"}),
        [2],
        DataAPIMap({"k2": "v2"}),
    )


def test_update_upserts_and_row_liveness(db: Database, name: str) -> None:
    table = _kv(db, name)
    table.update_one({"p": "u", "c": 1}, {"$set": {"body": "created"}})
    assert table.find_one({"p": "u", "c": 1}) is not None
    # A row created by an update disappears once its last cell is removed (no row marker).
    table.update_one({"p": "u", "c": 1}, {"$unset": {"body": ""}})
    assert table.find_one({"p": "u", "c": 1}) is None
    # A row created by an insert stays, with only its key.
    table.insert_one({"p": "u", "c": 2, "body": "x"})
    table.update_one({"p": "u", "c": 2}, {"$unset": {"body": ""}})
    assert table.find_one({"p": "u", "c": 2}) is not None


def test_deletes(db: Database, name: str) -> None:
    table = _kv(db, name)
    table.insert_many([{"p": p, "c": c} for p in ("a", "b") for c in range(10)])
    table.delete_one({"p": "a", "c": 0})
    assert table.find_one({"p": "a", "c": 0}) is None
    table.delete_many({"p": "a", "c": {"$gte": 5}})
    assert [r["c"] for r in table.find({"p": "a"})] == [1, 2, 3, 4]
    table.delete_many({"p": "b"})
    assert table.find({"p": "b"}).to_list() == []
    table.delete_many({})
    assert table.find({}).to_list() == []
    raw = table.command({"deleteOne": {"filter": {"p": "zz", "c": 1}}})
    assert raw["status"] == {"deletedCount": -1}


def test_projection(db: Database, name: str) -> None:
    table = _kv(db, name)
    table.insert_one({"p": "a", "c": 1, "body": "b", "n": 2})
    assert table.find_one({"p": "a", "c": 1}, projection={"body": True}) == {"body": "b"}
    got = table.find_one({"p": "a", "c": 1}, projection={"body": False, "tags": False})
    assert got is not None
    assert "body" not in got
    assert got["n"] == 2
    raw = table.command({"find": {"filter": {"p": "a"}, "projection": {"n": 1, "c": 1}}})
    assert list(raw["status"]["projectionSchema"]) == ["c", "n"]
    with pytest.raises(DataAPIResponseException) as exc:
        table.find_one({"p": "a"}, projection={"nope": True})
    assert error_code(exc.value) == "UNKNOWN_TABLE_COLUMNS"
