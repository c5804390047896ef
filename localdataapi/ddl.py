"""Schema commands: tables, columns and indexes."""

from __future__ import annotations

import copy
from typing import Any

from localdataapi import udt
from localdataapi.coltypes import parse_column_type, vectorize_unavailable
from localdataapi.creatable import check_creatable
from localdataapi.errors import ApiError, fmt_names
from localdataapi.schema import (
    VECTOR_METRICS,
    IndexDef,
    TableSchema,
    check_schema_name,
    parse_table_definition,
    qcol,
    qtable,
)
from localdataapi.storage import (
    KeyspaceStore,
    create_index_sql,
    create_table_sql,
    drop_index_sql,
    drop_table_sql,
    save_table_definition,
)
from localdataapi.vectormodels import source_model

OK: dict[str, Any] = {"status": {"ok": 1}}


def _opts(payload: dict[str, Any]) -> dict[str, Any]:
    opts = payload.get("options") or {}
    return opts if isinstance(opts, dict) else {}


def create_table(store: KeyspaceStore, payload: dict[str, Any], cql: bool = False) -> dict[str, Any]:
    """`cql=True` stands for a table made with CQL: types the Data API cannot create are allowed."""
    name = check_schema_name("table", payload.get("name"))
    schema = parse_table_definition(name, payload.get("definition"))
    if not cql:
        check_creatable(schema.columns, alter=False)
    with store.writer() as conn:
        schema.columns = udt.resolve_columns(store.name, schema.columns, udt.load_types(conn), strict=True)
        if name in store.tables():
            if _opts(payload).get("ifNotExists"):
                return OK
            raise ApiError(
                "SCHEMA",
                "CANNOT_ADD_EXISTING_TABLE",
                "The command attempted to add a table that already exists in the keyspace schema.\n\n"
                f"The command attempted to add the existing table: {name}.\n\n"
                "Resend the command using a table name that does not exist in the keyspace.",
            )
        create_table_sql(conn, schema)
        store.invalidate()
    return OK


def drop_table(store: KeyspaceStore, payload: dict[str, Any]) -> dict[str, Any]:
    name = payload.get("name")
    with store.writer() as conn:
        schema = store.tables().get(str(name))
        if schema is None:
            if _opts(payload).get("ifExists"):
                return OK
            raise ApiError(
                "SCHEMA",
                "CANNOT_DROP_UNKNOWN_TABLE",
                "The command attempted to drop a table that is not in the keyspace schema.\n\n"
                f"The command attempted to drop the unknown table: {name}.\n\n"
                "Resend the command using a table that exists in the keyspace.",
            )
        drop_table_sql(conn, schema)
        store.invalidate()
    store.bump(str(name))
    return OK


def list_tables(store: KeyspaceStore, payload: dict[str, Any]) -> dict[str, Any]:
    tables = sorted(store.tables().values(), key=lambda t: t.name)
    if _opts(payload).get("explain"):
        return {"status": {"tables": [t.describe() for t in tables]}}
    return {"status": {"tables": [t.name for t in tables]}}


def _find_index(store: KeyspaceStore, name: str) -> IndexDef | None:
    for schema in store.tables().values():
        if name in schema.indexes:
            return schema.indexes[name]
    return None


def drop_index(store: KeyspaceStore, payload: dict[str, Any]) -> dict[str, Any]:
    name = str(payload.get("name"))
    with store.writer() as conn:
        idx = _find_index(store, name)
        if idx is None:
            if _opts(payload).get("ifExists"):
                return OK
            raise ApiError(
                "SCHEMA",
                "CANNOT_DROP_UNKNOWN_INDEX",
                "The command attempted to drop an index that is not in the keyspace schema.\n\n"
                f"The command attempted to drop the unknown index: {name}.\n\n"
                "Resend the command using an index that exists in the keyspace.",
            )
        drop_index_sql(conn, idx)
        store.invalidate()
    return OK


def _index_target(schema: TableSchema, raw: Any) -> tuple[str, str | None]:
    if isinstance(raw, str):
        return raw, None
    if isinstance(raw, dict) and len(raw) == 1:
        ((col, target),) = raw.items()
        if target in ("$keys", "$values") and isinstance(col, str):
            return col, target
    raise ApiError(
        "SCHEMA", "INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN", "Command has an invalid format for index creation column."
    )


def _unknown_index_column(store: KeyspaceStore, schema: TableSchema, col: str) -> ApiError:
    return ApiError(
        "SCHEMA",
        "UNKNOWN_INDEX_COLUMN",
        "The command attempted to create an index on a column that is not in the table schema.\n\n"
        "Indexes can only be created on existing columns.\n\n"
        f"The table {store.name}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
        f"The command attempted to index the unknown columns: {col}.\n\n"
        "Resend the command using only columns defined in the table schema.",
    )


def create_index(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any], vector: bool) -> dict[str, Any]:
    name = check_schema_name("index", payload.get("name"))
    definition = payload.get("definition") or {}
    col, target = _index_target(schema, definition.get("column"))
    if col not in schema.columns:
        raise _unknown_index_column(store, schema, col)
    options = dict(definition.get("options") or {})
    idx = (_vector_index if vector else _regular_index)(store, schema, name, col, target, options)
    with store.writer() as conn:
        if _find_index(store, name) is not None:
            if _opts(payload).get("ifNotExists"):
                return OK
            raise ApiError(
                "SCHEMA",
                "CANNOT_ADD_EXISTING_INDEX",
                "The command attempted to add an index that already exists in the keyspace schema.\n\n"
                f"The command attempted to add the existing index: {name}.\n\n"
                "Resend the command using an index name that does not exist in the keyspace.",
            )
        create_index_sql(conn, schema, idx)
        store.invalidate()
    return OK


def _regular_index(
    store: KeyspaceStore, schema: TableSchema, name: str, col: str, target: str | None, options: dict[str, Any]
) -> IndexDef:
    ct = schema.columns[col]
    if ct.is_vector or ct.is_udt:  # a non-frozen UDT column cannot be indexed
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_INDEXING_FOR_DATA_TYPES",
            "The command attempted to create an index on a column that uses a data type not supported for indexing.\n"
            "\n"
            "Regular indexes can only be created on primitive data types such as `text` and `int`, collection data "
            "types such as 'map', 'set' and 'list', vector columns can be indexed using the createVectorIndex "
            "command.\n"
            f"\nThe table {store.name}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The command attempted to index the unsupported columns: {col}.",
        )
    if target and ct.kind != "map":
        raise ApiError(
            "SCHEMA",
            "INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN",
            f"Command has an invalid format for index creation column: '{target}' can only be used on map columns.",
        )
    textual = ct.kind in ("text", "ascii") or (ct.is_collection and (ct.value_type in ("text", "ascii")))
    if textual:
        options = {"ascii": False, "caseSensitive": True, "normalize": False, **options}
    return IndexDef(name, schema.name, col, "regular", options, target)


def _vector_index(
    store: KeyspaceStore, schema: TableSchema, name: str, col: str, target: str | None, options: dict[str, Any]
) -> IndexDef:
    if not schema.columns[col].is_vector or target:
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES",
            "The command attempted to create a vector index on a column that is not a `vector` type.\n\n"
            f"The table {store.name}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The command attempted to vector index the unsupported columns: {col}.",
        )
    model, model_metric = source_model(options.get("sourceModel"))
    metric = str(options.get("metric") or model_metric).lower()
    if metric not in VECTOR_METRICS:
        raise ApiError(
            "SCHEMA",
            "UNKNOWN_VECTOR_METRIC",
            "The command attempted to create an vector index using a metric that is not known by the API.\n\n"
            f"The known metrics are: {fmt_names(VECTOR_METRICS)}.\n"
            f"The command attempted to use the metric: {options.get('metric')}.\n\n"
            "Resend the command using a known metric.",
        )
    return IndexDef(name, schema.name, col, "vector", {"metric": metric, "sourceModel": model})


def list_indexes(schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    indexes = sorted(schema.indexes.values(), key=lambda i: i.name)
    if _opts(payload).get("explain"):
        return {"status": {"indexes": [i.describe() for i in indexes]}}
    return {"status": {"indexes": [i.name for i in indexes]}}


def alter_table(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    operation = payload.get("operation")
    if not isinstance(operation, dict) or len(operation) != 1:
        raise ApiError(
            "SCHEMA",
            "MISSING_ALTER_TABLE_OPERATIONS",
            "The `alterTable` command must contain at least one operation to alter the table schema, such as adding "
            "or dropping columns.\n"
            f"\nThe command included the empty operation: {operation}\n\n"
            "Resend the command including changes to the table.",
        )
    ((op, body),) = operation.items()
    body = body if isinstance(body, dict) else {}
    if op == "add":
        return _add_columns(store, schema, body.get("columns") or {})
    if op == "drop":
        return _drop_columns(store, schema, body.get("columns") or [])
    if op == "addVectorize":
        columns = body.get("columns")
        raise vectorize_unavailable(next(iter(columns.values()), None) if isinstance(columns, dict) else None)
    raise ApiError(
        "",
        "COMMAND_FIELD_UNKNOWN",
        f"Command field 'operation.{op}' not recognized: vectorize is not available on this server.\n\n"
        "Resend command with valid command fields.",
    )


def _add_columns(store: KeyspaceStore, schema: TableSchema, columns: dict[str, Any]) -> dict[str, Any]:
    if not columns:
        raise ApiError(
            "SCHEMA",
            "MISSING_ALTER_TABLE_OPERATIONS",
            "The `alterTable` command must contain at least one operation to alter the table schema, such as adding "
            "or dropping columns.",
        )
    existing = [c for c in columns if c in schema.columns]
    if existing:
        raise ApiError(
            "SCHEMA",
            "CANNOT_ADD_EXISTING_COLUMNS",
            "Column names must be unique in the table schema.\n\n"
            f"The table {store.name}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The request included the following duplicate columns: {fmt_names(existing)}.\n\n"
            "Resend the command using only new columns.",
        )
    added = {c: parse_column_type(t) for c, t in columns.items()}
    check_creatable(added, alter=True)
    new = copy.deepcopy(schema)
    with store.writer() as conn:
        new.columns.update(udt.resolve_columns(store.name, added, udt.load_types(conn), strict=True))
        for col in columns:
            conn.execute(f"ALTER TABLE {qtable(schema.name)} ADD COLUMN {qcol(col)}")
        save_table_definition(conn, new)
        store.invalidate()
    return OK


def _drop_columns(store: KeyspaceStore, schema: TableSchema, columns: list[str]) -> dict[str, Any]:
    table = f"{store.name}.{schema.name}"
    unknown = [c for c in columns if c not in schema.columns]
    if unknown:
        raise ApiError(
            "SCHEMA",
            "CANNOT_DROP_UNKNOWN_COLUMNS",
            "The command attempted to drop columns that are not in the table schema.\n\n"
            f"The table {table} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The command attempted to drop the unknown columns: {fmt_names(unknown)}.",
        )
    pk = [c for c in columns if c in schema.pk]
    if pk:
        raise ApiError(
            "SCHEMA",
            "CANNOT_DROP_PRIMARY_KEY_COLUMNS",
            "Primary key columns cannot be dropped from the table schema.\n\n"
            f"The table {table} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The table has the primary keys: {fmt_names(schema.pk)}.\n"
            f"The command attempted to drop the primary key columns: {fmt_names(pk)}.",
        )
    indexed = [c for c in columns if any(i.column == c for i in schema.indexes.values())]
    if indexed:
        raise ApiError(
            "SCHEMA",
            "CANNOT_DROP_INDEXED_COLUMNS",
            "Columns that are indexed cannot be dropped from the table schema.\n\n"
            f"The table {table} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"And has indexes on the columns: {fmt_names(sorted({i.column for i in schema.indexes.values()}))}.\n"
            f"The command attempted to drop the indexed columns: {fmt_names(indexed)}.",
        )
    new = copy.deepcopy(schema)
    for col in columns:
        del new.columns[col]
    with store.writer() as conn:
        for col in columns:
            conn.execute(f"ALTER TABLE {qtable(schema.name)} DROP COLUMN {qcol(col)}")
        save_table_definition(conn, new)
        store.invalidate()
    store.bump(schema.name)
    return OK
