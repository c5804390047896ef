"""Command dispatch for the three endpoint levels: /v1, /v1/{keyspace}, /v1/{keyspace}/{table}."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from localdataapi import ddl, textddl, udt
from localdataapi.errors import ApiError, internal_error_response
from localdataapi.reads import build_query, response_status, run_query
from localdataapi.schema import NAME_RE, TableSchema
from localdataapi.storage import KeyspaceStore, Storage
from localdataapi.writes import delete_many, delete_one, insert_documents, update_one

log = logging.getLogger(__name__)

TABLE_COMMANDS = (
    "alterTable",
    "createIndex",
    "createTextIndex",
    "createVectorIndex",
    "deleteMany",
    "deleteOne",
    "find",
    "findOne",
    "insertMany",
    "insertOne",
    "listIndexes",
    "updateOne",
)
COLLECTION_ONLY = (
    "countDocuments",
    "estimatedDocumentCount",
    "updateMany",
    "findOneAndUpdate",
    "findOneAndReplace",
    "findOneAndDelete",
    "findAndRerank",
    "distinct",
)
KEYSPACE_COMMANDS = (
    "createTable",
    "dropTable",
    "listTables",
    "dropIndex",
    "findCollections",
    *udt.COMMANDS,
)
ADMIN_COMMANDS = ("createKeyspace", "findKeyspaces", "dropKeyspace")

Handler = Callable[[KeyspaceStore, TableSchema, dict[str, Any]], dict[str, Any]]


def _split(body: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(body, dict) or len(body) != 1:
        raise ApiError(
            "",
            "REQUEST_STRUCTURE_MISMATCH",
            "Request is valid JSON but has a structural mismatch: the request body must be an object with exactly one "
            "command.\n"
            "\nResend request with valid structure.",
        )
    ((name, payload),) = body.items()
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ApiError(
            "",
            "REQUEST_STRUCTURE_MISMATCH",
            f"Request is valid JSON but has a structural mismatch: command '{name}' must have an object value.",
        )
    return name, payload


def _unknown(name: str, kind: str, known: tuple[str, ...]) -> ApiError:
    return ApiError(
        "",
        "COMMAND_UNKNOWN",
        f"Command '{name}' is not a {kind} recognized by Data API.\n\n"
        f"Data API supports following {kind}s: {', '.join(known)}.\n\nResend using one of the supported commands.",
    )


def execute(storage: Storage, keyspace: str | None, table: str | None, body: Any) -> dict[str, Any]:
    """Run one command and return the JSON response (errors become `{"errors": [...]}`)."""
    try:
        name, payload = _split(body)
        if keyspace is None:
            return _admin(storage, name, payload)
        store = storage.get(keyspace)
        if table is None:
            return _keyspace_level(store, name, payload)
        return _table_level(store, table, name, payload)
    except ApiError as err:
        return {"errors": [err.as_dict()]}
    except sqlite3.Error as exc:
        log.exception("storage failure")
        return internal_error_response(exc)


def _admin(storage: Storage, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    if name == "findKeyspaces":
        return {"status": {"keyspaces": storage.keyspace_names()}}
    if name not in ("createKeyspace", "dropKeyspace"):
        raise _unknown(name, "GeneralCommand", ADMIN_COMMANDS)
    ks = payload.get("name")
    if not isinstance(ks, str) or not NAME_RE.match(ks):
        raise ApiError("SCHEMA", "INVALID_KEYSPACE", f"Keyspace used is not valid: {ks}")
    if name == "createKeyspace":
        storage.create(ks)  # idempotent, as on Astra/HCD
    else:
        storage.drop(ks)
    return {"status": {"ok": 1}}


def _keyspace_level(store: KeyspaceStore, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    handlers: dict[str, Callable[[KeyspaceStore, dict[str, Any]], dict[str, Any]]] = {
        "createTable": ddl.create_table,
        "dropTable": ddl.drop_table,
        "listTables": ddl.list_tables,
        "dropIndex": ddl.drop_index,
        "findCollections": lambda _s, _p: {"status": {"collections": []}},
        **udt.COMMANDS,
    }
    handler = handlers.get(name)
    if handler is None:
        raise _unknown(name, "KeyspaceCommand", KEYSPACE_COMMANDS)
    return handler(store, payload)


def _table_level(store: KeyspaceStore, table: str, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    handler = TABLE_HANDLERS.get(name)
    if handler is None:
        if name in COLLECTION_ONLY:
            raise ApiError(
                "",
                "UNSUPPORTED_TABLE_COMMAND",
                "The command is not supported by tables in the API.  \n\n"
                f"The commands supported by tables are: {', '.join(TABLE_COMMANDS)}.\n\n"
                f"The unsupported command ran against the table: {store.name}.{table}\n"
                f"The unsupported command was: {name}.\n\nResend using one of the supported commands.",
            )
        raise _unknown(name, "CollectionCommand", TABLE_COMMANDS)
    schema = store.table(table)
    try:
        return handler(store, schema, payload)
    except ApiError as err:
        err.message = err.message.replace("{ks}", store.name)
        raise


# ---------------------------------------------------------------- table handlers


# Rows in one insertMany (the Data API's operations.max-document-insert-count; clients send chunks of 20-50).
MAX_INSERT_MANY = 100
_MAX_VALUE_CHARS = 1000  # how much of an invalid value a constraint error quotes


def _constraint_value(value: list[Any]) -> str:
    """A list as the Data API quotes an invalid command field: Java's List.toString of the JSON nodes,
    cut at 1,000 characters."""
    text = "[" + ", ".join(json.dumps(item, separators=(",", ":")) for item in value) + "]"
    if len(text) <= _MAX_VALUE_CHARS:
        return f'"{text}"'
    return f'"{text[:_MAX_VALUE_CHARS]}"...[TRUNCATED from {len(text)} to {_MAX_VALUE_CHARS} characters]'


def _insert_one(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    outcome = insert_documents(store, schema, [payload.get("document")], ordered=True)
    if outcome.errors:
        raise outcome.errors[0]
    return {"status": {"primaryKeySchema": schema.pk_schema(), "insertedIds": outcome.inserted}}


def _insert_many(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    docs = payload.get("documents")
    if not isinstance(docs, list) or not docs:
        raise ApiError(
            "",
            "REQUEST_STRUCTURE_MISMATCH",
            "Request is valid JSON but has a structural mismatch: 'documents' must be a non-empty array.",
        )
    if len(docs) > MAX_INSERT_MANY:
        raise ApiError(
            "",
            "COMMAND_FIELD_VALUE_INVALID",
            f"Command field 'command.documents' value {_constraint_value(docs)} not valid: amount of documents "
            f"to insert is over the max limit ({len(docs)} vs {MAX_INSERT_MANY}).\n\nResend command with valid value.",
        )
    options = payload.get("options") or {}
    outcome = insert_documents(store, schema, docs, ordered=bool(options.get("ordered", False)))
    status: dict[str, Any] = {"primaryKeySchema": schema.pk_schema()}
    if options.get("returnDocumentResponses"):
        status["documentResponses"] = outcome.responses
    else:
        status["insertedIds"] = outcome.inserted
    response: dict[str, Any] = {"status": status}
    if outcome.errors:
        response["errors"] = [e.as_dict() for e in outcome.errors]
    return response


def _find(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    q = build_query(store, schema, payload, single=False)
    page = run_query(q)
    return {"data": {"documents": page.rows, "nextPageState": page.next_state}, "status": response_status(q)}


def _find_one(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    q = build_query(store, schema, payload, single=True)
    page = run_query(q)
    return {"data": {"document": page.rows[0] if page.rows else None}, "status": response_status(q)}


def _update_one(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    update_one(store, schema, payload)
    return {"status": {"matchedCount": 1, "modifiedCount": 1}}


def _delete_one(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    delete_one(store, schema, payload)
    return {"status": {"deletedCount": -1}}


def _delete_many(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> dict[str, Any]:
    delete_many(store, schema, payload)
    return {"status": {"deletedCount": -1}}


TABLE_HANDLERS: dict[str, Handler] = {
    "insertOne": _insert_one,
    "insertMany": _insert_many,
    "find": _find,
    "findOne": _find_one,
    "updateOne": _update_one,
    "deleteOne": _delete_one,
    "deleteMany": _delete_many,
    "createIndex": lambda st, sc, p: ddl.create_index(st, sc, p, vector=False),
    "createVectorIndex": lambda st, sc, p: ddl.create_index(st, sc, p, vector=True),
    "createTextIndex": textddl.create_text_index,
    "listIndexes": lambda _st, sc, p: ddl.list_indexes(sc, p),
    "alterTable": ddl.alter_table,
}
