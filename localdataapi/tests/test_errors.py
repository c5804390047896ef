"""Astra's rules surfaced as Data API errors, with their codes and JSON shape."""

from __future__ import annotations

from typing import Any

import pytest
from astrapy import Database
from astrapy.exceptions import DataAPIResponseException
from astrapy.table import Table

from localdataapi.tests.conftest import error_code


def _table(db: Database, name: str) -> Table[Any]:
    return db.create_table(
        name,
        definition={
            "columns": {
                "p": "text",
                "c": "int",
                "body": "text",
                "ts": "timestamp",
                "tags": {"type": "set", "valueType": "text"},
            },
            "primaryKey": {"partitionBy": ["p"], "partitionSort": {"c": 1}},
        },
    )


def _code(table: Table[Any], command: dict[str, Any]) -> str:
    raw = table.command(command, raise_api_errors=False)
    return str(raw["errors"][0]["errorCode"])


def test_error_json_shape(db: Database, name: str) -> None:
    table = _table(db, name)
    raw = table.command({"insertOne": {"document": {"p": "a"}}}, raise_api_errors=False)
    err = raw["errors"][0]
    assert set(err) == {"family", "scope", "errorCode", "title", "message", "id"}
    assert (err["family"], err["scope"], err["errorCode"]) == ("REQUEST", "DOCUMENT", "MISSING_PRIMARY_KEY_COLUMNS")


def test_unknown_table(db: Database) -> None:
    with pytest.raises(DataAPIResponseException) as exc:
        db.get_table("no_such_table").find_one({})
    assert error_code(exc.value) == "COLLECTION_NOT_EXIST"


def test_document_errors(db: Database, name: str) -> None:
    table = _table(db, name)
    assert _code(table, {"insertOne": {"document": {"p": "a", "c": 1, "nope": 1}}}) == "UNKNOWN_TABLE_COLUMNS"
    assert _code(table, {"insertOne": {"document": {"p": "a", "body": "x"}}}) == "MISSING_PRIMARY_KEY_COLUMNS"
    assert _code(table, {"insertOne": {"document": {"p": "a", "c": "one"}}}) == "INVALID_COLUMN_VALUES"
    assert _code(table, {"insertOne": {"document": {"p": "a", "c": 1, "ts": "yesterday"}}}) == "INVALID_COLUMN_VALUES"
    assert _code(table, {"insertOne": {"document": {"p": "a", "c": 2**40}}}) == "INVALID_COLUMN_VALUES"


def test_filter_errors(db: Database, name: str) -> None:
    table = _table(db, name)
    assert _code(table, {"find": {"filter": {"nope": 1}}}) == "UNKNOWN_TABLE_COLUMNS"
    assert _code(table, {"find": {"filter": {"c": "x"}}}) == "INVALID_FILTER_COLUMN_VALUES"
    assert _code(table, {"find": {"filter": {"c": {"$regex": "x"}}}}) == "FILTER_UNSUPPORTED_OPERATOR"
    assert _code(table, {"find": {"filter": {"tags": {"$eq": "x"}}}}) == "INVALID_MAP_SET_LIST_FILTER"


def test_in_and_nin_take_at_most_100_values(db: Database, name: str) -> None:
    table = _table(db, name)
    table.insert_one({"p": "k42", "c": 1})
    keys = [f"k{i}" for i in range(100)]
    assert [row["p"] for row in table.find({"p": {"$in": keys}})] == ["k42"]  # 100: fine
    for clause in (
        {"p": {"$in": [*keys, "k100"]}},
        {"p": "k42", "c": {"$nin": list(range(101))}},
        {"tags": {"$in": [str(i) for i in range(101)]}},
    ):
        with pytest.raises(DataAPIResponseException) as caught:
            table.find(clause).to_list()
        assert error_code(caught.value) == "FILTER_INVALID_EXPRESSION", clause
        assert "must have at most 100 values" in str(caught.value)


def test_insert_many_takes_at_most_100_rows_per_command(db: Database, name: str) -> None:
    table = _table(db, name)
    rows = [{"p": "a", "c": i} for i in range(101)]
    raw = table.command({"insertMany": {"documents": rows}}, raise_api_errors=False)
    error = raw["errors"][0]
    assert error["errorCode"] == "COMMAND_FIELD_VALUE_INVALID"
    assert "over the max limit (101 vs 100)" in error["message"]
    assert "TRUNCATED from" in error["message"]
    assert table.find({"p": "a"}).to_list() == []  # nothing written
    # astrapy sends chunks (50 rows here by default), so a long list still goes in
    table.insert_many(rows)
    assert len(table.find({"p": "a"}).to_list()) == 101


def test_update_and_delete_rules(db: Database, name: str) -> None:
    table = _table(db, name)
    update = {"$set": {"body": "x"}}
    assert (
        _code(table, {"updateOne": {"filter": {"p": "a"}, "update": update}})
        == "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE"
    )
    assert _code(table, {"updateOne": {"filter": {}, "update": update}}) == "MISSING_FILTER_FOR_UPDATE_DELETE"
    assert (
        _code(table, {"updateOne": {"filter": {"p": "a", "c": {"$gt": 1}}, "update": update}})
        == "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE"
    )
    assert (
        _code(table, {"updateOne": {"filter": {"p": "a", "c": 1, "body": "x"}, "update": update}})
        == "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE"
    )
    key = {"p": "a", "c": 1}
    assert (
        _code(table, {"updateOne": {"filter": key, "update": {"$set": {"c": 2}}}})
        == "UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS"
    )
    assert (
        _code(table, {"updateOne": {"filter": key, "update": {"$inc": {"c": 1}}}})
        == "UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE"
    )
    assert _code(table, {"updateOne": {"filter": key, "update": {"$set": {"nope": 1}}}}) == "UNKNOWN_TABLE_COLUMNS"
    assert (
        _code(table, {"updateOne": {"filter": key, "update": {"$set": {"ts": 1.5}}}}) == "INVALID_UPDATE_COLUMN_VALUES"
    )
    assert (
        _code(table, {"updateOne": {"filter": key, "update": {"$push": {"body": "x"}}}})
        == "UNSUPPORTED_UPDATE_OPERATOR"
    )
    assert _code(table, {"updateOne": {"filter": key, "update": {}}}) == "MISSING_UPDATE_OPERATIONS"
    assert _code(table, {"deleteOne": {"filter": {"p": "a"}}}) == "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE"
    assert (
        _code(table, {"deleteMany": {"filter": {"body": "x"}}})
        == "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE"
    )
    assert _code(table, {"deleteMany": {"filter": {"c": 1}}}) == "INVALID_PRIMARY_KEY_FILTER"


def test_unsupported_commands(db: Database, name: str) -> None:
    table = _table(db, name)
    with pytest.raises(DataAPIResponseException) as exc:
        table.count_documents({}, upper_bound=10)
    assert error_code(exc.value) == "UNSUPPORTED_TABLE_COMMAND"
    assert (
        _code(table, {"updateMany": {"filter": {}, "update": {"$set": {"body": "x"}}}}) == "UNSUPPORTED_TABLE_COMMAND"
    )
    assert _code(table, {"estimatedDocumentCount": {}}) == "UNSUPPORTED_TABLE_COMMAND"
    assert _code(table, {"frobnicate": {}}) == "COMMAND_UNKNOWN"
