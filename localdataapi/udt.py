"""User-defined types: the `_types` catalog and createType / listTypes / alterType / dropType.

A type's fields are stored in declaration order; UDT values are stored positionally (see
coltypes.encode_udt), so a rename is a catalog-only change and an added field reads as null in
existing rows, as in Cassandra.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from localdataapi.coltypes import SCALAR_TYPES, UDT, ColumnType, parse_column_type
from localdataapi.errors import TITLES, ApiError, fmt_names
from localdataapi.schema import check_schema_name

if TYPE_CHECKING:
    from localdataapi.schema import TableSchema
    from localdataapi.storage import KeyspaceStore

OK: dict[str, Any] = {"status": {"ok": 1}}
# Primitive types a field may use (Astra refuses collections, vectors, nested UDTs, timeuuid, counter).
FIELD_TYPES = tuple(sorted(SCALAR_TYPES - {"timeuuid"}))
_DDL = "CREATE TABLE IF NOT EXISTS _types (name TEXT PRIMARY KEY, definition TEXT NOT NULL)"

TITLES.update(
    {
        ("SCHEMA", "CANNOT_ADD_EXISTING_TYPE"): "Type with the same name exists in the keyspace schema",
        ("SCHEMA", "CANNOT_DROP_UNKNOWN_TYPE"): "Dropped type is not defined in the keyspace schema",
        ("SCHEMA", "CANNOT_DROP_TYPE_USED_BY_TABLE"): "Type cannot be dropped if used by tables",
        ("SCHEMA", "CANNOT_ADD_EXISTING_FIELD"): "Field with the same name are defined in the type definition",
        ("SCHEMA", "CANNOT_RENAME_UNKNOWN_TYPE_FIELD"): "Field cannot be renamed if it is not defined in the type",
        ("SCHEMA", "MISSING_ALTER_TYPE_OPERATIONS"): "Alter type command must include operations",
        ("SCHEMA", "MISSING_FIELDS_FOR_TYPE_CREATION"): "At least one field is required for type creation",
        ("SCHEMA", "UNSUPPORTED_TYPE_FIELDS"): "Type definition contains unsupported fields.",
        ("SCHEMA", "UNKNOWN_USER_DEFINED_TYPE"): "User defined type is unknown",
        ("SCHEMA", "INVALID_USER_DEFINED_TYPE_NAME"): "User defined type name is not valid.",
        ("DATABASE", "INVALID_DATABASE_QUERY"): "Invalid database query",
    }
)

# ---------------------------------------------------------------- catalog


def load_types(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """Type name -> [(field, kind), ...]; an older keyspace file without `_types` has none."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_types'").fetchone()
    if not exists:
        return {}
    rows = conn.execute("SELECT name, definition FROM _types").fetchall()
    return {name: [(f, k) for f, k in json.loads(d)["fields"]] for name, d in rows}


def _save(conn: sqlite3.Connection, name: str, fields: list[tuple[str, str]]) -> None:
    conn.execute(_DDL)
    conn.execute(
        "INSERT OR REPLACE INTO _types (name, definition) VALUES (?, ?)",
        (name, json.dumps({"fields": [list(f) for f in fields]})),
    )


def resolve_columns(
    keyspace: str, columns: dict[str, ColumnType], types: dict[str, list[tuple[str, str]]], strict: bool
) -> dict[str, ColumnType]:
    """Fill in the fields of every UDT used by the columns; `strict` refuses unknown types."""
    out = {}
    for col, ct in columns.items():
        if ct.holds_udt:
            fields = types.get(ct.udt_name or "")
            if fields is None and strict:
                raise ApiError(
                    "SCHEMA",
                    "UNKNOWN_USER_DEFINED_TYPE",
                    "The column uses a user defined type that is not known.\n\n"
                    f"Unknown type {keyspace}.{ct.udt_name}\n\n"
                    "Resend the command using a known user defined type.",
                )
            ct = dataclasses.replace(ct, fields=tuple(fields or ()), udt_keyspace=keyspace)
        out[col] = ct
    return out


def resolve_schema(keyspace: str, schema: TableSchema, types: dict[str, list[tuple[str, str]]]) -> None:
    schema.columns = resolve_columns(keyspace, schema.columns, types, strict=False)


# ---------------------------------------------------------------- commands


def _parse_fields(raw: Any, missing_ok: bool = False) -> list[tuple[str, str]]:
    if not isinstance(raw, dict) or not raw:
        if missing_ok:
            return []
        raise ApiError(
            "SCHEMA",
            "MISSING_FIELDS_FOR_TYPE_CREATION",
            "The type definition must have at least one field.\n\nResend the command providing at least one field.",
        )
    parsed = {name: parse_column_type(t) for name, t in raw.items()}
    bad = sorted({ct.kind for ct in parsed.values() if ct.kind not in FIELD_TYPES})
    if bad:
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_TYPE_FIELDS",
            "The command attempted to create a user defined type with field definitions that use unsupported types."
            "\n\n"
            f"The supported field data types are: {', '.join(FIELD_TYPES)}.\n"
            f"The command used the unsupported types: {', '.join(bad)}.\n\n"
            "Resend the command using only supported field data types.",
        )
    for name in parsed:
        check_schema_name("field", name)
    return [(name, ct.kind) for name, ct in parsed.items()]


def _opts(payload: dict[str, Any]) -> dict[str, Any]:
    opts = payload.get("options") or {}
    return opts if isinstance(opts, dict) else {}


def create_type(store: KeyspaceStore, payload: dict[str, Any]) -> dict[str, Any]:
    name = check_schema_name("type", payload.get("name"))
    definition = payload.get("definition")
    fields = _parse_fields(definition.get("fields") if isinstance(definition, dict) else None)
    with store.writer() as conn:
        if name in load_types(conn):
            if _opts(payload).get("ifNotExists"):
                return OK
            raise ApiError(
                "SCHEMA",
                "CANNOT_ADD_EXISTING_TYPE",
                "The command attempted to add a type that already exists in the keyspace schema.\n\n"
                f"The command attempted to add the existing type: {name}.\n\n"
                "Resend the command using a type name that does not exist in the keyspace.",
            )
        _save(conn, name, fields)
    return OK


def describe_type(keyspace: str, name: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    """listTypes' explained form: the full inline definition, with the non-frozen UDT's apiSupport."""
    return ColumnType(UDT, udt_name=name, fields=tuple(fields), udt_keyspace=keyspace).describe(dml=True)


def list_types(store: KeyspaceStore, payload: dict[str, Any]) -> dict[str, Any]:
    with store.reader() as conn:
        types = load_types(conn)
    names = sorted(types)
    if _opts(payload).get("explain"):
        return {"status": {"types": [describe_type(store.name, n, types[n]) for n in names]}}
    return {"status": {"types": names}}


def _unknown_type(store: KeyspaceStore, name: str, command: str) -> ApiError:
    # Astra passes the database's rejection through for an unknown type.
    return ApiError(
        "DATABASE",
        "INVALID_DATABASE_QUERY",
        "The Data API command generated a database query that while syntactically correct, was rejected as "
        "invalid by the database.\n\n"
        f"The command used the keyspace and table or collection: {store.name}.{name}.\n"
        f"The database error: {command} of unknown type {store.name}.{name}.\n\n"
        "Retrying the command will likely result in the same error.",
    )


def alter_type(store: KeyspaceStore, payload: dict[str, Any]) -> dict[str, Any]:
    name = str(payload.get("name"))
    rename = (payload.get("rename") or {}).get("fields") if isinstance(payload.get("rename"), dict) else None
    add = _parse_fields((payload.get("add") or {}).get("fields"), missing_ok=True) if payload.get("add") else []
    if not rename and not add:
        raise ApiError(
            "SCHEMA",
            "MISSING_ALTER_TYPE_OPERATIONS",
            "The `alterType` command must contain at least one operation to alter the type schema, such as adding "
            "or renaming fields.\n\nResend the command including changes to the type.",
        )
    with store.writer() as conn:
        fields = load_types(conn).get(name)
        if fields is None:
            raise _unknown_type(store, name, "Cannot alter type")
        fields = _renamed(name, fields, rename or {})
        fields = _added(name, fields, add)
        _save(conn, name, fields)
        store.invalidate()  # tables using the type re-resolve their fields
    return OK


def _renamed(name: str, fields: list[tuple[str, str]], rename: dict[str, Any]) -> list[tuple[str, str]]:
    current = [f for f, _ in fields]
    for old in rename:
        if old not in current:
            raise ApiError(
                "SCHEMA",
                "CANNOT_RENAME_UNKNOWN_TYPE_FIELD",
                "The command attempted to rename a field that is not defined in the named type.\n\n"
                f"The command altered the type: {name}.\nThe unknown field was: {old}.\n\n"
                "Resend the command using only fields defined in the type.",
            )
    renamed = [(str(rename.get(f, f)), k) for f, k in fields]
    _check_duplicates(name, [f for f, _ in renamed])
    return renamed


def _added(name: str, fields: list[tuple[str, str]], add: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged = fields + add
    _check_duplicates(name, [f for f, _ in merged])
    return merged


def _check_duplicates(name: str, field_names: list[str]) -> None:
    dupes = sorted({f for f in field_names if field_names.count(f) > 1})
    if dupes:
        raise ApiError(
            "SCHEMA",
            "CANNOT_ADD_EXISTING_FIELD",
            "The command attempted to add a field with a name that already exists in the type definition.\n\n"
            f"The command altered the type: {name}.\nThe existing field name was: {dupes[0]}.\n\n"
            "Resend the command using only new field names.",
        )


def drop_type(store: KeyspaceStore, payload: dict[str, Any]) -> dict[str, Any]:
    name = str(payload.get("name"))
    with store.writer() as conn:
        if name not in load_types(conn):
            if _opts(payload).get("ifExists"):
                return OK
            raise ApiError(
                "SCHEMA",
                "CANNOT_DROP_UNKNOWN_TYPE",
                "The command attempted to drop a type that is not in the keyspace schema.\n\n"
                f"The command attempted to drop the unknown type: {name}.\n\n"
                "Resend the command using a type that exists in the keyspace.",
            )
        users = sorted(t.name for t in store.tables().values() if any(c.udt_name == name for c in t.columns.values()))
        if users:
            raise ApiError(
                "SCHEMA",
                "CANNOT_DROP_TYPE_USED_BY_TABLE",
                "The command attempted to drop a type that is used by tables.\n\n"
                f"The command attempted to drop the type: {name}.\n"
                f"The command is used by the tables: {fmt_names(users)}.\n\n"
                "Resend the command using a type that is not used by a table.",
            )
        conn.execute("DELETE FROM _types WHERE name = ?", (name,))
    return OK


COMMANDS = {"createType": create_type, "listTypes": list_types, "alterType": alter_type, "dropType": drop_type}
