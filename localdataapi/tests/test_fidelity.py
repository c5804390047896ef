"""Wire fidelity with Astra: refused column types, value formats (vectors, floats, NaN) and orderings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from astrapy import Database
from astrapy.data_types import DataAPIVector
from astrapy.exceptions import DataAPIResponseException
from astrapy.info import AlterTableAddColumns
from astrapy.table import Table

from localdataapi.server import DataAPIServer
from localdataapi.tests.conftest import error_code
from localdataapi.tests.support import cql_table


def _raises(code: str, call: Callable[[], Any]) -> DataAPIResponseException:
    with pytest.raises(DataAPIResponseException) as exc:
        call()
    assert error_code(exc.value) == code
    return exc.value


def _raw_find(table: Table[Any], flt: dict[str, Any], **options: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"filter": flt}
    if options:
        body["options"] = options
    return table.command({"find": body})  # type: ignore[no-any-return]


def _one(table: Table[Any], flt: dict[str, Any]) -> dict[str, Any]:
    return table.command({"findOne": {"filter": flt}})["data"]["document"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("column", "code"),
    [
        ("timeuuid", "UNSUPPORTED_DATA_TYPE_TABLE_CREATION"),
        ("counter", "UNSUPPORTED_DATA_TYPE_TABLE_CREATION"),
        ({"type": "varchar"}, "UNKNOWN_DATA_TYPE"),
        ({"type": "set", "valueType": "timeuuid"}, "UNSUPPORTED_SET_DEFINITION"),
        ({"type": "list", "valueType": "counter"}, "UNSUPPORTED_LIST_DEFINITION"),
        ({"type": "map", "keyType": "duration", "valueType": "text"}, "UNSUPPORTED_MAP_DEFINITION"),
        ({"type": "map", "keyType": "timeuuid", "valueType": "text"}, "UNSUPPORTED_MAP_DEFINITION"),
        ({"type": "map", "keyType": "text", "valueType": "counter"}, "UNSUPPORTED_MAP_DEFINITION"),
    ],
)
def test_create_table_refuses_what_astra_refuses(db: Database, name: str, column: Any, code: str) -> None:
    definition = {"columns": {"id": "text", "c": column}, "primaryKey": "id"}
    _raises(code, lambda: db.create_table(name, definition=definition))
    assert name not in db.list_table_names()


def test_short_form_unknown_type_and_alter_table_refusals(db: Database, name: str) -> None:
    raw = {"name": name, "definition": {"columns": {"id": "text", "c": "varchar"}, "primaryKey": "id"}}
    _raises("UNKNOWN_PRIMITIVE_DATA_TYPE", lambda: db.command({"createTable": raw}))
    table = db.create_table(name, definition={"columns": {"id": "text"}, "primaryKey": "id"})
    exc = _raises(
        "CANNOT_ADD_UNSUPPORTED_DATA_TYPE_COLUMNS",
        lambda: table.alter(AlterTableAddColumns.coerce({"columns": {"tu": "timeuuid"}})),
    )
    assert "The command attempted to add columns with unsupported data types: timeuuid" in str(exc)
    _raises(
        "UNSUPPORTED_SET_DEFINITION",
        lambda: table.alter(AlterTableAddColumns.coerce({"columns": {"s": {"type": "set", "valueType": "timeuuid"}}})),
    )


def test_timeuuid_columns_made_by_cql_read_write_and_filter(server: DataAPIServer, db: Database, name: str) -> None:
    table = cql_table(server, db, name, {"columns": {"id": "text", "created": "timeuuid"}, "primaryKey": "id"})
    tu = uuid.UUID("f8442890-b74d-11ef-b843-c639d7f47ce1")
    table.insert_one({"id": "id1", "created": tu})
    assert _one(table, {"id": "id1"}) == {"id": "id1", "created": str(tu)}
    assert table.find_one({"created": str(tu)})["created"] == tu  # type: ignore[index]
    cols = next(t for t in db.list_tables() if t.name == name).raw_descriptor["definition"]["columns"]  # type: ignore[index]
    assert cols["created"] == {
        "type": "timeuuid",
        "apiSupport": {"createTable": False, "insert": True, "read": True, "filter": True, "cqlDefinition": "timeuuid"},
    }


def test_exists_on_set_and_list_columns(db: Database, name: str) -> None:
    table = db.create_table(
        name,
        definition={
            "columns": {
                "id": "text",
                "s": {"type": "set", "valueType": "text"},
                "l": {"type": "list", "valueType": "int"},
            },
            "primaryKey": "id",
        },
    )
    for col in ("s", "l"):
        exc = _raises("INVALID_MAP_SET_LIST_FILTER", lambda c=col: table.find_one({c: {"$exists": True}}))
        assert "Invalid filter operator '$exists'" in str(exc)
    _raises("INVALID_MAP_SET_LIST_FILTER", lambda: table.find_one({"s": {"$eq": "x"}}))


# ---------------------------------------------------------------- value formats


def _vec_table(db: Database, name: str) -> Table[Any]:
    table = db.create_table(
        name, definition={"columns": {"id": "int", "v": {"type": "vector", "dimension": 3}}, "primaryKey": "id"}
    )
    table.create_vector_index(f"{name}_v", column="v")
    return table


def test_vectors_are_float_arrays_at_float32_precision(db: Database, name: str) -> None:
    table = _vec_table(db, name)
    table.insert_one({"id": 1, "v": DataAPIVector([0.1, 1 / 3, -2.0])})
    # astrapy's raw command keeps JSON numbers as Decimal, i.e. exactly as printed on the wire.
    assert _one(table, {"id": 1})["v"] == [Decimal("0.1"), Decimal("0.33333334"), Decimal("-2.0")]
    got = table.find_one({"id": 1})
    assert isinstance(got["v"], DataAPIVector)  # type: ignore[index]
    assert got["v"] == DataAPIVector([0.1, 0.33333334, -2.0])  # type: ignore[index]
    raw = table.command({"find": {"sort": {"v": [0.1, 0.2, 0.3]}, "options": {"includeSortVector": True}}})
    assert raw["status"]["sortVector"] == [Decimal("0.1"), Decimal("0.2"), Decimal("0.3")]
    assert raw["data"]["documents"][0]["v"] == [Decimal("0.1"), Decimal("0.33333334"), Decimal("-2.0")]


def test_float_columns_nan_and_infinity(db: Database, name: str) -> None:
    table = db.create_table(
        name,
        definition={
            "columns": {"id": "text", "f": "float", "d": "double", "ld": {"type": "list", "valueType": "double"}},
            "primaryKey": "id",
        },
    )
    table.insert_many(
        [
            {"id": "nan", "f": "NaN", "d": "NaN", "ld": ["NaN", 1.5]},
            {"id": "inf", "f": "Infinity", "d": "-Infinity", "ld": ["Infinity", "-Infinity"]},
            {"id": "third", "f": 1 / 3, "d": 1 / 3},
        ]
    )
    assert _one(table, {"id": "nan"}) == {"id": "nan", "f": "NaN", "d": "NaN", "ld": ["NaN", 1.5]}
    assert _one(table, {"id": "inf"}) == {
        "id": "inf",
        "f": "Infinity",
        "d": "-Infinity",
        "ld": ["Infinity", "-Infinity"],
    }
    third = _one(table, {"id": "third"})
    assert (str(third["f"]), str(third["d"])) == ("0.33333334", "0.3333333333333333")
    assert sorted(r["id"] for r in table.find({"d": "NaN"})) == ["nan"]
    exc = _raises("INVALID_COLUMN_VALUES", lambda: table.insert_one({"id": "x", "f": "Bazillion"}))
    assert 'only "NaN", "Infinity" and "-Infinity" supported' in str(exc)


def test_sets_and_map_keys_in_cassandra_order(db: Database, name: str) -> None:
    table = db.create_table(
        name,
        definition={
            "columns": {
                "id": "text",
                "ips": {"type": "set", "valueType": "inet"},
                "blobs": {"type": "set", "valueType": "blob"},
                "nums": {"type": "set", "valueType": "double"},
                "ids": {"type": "set", "valueType": "uuid"},
                "byip": {"type": "map", "keyType": "inet", "valueType": "int"},
            },
            "primaryKey": "id",
        },
    )
    v4 = "00000000-0000-4000-8000-000000000000"
    v1 = "ffffffff-0000-1000-8000-000000000000"
    table.command(
        {
            "insertOne": {
                "document": {
                    "id": "a",
                    "ips": ["10.0.0.2", "9.0.0.1", "::1"],
                    "blobs": [{"$binary": "/w=="}, {"$binary": "AA=="}],
                    "nums": ["NaN", 2.5, "-Infinity", -1.0],
                    "ids": [v4, v1],
                    "byip": [["10.0.0.2", 1], ["9.0.0.1", 2]],
                }
            }
        }
    )
    doc = _one(table, {"id": "a"})
    assert doc["ips"] == ["::1", "9.0.0.1", "10.0.0.2"]  # InetAddressType: unsigned bytes, ::1 is 00…01
    assert doc["blobs"] == [{"$binary": "AA=="}, {"$binary": "/w=="}]
    assert doc["nums"] == ["-Infinity", -1.0, 2.5, "NaN"]
    assert doc["ids"] == [v1, v4]  # by version first
    assert doc["byip"] == [["9.0.0.1", 2], ["10.0.0.2", 1]]
    table.update_one({"id": "a"}, {"$push": {"ips": "1.2.3.4", "byip": {"8.8.8.8": 3}}})
    doc = _one(table, {"id": "a"})
    assert doc["ips"] == ["::1", "1.2.3.4", "9.0.0.1", "10.0.0.2"]
    assert [k for k, _ in doc["byip"]] == ["8.8.8.8", "9.0.0.1", "10.0.0.2"]


def test_default_page_size_and_limit_paging(db: Database, name: str) -> None:
    table = db.create_table(
        name,
        definition={
            "columns": {"p": "text", "c": "int"},
            "primaryKey": {"partitionBy": ["p"], "partitionSort": {"c": 1}},
        },
    )
    table.insert_many([{"p": "x", "c": i} for i in range(120)])
    first = _raw_find(table, {"p": "x"})
    assert len(first["data"]["documents"]) == 50
    assert first["data"]["nextPageState"]
    sizes, state = [], None
    while True:
        page = _raw_find(table, {"p": "x"}, limit=110, **({"pageState": state} if state else {}))
        sizes.append(len(page["data"]["documents"]))
        state = page["data"]["nextPageState"]
        if not state:
            break
    assert sizes == [50, 50, 10]
    assert _raw_find(table, {"p": "x"}, limit=50)["data"]["nextPageState"] is None


def test_in_memory_sort_puts_nan_after_numbers(db: Database, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"id": "int", "d": "double"}, "primaryKey": "id"})
    table.insert_many([{"id": 1, "d": "NaN"}, {"id": 2, "d": 5.0}, {"id": 3, "d": "-Infinity"}])
    assert [r["id"] for r in table.find({}, sort={"d": 1})] == [3, 2, 1]


# ---------------------------------------------------------------- definitions and unsupported features


def test_vector_index_source_model_and_metric_echo(db: Database, name: str) -> None:
    table = _vec_table(db, name)
    db.drop_table_index(f"{name}_v")
    table.create_vector_index(f"{name}_m", column="v", options={"sourceModel": "openai-v3-small"})
    options = {i.name: i.definition.as_dict()["options"] for i in table.list_indexes()}
    # A source model without a metric implies the model's metric, as on Astra.
    assert options[f"{name}_m"] == {"metric": "dot_product", "sourceModel": "openai-v3-small"}
    _raises(
        "UNKNOWN_VECTOR_SOURCE_MODEL",
        lambda: table.create_vector_index(f"{name}_x", column="v", options={"sourceModel": "gpt-9"}),
    )


def test_vectorize_without_a_provider(db: Database, name: str) -> None:
    service = {"provider": "openai", "modelName": "text-embedding-3-small"}
    definition = {
        "columns": {"id": "int", "v": {"type": "vector", "dimension": 3, "service": service}},
        "primaryKey": "id",
    }
    exc = _raises("INVALID_CREATE_COLLECTION_OPTIONS", lambda: db.create_table(name, definition=definition))
    assert "Service provider 'openai' is not supported" in str(exc)
    table = _vec_table(db, name)
    _raises(
        "INVALID_CREATE_COLLECTION_OPTIONS",
        lambda: table.command({"alterTable": {"operation": {"addVectorize": {"columns": {"v": service}}}}}),
    )


def test_projection_edge_cases(db: Database, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"id": "int", "a": "text", "b": "int"}, "primaryKey": "id"})
    table.insert_one({"id": 1, "a": "x", "b": 2})
    # Unknown columns are ignored, as long as something is selected.
    assert table.find_one({"id": 1}, projection={"a": 1, "nope": 1}) == {"a": "x"}
    assert table.find_one({"id": 1}, projection={"a": 0, "nope": 0}) == {"id": 1, "b": 2}
    assert table.find_one({"id": 1}, projection={"*": 1}) == {"id": 1, "a": "x", "b": 2}
    assert table.find_one({"id": 1}, projection={"b": 2.5}) == {"b": 2}
    _raises("UNKNOWN_TABLE_COLUMNS", lambda: table.find_one({"id": 1}, projection={"*": 0}))
    _raises("UNKNOWN_TABLE_COLUMNS", lambda: table.find_one({"id": 1}, projection={"nope": 1}))
    for bad in ({"a": 1, "b": 0}, {"*": 1, "a": 1}, {"a": {"$slice": 1}}, {"a": "yes"}):
        _raises("UNSUPPORTED_PROJECTION_PARAM", lambda p=bad: table.find_one({"id": 1}, projection=p))
    _raises("UNSUPPORTED_PROJECTION_DEFINITION", lambda: table.command({"findOne": {"projection": ["a"]}}))


def test_include_sort_vector_and_similarity_without_a_vector_sort(db: Database, name: str) -> None:
    table = _vec_table(db, name)
    table.insert_one({"id": 1, "v": [1.0, 0.0, 0.0]})
    raw = table.command(
        {"find": {"filter": {"id": 1}, "options": {"includeSortVector": True, "includeSimilarity": True}}}
    )
    assert "sortVector" not in raw["status"]
    assert raw["data"]["documents"] == [{"id": 1, "v": [Decimal("1.0"), Decimal("0.0"), Decimal("0.0")]}]
    cursor = table.find({}, include_sort_vector=True)
    assert cursor.get_sort_vector() is None
