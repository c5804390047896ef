"""The `createTextIndex` command (text indexes for `$match` and lexical sort)."""

from __future__ import annotations

from typing import Any

from localdataapi import ddl, textindex
from localdataapi.errors import ApiError
from localdataapi.schema import IndexDef, TableSchema, check_schema_name
from localdataapi.storage import KeyspaceStore, create_index_sql

INDEX_TYPES = ("regular", "text", "vector")


def _check_index_type(raw: Any) -> None:
    if raw is None or raw == "text":
        return
    if raw not in INDEX_TYPES:
        raise ApiError(
            "SCHEMA",
            "UNKNOWN_INDEX_TYPE",
            "The command attempted to create an index using an unknown type.\n\n"
            f"The known index types are: {', '.join(INDEX_TYPES)}.\n"
            f"The command used the unknown index type: {raw}.\n\n"
            "Resend the command using a known index type.",
        )
    raise ApiError(
        "SCHEMA",
        "UNSUPPORTED_INDEX_TYPE",
        "The command attempted to create an index using an unsupported type.\n\n"
        "The `indexType` field in the various `createIndex` commands is optional can be safely omitted. It is "
        "included in the output of `listIndexes` command to make it clear what type the indexes are, to make it "
        "clear which type of `createIndex` command can be used to re-create the index.\n\n"
        "The supported index types are: text.\n"
        f"The command used the unsupported index type: {raw}.\n\n"
        "Resend the command using a supported index type.",
    )


def create_text_index(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    name = check_schema_name("index", payload.get("name"))
    _check_index_type(payload.get("indexType"))
    definition = payload.get("definition") or {}
    column = definition.get("column")
    if not isinstance(column, str):
        raise ApiError(
            "SCHEMA",
            "INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN",
            "Command has an invalid format for index creation column: a text index takes a column name.",
        )
    if column not in schema.columns:
        raise ddl._unknown_index_column(store, schema, column)
    textindex.check_text_column(store.name, schema, column)
    raw_options = definition.get("options") or {}
    if not isinstance(raw_options, dict):
        raw_options = {}
    options = textindex.check_analyzer(store.name, schema, name, column, raw_options)
    idx = IndexDef(name, schema.name, column, "text", options)
    with store.writer() as conn:
        if ddl._find_index(store, name) is not None:
            if ddl._opts(payload).get("ifNotExists"):
                return ddl.OK
            raise ApiError(
                "SCHEMA",
                "CANNOT_ADD_EXISTING_INDEX",
                "The command attempted to add an index that already exists in the keyspace schema.\n\n"
                f"The command attempted to add the existing index: {name}.\n\n"
                "Resend the command using an index name that does not exist in the keyspace.",
            )
        create_index_sql(conn, schema, idx)  # builds the postings for the existing rows
        store.invalidate()
    return ddl.OK
