"""Schema commands through astrapy: tables, columns, indexes, keyspaces."""

from __future__ import annotations

import pytest
from astrapy import Database
from astrapy.exceptions import DataAPIResponseException
from astrapy.info import AlterTableAddColumns, AlterTableDropColumns, CreateTableDefinition, TableIndexDefinition

from localdataapi.server import DataAPIServer
from localdataapi.tests.conftest import connect, error_code
from localdataapi.tests.support import ALL_TYPES


def test_create_table_all_column_forms_and_explain(db: Database, name: str) -> None:
    db.create_table(name, definition=ALL_TYPES)
    assert name in db.list_table_names()
    desc = next(t for t in db.list_tables() if t.name == name)
    cols = desc.raw_descriptor["definition"]["columns"]  # type: ignore[index]
    assert cols["s"] == {"type": "set", "valueType": "text"}
    assert cols["m"] == {"type": "map", "keyType": "text", "valueType": "double"}
    assert cols["v"] == {"type": "vector", "dimension": 4}
    assert cols["ts"] == {"type": "timestamp"}
    assert desc.definition.primary_key.partition_by == ["id"]
    assert desc.definition.primary_key.partition_sort == {"i": 1, "ti": -1}


def test_builder_definition_and_shorthand_primary_key(db: Database, name: str) -> None:
    definition = (
        CreateTableDefinition.builder().add_column("k", "text").add_column("n", "int").add_partition_by(["k"]).build()
    )
    db.create_table(name, definition=definition)
    db.create_table(name + "b", definition={"columns": {"k": {"type": "text"}}, "primaryKey": "k"})
    desc = {t.name: t for t in db.list_tables()}
    assert desc[name + "b"].definition.primary_key.partition_by == ["k"]


def test_create_existing_table(db: Database, name: str) -> None:
    db.create_table(name, definition=ALL_TYPES)
    db.create_table(name, definition=ALL_TYPES, if_not_exists=True)
    with pytest.raises(DataAPIResponseException) as exc:
        db.create_table(name, definition=ALL_TYPES)
    assert error_code(exc.value) == "CANNOT_ADD_EXISTING_TABLE"


def test_bad_definitions(db: Database, name: str) -> None:
    cases = {
        "UNKNOWN_PARTITION_COLUMNS": {"columns": {"a": "text"}, "primaryKey": "b"},
        "UNKNOWN_PARTITION_SORT_COLUMNS": {
            "columns": {"a": "text"},
            "primaryKey": {"partitionBy": ["a"], "partitionSort": {"z": 1}},
        },
        "UNKNOWN_DATA_TYPE": {"columns": {"a": "text", "b": {"type": "nonsense"}}, "primaryKey": "a"},
        "MISSING_DIMENSION_IN_VECTOR_COLUMN": {"columns": {"a": "text", "v": {"type": "vector"}}, "primaryKey": "a"},
    }
    for code, definition in cases.items():
        with pytest.raises(DataAPIResponseException) as exc:
            db.create_table(name, definition=definition)
        assert error_code(exc.value) == code


def test_drop_table(db: Database, name: str) -> None:
    db.create_table(name, definition=ALL_TYPES)
    db.drop_table(name)
    assert name not in db.list_table_names()
    db.drop_table(name, if_exists=True)
    with pytest.raises(DataAPIResponseException) as exc:
        db.drop_table(name)
    assert error_code(exc.value) == "CANNOT_DROP_UNKNOWN_TABLE"


def test_alter_table_add_and_drop_columns(db: Database, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"k": "text"}, "primaryKey": "k"})
    table.alter(
        AlterTableAddColumns.coerce({"columns": {"extra": "int", "tags": {"type": "set", "valueType": "text"}}})
    )
    table.insert_one({"k": "a", "extra": 3, "tags": {"x"}})
    assert table.find_one({"k": "a"})["extra"] == 3
    with pytest.raises(DataAPIResponseException) as exc:
        table.alter(AlterTableAddColumns.coerce({"columns": {"extra": "int"}}))
    assert error_code(exc.value) == "CANNOT_ADD_EXISTING_COLUMNS"
    table.alter(AlterTableDropColumns(columns=["extra"]))
    assert "extra" not in table.find_one({"k": "a"})
    with pytest.raises(DataAPIResponseException) as exc:
        table.alter(AlterTableDropColumns(columns=["k"]))
    assert error_code(exc.value) == "CANNOT_DROP_PRIMARY_KEY_COLUMNS"


def test_indexes_lifecycle(db: Database, name: str) -> None:
    table = db.create_table(name, definition=ALL_TYPES)
    table.create_index(f"{name}_t", column="t")
    table.create_index(f"{name}_s", column="s")
    table.create_vector_index(f"{name}_v", column="v", options={"metric": "dot_product"})
    table.create_index(f"{name}_t", column="t", if_not_exists=True)
    assert sorted(table.list_index_names()) == sorted([f"{name}_t", f"{name}_s", f"{name}_v"])
    described = {i.name: i for i in table.list_indexes()}
    assert isinstance(described[f"{name}_t"].definition, TableIndexDefinition)
    assert described[f"{name}_v"].definition.as_dict()["options"]["metric"] == "dot_product"
    db.drop_table_index(f"{name}_t")
    assert f"{name}_t" not in table.list_index_names()
    db.drop_table_index(f"{name}_t", if_exists=True)


def test_index_errors(db: Database, name: str) -> None:
    table = db.create_table(name, definition=ALL_TYPES)
    table.create_index(f"{name}_t", column="t")
    cases = [
        ("CANNOT_ADD_EXISTING_INDEX", lambda: table.create_index(f"{name}_t", column="a")),
        ("UNKNOWN_INDEX_COLUMN", lambda: table.create_index(f"{name}_x", column="nope")),
        ("UNSUPPORTED_INDEXING_FOR_DATA_TYPES", lambda: table.create_index(f"{name}_y", column="v")),
        ("UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES", lambda: table.create_vector_index(f"{name}_z", column="t")),
        (
            "UNKNOWN_VECTOR_METRIC",
            lambda: table.create_vector_index(f"{name}_w", column="v", options={"metric": "manhattan"}),
        ),
        ("CANNOT_DROP_UNKNOWN_INDEX", lambda: db.drop_table_index(f"{name}_nope")),
    ]
    for code, call in cases:
        with pytest.raises(DataAPIResponseException) as exc:
            call()
        assert error_code(exc.value) == code


def test_keyspace_admin(server: DataAPIServer) -> None:
    db = connect(server.url, keyspace="other_ks")
    admin = db.get_database_admin()
    with pytest.raises(DataAPIResponseException) as exc:
        db.list_table_names()
    assert error_code(exc.value) == "UNKNOWN_KEYSPACE"
    admin.create_keyspace("other_ks")
    admin.create_keyspace("other_ks")  # idempotent
    assert "other_ks" in admin.list_keyspaces()
    db.create_table("x", definition={"columns": {"k": "text"}, "primaryKey": "k"})
    admin.drop_keyspace("other_ks")
    assert "other_ks" not in admin.list_keyspaces()
    with pytest.raises(DataAPIResponseException) as exc:
        db.list_table_names()
    assert error_code(exc.value) == "UNKNOWN_KEYSPACE"
