"""User-defined types through astrapy: type commands, UDT columns and collections of UDTs, errors."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from astrapy import AsyncDatabase, Database
from astrapy.data_types import DataAPIDictUDT
from astrapy.exceptions import DataAPIResponseException
from astrapy.info import AlterTypeAddFields, AlterTypeRenameFields, TableScalarColumnTypeDescriptor
from astrapy.table import Table

from localdataapi.server import DataAPIServer
from localdataapi.tests.conftest import connect, error_code, spawn_server

ADDRESS = {"fields": {"city": "text", "postcode": "text", "floor": "int"}}


def _udt(name: str) -> dict[str, str]:
    return {"type": "userDefined", "udtName": name}


def _address_table(db: Database, name: str) -> Table[Any]:
    db.create_type(f"{name}_addr", definition=ADDRESS)
    return db.create_table(
        name,
        definition={
            "columns": {
                "id": "text",
                "address": _udt(f"{name}_addr"),
                "history": {"type": "list", "valueType": _udt(f"{name}_addr")},
                "places": {"type": "set", "valueType": _udt(f"{name}_addr")},
                "named": {"type": "map", "keyType": "text", "valueType": _udt(f"{name}_addr")},
            },
            "primaryKey": "id",
        },
    )


def _raises(code: str, call: Callable[[], Any]) -> DataAPIResponseException:
    with pytest.raises(DataAPIResponseException) as exc:
        call()
    assert error_code(exc.value) == code
    return exc.value


def _raw_doc(table: Table[Any], key: str) -> dict[str, Any]:
    return table.command({"findOne": {"filter": {"id": key}}})["data"]["document"]  # type: ignore[no-any-return]


def test_list_types_on_an_empty_keyspace(server: DataAPIServer) -> None:
    db = connect(server.url, keyspace="udt_empty")
    db.get_database_admin().create_keyspace("udt_empty")
    assert db.list_type_names() == []
    assert db.list_types() == []


def test_create_list_and_explain_types(db: Database, name: str) -> None:
    db.create_type(f"{name}_a", definition={"fields": {"x": "int", "label": {"type": "text"}}})
    db.create_type(f"{name}_a", definition={"fields": {"x": "int"}}, if_not_exists=True)
    assert {f"{name}_a"} <= set(db.list_type_names())
    raw = db.command({"listTypes": {"options": {"explain": True}}})["status"]["types"]
    described = next(t for t in raw if t["udtName"] == f"{name}_a")
    assert described == {
        "type": "userDefined",
        "udtName": f"{name}_a",
        "definition": {"fields": {"x": {"type": "int"}, "label": {"type": "text"}}},
        "apiSupport": {
            "createTable": True,
            "insert": True,
            "read": True,
            "filter": False,
            "cqlDefinition": f"killrvideo.{name}_a",
        },
    }
    listed = {t.udt_name: t for t in db.list_types()}
    assert listed[f"{name}_a"].definition is not None
    assert set(listed[f"{name}_a"].definition.fields) == {"x", "label"}


def test_create_type_errors(db: Database, name: str) -> None:
    db.create_type(f"{name}_a", definition={"fields": {"x": "int"}})
    _raises("CANNOT_ADD_EXISTING_TYPE", lambda: db.create_type(f"{name}_a", definition={"fields": {"y": "int"}}))
    _raises("MISSING_FIELDS_FOR_TYPE_CREATION", lambda: db.command({"createType": {"name": f"{name}_b"}}))
    for bad in (
        {"type": "list", "valueType": "text"},
        {"type": "vector", "dimension": 2},
        _udt(f"{name}_a"),
        "timeuuid",
    ):
        exc = _raises(
            "UNSUPPORTED_TYPE_FIELDS", lambda b=bad: db.create_type(f"{name}_c", definition={"fields": {"f": b}})
        )
        assert "The command used the unsupported types:" in str(exc)
    _raises("UNSUPPORTED_SCHEMA_NAME", lambda: db.create_type("bad-name", definition={"fields": {"x": "int"}}))


def test_udt_columns_round_trip_partial_values_and_nulls(db: Database, name: str) -> None:
    table = _address_table(db, name)
    table.insert_one(
        {
            "id": "a",
            "address": {"city": "Paris", "postcode": None},
            "history": [{"city": "Lyon", "floor": 2}, {"city": "Nice"}],
            "places": [{"city": "Rome"}, {"city": "Oslo"}],
            "named": {"home": {"city": "Paris", "floor": 3}},
        }
    )
    assert _raw_doc(table, "a") == {
        "id": "a",
        "address": {"city": "Paris"},
        "history": [{"city": "Lyon", "floor": 2}, {"city": "Nice"}],
        "places": [{"city": "Oslo"}, {"city": "Rome"}],
        "named": {"home": {"city": "Paris", "floor": 3}},
    }
    got = table.find_one({"id": "a"})
    assert got is not None
    assert isinstance(got["address"], DataAPIDictUDT)
    assert dict(got["address"]) == {"city": "Paris", "postcode": None, "floor": None}
    # A UDT with every field null has no cells in Cassandra: the column reads as null.
    table.insert_one({"id": "b", "address": {"city": None}})
    assert _raw_doc(table, "b") == {"id": "b"}


def test_udt_schema_descriptions(db: Database, name: str) -> None:
    table = _address_table(db, name)
    schema = table.command({"findOne": {"filter": {"id": "none"}}})["status"]["projectionSchema"]
    fields = {"city": {"type": "text"}, "postcode": {"type": "text"}, "floor": {"type": "int"}}
    support = {
        "createTable": True,
        "insert": True,
        "read": True,
        "filter": False,
        "cqlDefinition": f"killrvideo.{name}_addr",
    }
    assert schema["address"] == {
        "type": "userDefined",
        "udtName": f"{name}_addr",
        "definition": {"fields": fields},
        "apiSupport": support,
    }
    assert schema["history"] == {
        "type": "list",
        "valueType": {"type": "userDefined", "udtName": f"{name}_addr", "definition": {"fields": fields}},
    }
    listed = next(t for t in db.list_tables() if t.name == name).raw_descriptor
    cols = listed["definition"]["columns"]  # type: ignore[index]
    assert cols["address"] == {"type": "userDefined", "udtName": f"{name}_addr", "apiSupport": support}
    assert cols["named"] == {
        "type": "map",
        "keyType": "text",
        "valueType": {"type": "userDefined", "udtName": f"{name}_addr"},
    }


def test_udt_value_errors(db: Database, name: str) -> None:
    table = _address_table(db, name)
    exc = _raises("INVALID_COLUMN_VALUES", lambda: table.insert_one({"id": "x", "address": {"nope": 1}}))
    assert f"Missing field 'nope' in UDT '{name}_addr'" in str(exc)
    _raises("INVALID_COLUMN_VALUES", lambda: table.insert_one({"id": "x", "address": {"floor": "high"}}))
    _raises("INVALID_COLUMN_VALUES", lambda: table.insert_one({"id": "x", "history": [{"nope": 1}]}))
    exc = _raises("INVALID_COLUMN_VALUES", lambda: table.insert_one({"id": "x", "address": [[1, "Paris"]]}))
    assert "UDT field name must be a string" in str(exc)
    _raises("UNSUPPORTED_FILTERING_FOR_COLUMN_TYPES", lambda: table.find_one({"address": {"city": "Paris"}}))


def test_udt_table_definition_errors(db: Database, name: str) -> None:
    db.create_type(f"{name}_t", definition={"fields": {"x": "int"}})

    def create(column: Any) -> Callable[[], Any]:
        return lambda: db.create_table(name, definition={"columns": {"id": "text", "c": column}, "primaryKey": "id"})

    _raises("UNKNOWN_USER_DEFINED_TYPE", create(_udt("no_such_type")))
    _raises("INVALID_USER_DEFINED_TYPE_NAME", create({"type": "userDefined"}))
    _raises("INVALID_USER_DEFINED_TYPE_NAME", create({"type": "userDefined", "udtName": "  "}))
    # astrapy rewrites a short-form column to the long form, so the short form goes as a raw command.
    short = {"name": name, "definition": {"columns": {"id": "text", "c": f"{name}_t"}, "primaryKey": "id"}}
    _raises("UNKNOWN_PRIMITIVE_DATA_TYPE", lambda: db.command({"createTable": short}))
    _raises("UNKNOWN_DATA_TYPE", create({"type": "userDefined123", "udtName": f"{name}_t"}))
    _raises("UNSUPPORTED_MAP_DEFINITION", create({"type": "map", "keyType": _udt(f"{name}_t"), "valueType": "text"}))
    _raises(
        "PRIMARY_KEY_DEFINITION_INCORRECT",
        lambda: db.create_table(name, definition={"columns": {"id": _udt(f"{name}_t")}, "primaryKey": "id"}),
    )


def test_updates_on_udt_columns_and_collections(db: Database, name: str) -> None:
    table = _address_table(db, name)
    table.insert_one({"id": "r"})
    table.update_one({"id": "r"}, {"$set": {"address": {"city": "Bern", "floor": 1}}})
    table.update_one(
        {"id": "r"},
        {
            "$push": {
                "history": {"city": "Boston"},
                "places": {"city": "Austin"},
                "named": {"vacation": {"city": "Miami"}},
            }
        },
    )
    table.update_one(
        {"id": "r"},
        {
            "$push": {
                "history": {"$each": [{"city": "Denver"}]},
                "places": {"$each": [{"city": "Atlanta"}, {"city": "Austin"}]},
                "named": {"$each": [{"college": {"city": "Madison"}}]},
            }
        },
    )
    assert _raw_doc(table, "r") == {
        "id": "r",
        "address": {"city": "Bern", "floor": 1},
        "history": [{"city": "Boston"}, {"city": "Denver"}],
        "places": [{"city": "Atlanta"}, {"city": "Austin"}],
        "named": {"college": {"city": "Madison"}, "vacation": {"city": "Miami"}},
    }
    table.update_one(
        {"id": "r"},
        {
            "$pullAll": {"history": [{"city": "Boston"}, {"city": "Denver"}], "named": ["vacation", "college"]},
            "$unset": {"places": 1, "address": 1},
        },
    )
    assert _raw_doc(table, "r") == {"id": "r"}


def test_filters_on_collections_of_udts(db: Database, name: str) -> None:
    table = _address_table(db, name)
    table.insert_many(
        [
            {"id": "1", "history": [{"city": "Lyon"}], "named": {"home": {"city": "Paris", "floor": 1}}},
            {"id": "2", "places": [{"city": "Lyon"}], "named": {"work": {"city": "Paris", "floor": 1}}},
        ]
    )

    def ids(flt: dict[str, Any]) -> list[str]:
        return sorted(r["id"] for r in table.find(flt))

    assert ids({"history": {"$in": [{"city": "Lyon"}]}}) == ["1"]
    assert ids({"places": {"$nin": [{"city": "Nowhere"}]}}) == ["1", "2"]
    assert ids({"named": {"$values": {"$all": [{"city": "Paris", "floor": 1}]}}}) == ["1", "2"]
    assert ids({"named": {"$in": [["home", {"city": "Paris", "floor": 1}]]}}) == ["1"]


def test_alter_type_add_and_rename_fields(db: Database, name: str) -> None:
    table = _address_table(db, name)
    table.insert_one({"id": "a", "address": {"city": "Oslo", "floor": 4}, "history": [{"postcode": "0150"}]})
    db.alter_type(f"{name}_addr", AlterTypeRenameFields(fields={"city": "town"}))
    db.alter_type(f"{name}_addr", AlterTypeAddFields(fields={"country": TableScalarColumnTypeDescriptor("text")}))
    assert _raw_doc(table, "a") == {
        "id": "a",
        "address": {"town": "Oslo", "floor": 4},
        "history": [{"postcode": "0150"}],
    }
    table.insert_one({"id": "b", "address": {"town": "Turku", "country": "FI"}})
    assert _raw_doc(table, "b")["address"] == {"town": "Turku", "country": "FI"}
    listed = {t.udt_name: t for t in db.list_types()}[f"{name}_addr"]
    assert listed.definition is not None
    assert list(listed.definition.fields) == ["town", "postcode", "floor", "country"]
    _raises(
        "CANNOT_ADD_EXISTING_FIELD", lambda: db.alter_type(f"{name}_addr", AlterTypeAddFields(fields={"floor": "int"}))
    )
    _raises(
        "CANNOT_RENAME_UNKNOWN_TYPE_FIELD",
        lambda: db.alter_type(f"{name}_addr", AlterTypeRenameFields(fields={"nope": "x"})),
    )
    _raises("MISSING_ALTER_TYPE_OPERATIONS", lambda: db.command({"alterType": {"name": f"{name}_addr"}}))
    _raises(
        "INVALID_DATABASE_QUERY",
        lambda: db.alter_type(f"{name}_none", AlterTypeAddFields(fields={"x": "int"})),
    )


def test_drop_type(db: Database, name: str) -> None:
    _address_table(db, name)
    exc = _raises("CANNOT_DROP_TYPE_USED_BY_TABLE", lambda: db.drop_type(f"{name}_addr"))
    assert name in str(exc)
    db.drop_table(name)
    db.drop_type(f"{name}_addr")
    assert f"{name}_addr" not in db.list_type_names()
    db.drop_type(f"{name}_addr", if_exists=True)
    _raises("CANNOT_DROP_UNKNOWN_TYPE", lambda: db.drop_type(f"{name}_addr"))


async def test_async_type_commands(adb: AsyncDatabase, name: str) -> None:
    await adb.create_type(f"{name}_async", definition={"fields": {"v": "double"}})
    assert f"{name}_async" in await adb.list_type_names()
    await adb.drop_type(f"{name}_async")
    assert f"{name}_async" not in await adb.list_type_names()


def test_types_survive_kill_9(tmp_path: Path) -> None:
    proc, url = spawn_server(tmp_path)
    proc2: subprocess.Popen[str] | None = None
    try:
        db = connect(url, keyspace="ks_udt")
        db.get_database_admin().create_keyspace("ks_udt")
        db.create_type("point", definition={"fields": {"x": "double", "y": "double"}})
        db.alter_type("point", AlterTypeRenameFields(fields={"y": "yy"}))
        db.create_table("t", definition={"columns": {"k": "int", "p": _udt("point")}, "primaryKey": "k"})
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc2, url2 = spawn_server(tmp_path)
        db = connect(url2, keyspace="ks_udt")
        assert db.list_type_names() == ["point"]
        table = db.get_table("t")
        table.insert_one({"k": 1, "p": {"x": 1.5, "yy": 2.5}})
        assert _raw(table) == {"k": 1, "p": {"x": 1.5, "yy": 2.5}}
    finally:
        for p in (proc, proc2):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()


def _raw(table: Table[Any]) -> dict[str, Any]:
    return table.command({"findOne": {"filter": {"k": 1}}})["data"]["document"]  # type: ignore[no-any-return]


def test_udt_columns_cannot_be_indexed(db: Database, name: str) -> None:
    table = _address_table(db, name)
    _raises("UNSUPPORTED_INDEXING_FOR_DATA_TYPES", lambda: table.create_index(f"{name}_i", column="address"))
    table.create_index(f"{name}_h", column="history")  # collections of (frozen) UDTs can be
