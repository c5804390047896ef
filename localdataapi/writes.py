"""insertOne / insertMany / updateOne / deleteOne / deleteMany with Cassandra write semantics."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from localdataapi.coltypes import ColumnType, encode_element, encode_map_pairs, map_pairs, sort_map, sort_set
from localdataapi.errors import ApiError, fmt_names
from localdataapi.filters import Cmp, Logical, analyse, iter_cmps, parse_filter, pk_issues, to_sql
from localdataapi.rows import EncodedRow, encode_columns, encode_document
from localdataapi.schema import TableSchema, qcol, qtable
from localdataapi.storage import KeyspaceStore

UPDATE_OPS = ("$set", "$unset", "$push", "$pullAll")
KNOWN_UNSUPPORTED_OPS = ("$inc", "$min", "$max", "$mul", "$rename", "$currentDate", "$setOnInsert", "$addToSet", "$pop")

# ---------------------------------------------------------------- inserts


def _upsert_sql(schema: TableSchema, cols: list[str], marker: int) -> str:
    names = ", ".join(qcol(c) for c in cols)
    pk = ", ".join(qcol(c) for c in schema.pk)
    sets = [f"{qcol(c)} = excluded.{qcol(c)}" for c in cols if c not in schema.pk]
    # An INSERT sets the row marker (row stays visible with all-null columns); an UPDATE does not.
    sets.append("_marker = 1" if marker else "_marker = _marker")
    return (
        f"INSERT INTO {qtable(schema.name)} ({names}, _marker) VALUES ({', '.join('?' * len(cols))}, {marker}) "  # noqa: S608
        f"ON CONFLICT ({pk}) DO UPDATE SET {', '.join(sets)}"
    )


def write_rows(conn: sqlite3.Connection, schema: TableSchema, rows: list[EncodedRow]) -> None:
    for row in rows:
        cols = list(row.values)
        conn.execute(_upsert_sql(schema, cols, 1), [row.values[c] for c in cols])


@dataclass
class InsertOutcome:
    inserted: list[list[Any]]  # PK values of rows written, in request order
    responses: list[dict[str, Any]]  # documentResponses
    errors: list[ApiError]


def insert_documents(store: KeyspaceStore, schema: TableSchema, docs: list[Any], ordered: bool) -> InsertOutcome:
    out = InsertOutcome([], [], [])
    good: list[EncodedRow] = []
    for doc in docs:
        if ordered and out.errors:
            out.responses.append({"_id": _raw_pk(schema, doc), "status": "SKIPPED"})
            continue
        try:
            row = encode_document(store.name, schema, doc)
        except ApiError as err:
            out.responses.append({"_id": _raw_pk(schema, doc), "status": "ERROR", "errorsIdx": [len(out.errors)]})
            out.errors.append(err)
            continue
        good.append(row)
        out.inserted.append(row.pk_api)
        out.responses.append({"_id": row.pk_api, "status": "OK"})
    if good:
        with store.writer() as conn:
            write_rows(conn, schema, good)
        store.bump(schema.name)
    return out


def _raw_pk(schema: TableSchema, doc: Any) -> list[Any]:
    return [doc.get(c) for c in schema.pk] if isinstance(doc, dict) else []


# ---------------------------------------------------------------- filters for single-row writes


def _filter_error(code: str, text: str) -> ApiError:
    return ApiError("FILTER", code, text)


def single_row_key(store: KeyspaceStore, schema: TableSchema, raw: Any) -> dict[str, Any]:
    """Encoded full primary key from an updateOne/deleteOne filter (only $eq on every PK column)."""
    root = parse_filter(schema, raw)
    cmps = iter_cmps(root)
    table = f"{store.name}.{schema.name}"
    if not cmps:
        raise _filter_error(
            "MISSING_FILTER_FOR_UPDATE_DELETE",
            "Update and delete commands for tables require a filter.\n\n"
            f"The table {table} defines the primary keys: {fmt_names(schema.pk)}.\n\n"
            "Resend the command using a filter.",
        )
    _check_pk_only(schema, table, cmps)
    non_eq = sorted({c.column for c in cmps if c.op != "$eq"} | _or_columns(root))
    if non_eq:
        raise _filter_error(
            "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE",
            "The Filtering using the non `$eq` filter operations can select more than one row, and so cannot be used "
            "with the `updateOne` and `deleteOne` commands as they can only modify one row.\n"
            f"\nThe command used an invalid filter on the columns: {fmt_names(non_eq)}.\n\n"
            "Resend the command only using `$eq` filters.",
        )
    given = {c.column: c for c in cmps}
    missing = [c for c in schema.pk if c not in given]
    if missing:
        raise _filter_error(
            "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE",
            "The `updateOne` and `deleteOne`commands can only filter using the fully specify the primary key for the "
            "table.\n"
            f"\nThe table {table} defines the primaryKeys: {fmt_names(schema.pk)}.\n"
            f"The filter was missing the primary key columns: {fmt_names(missing)}.\n\n"
            "Resend the command using a filter that fully specifies the primary key to identify a single row.",
        )
    params: list[Any] = []
    for col in schema.pk:  # reuse the filter encoder for its INVALID_FILTER_COLUMN_VALUES errors
        to_sql(schema, given[col], params)
    return dict(zip(schema.pk, params, strict=True))


def _or_columns(root: Logical) -> set[str]:
    return {c.column for item in root.items if isinstance(item, Logical) and item.op == "$or" for c in iter_cmps(item)}


def _check_pk_only(schema: TableSchema, table: str, cmps: list[Cmp]) -> None:
    non_pk = sorted({c.column for c in cmps if c.column not in schema.pk})
    if non_pk:
        raise _filter_error(
            "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE",
            "The Update or delete commands can only filter using columns that are part of the primary key.\n\n"
            f"The table {table} defines the primaryKeys: {fmt_names(schema.pk)}.\n"
            f"The filter used the non primary key columns: {fmt_names(non_pk)}\n\n"
            "Resend the command using with a filter that only uses the primary key columns.",
        )


# ---------------------------------------------------------------- deletes


def delete_one(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> None:
    _no_sort(payload, "DELETE")
    key = single_row_key(store, schema, payload.get("filter"))
    where = " AND ".join(f"{qcol(c)} = ?" for c in key)
    with store.writer() as conn:
        conn.execute(f"DELETE FROM {qtable(schema.name)} WHERE {where}", list(key.values()))  # noqa: S608
    store.bump(schema.name)


def delete_many(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> None:
    _no_sort(payload, "DELETE")
    root = parse_filter(schema, payload.get("filter"))
    cmps = iter_cmps(root)
    params: list[Any] = []
    where = "1"
    if cmps:  # an empty filter truncates the table
        table = f"{store.name}.{schema.name}"
        _check_pk_only(schema, table, cmps)
        missing, out_of_order = pk_issues(schema, analyse(root))
        if missing or out_of_order or _or_columns(root) or any(c.op in ("$ne", "$nin") for c in cmps):
            raise _filter_error(
                "INVALID_PRIMARY_KEY_FILTER",
                "The command requires a filter on the primary key that specifies all of the partitioning keys, and "
                "the partition sort keys in order.\n"
                "\nIf a partition sort key is excluded, then all following partition sort keys must be excluded. \n\n"
                f"The table {table} defines the primary keys: {fmt_names(schema.pk)}.\n\n"
                f"The filter has the following issues: \n  - Missing Partition Keys: {fmt_names(missing)}.\n"
                f"  - Out of order Partition Sort Keys: {fmt_names(out_of_order)}.",
            )
        where = to_sql(schema, root, params)
    with store.writer() as conn:
        conn.execute(f"DELETE FROM {qtable(schema.name)} WHERE {where}", params)  # noqa: S608
    store.bump(schema.name)


def _no_sort(payload: dict[str, Any], kind: str) -> None:
    if payload.get("sort"):
        noun = "delete" if kind == "DELETE" else "update"
        raise ApiError(
            "SORT",
            f"UNSUPPORTED_SORT_FOR_TABLE_{kind}_COMMAND",
            f"The command attempted to sort a {noun} command running against a table.",
        )


# ---------------------------------------------------------------- updates


def _update_error(code: str, text: str) -> ApiError:
    return ApiError("UPDATE", code, text)


def parse_update(store: KeyspaceStore, schema: TableSchema, raw: Any) -> dict[str, dict[str, Any]]:
    table = f"{store.name}.{schema.name}"
    if not isinstance(raw, dict) or not any(isinstance(v, dict) and v for v in raw.values()):
        raise _update_error(
            "MISSING_UPDATE_OPERATIONS",
            "The command did not include any non empty update operations to change the columns in the table.\n\n"
            f"Supported update operations are {fmt_names(UPDATE_OPS)}.\n\n"
            "Resend the command using at least one update operation.",
        )
    bad_ops = [op for op in raw if op not in UPDATE_OPS]
    if bad_ops:
        raise _update_error(
            "UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE",
            "The command included update operations that are not supported by tables.\n\n"
            f"API tables support the update operations: {fmt_names(UPDATE_OPS)}.\n"
            f"The update included the unsupported operations: {fmt_names(bad_ops)}.\n\n"
            "Resend the command using only supported update operations.",
        )
    ops = {op: dict(v) for op, v in raw.items() if isinstance(v, dict)}
    cols = [c for v in ops.values() for c in v]
    _check_update_columns(schema, table, cols)
    for op in ("$push", "$pullAll"):
        scalar = [c for c in ops.get(op, {}) if not schema.columns[c].is_collection]
        if scalar:
            raise _update_error(
                "UNSUPPORTED_UPDATE_OPERATOR",
                "Only update operators that are supported by the column type can be used in the update clause.\n\n"
                "Note, $push and $pullAll are only supported against map, set, list columns.\n\n"
                f"The table {table} defines the columns: {fmt_names(schema.column_order())}.\n"
                f"The command used the update operator: {op}.\n"
                f"The operation was not supported by the columns: {fmt_names(scalar)}.",
            )
    return ops


def _check_update_columns(schema: TableSchema, table: str, cols: list[str]) -> None:
    unknown = [c for c in cols if c not in schema.columns]
    if unknown:
        raise _update_error(
            "UNKNOWN_TABLE_COLUMNS",
            "Only columns defined in the table schema can be updated.\n\n"
            f"The table {table} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The update included the following unknown columns: {fmt_names(unknown)}.\n\n"
            "Resend the command using only defined columns.",
        )
    pk = [c for c in cols if c in schema.pk]
    if pk:
        raise _update_error(
            "UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS",
            "Columns in the primary key for the table cannot be updated. \n\n"
            "This includes both the partitioning keys and the partitioning sort keys. \n\n"
            f"The table {table} defines the primary keys: {fmt_names(schema.pk)}.\n"
            f"The update included the following primary keys: {fmt_names(pk)}.\n\n"
            "Resend the command without updating primary key columns.",
        )
    dupes = sorted({c for c in cols if cols.count(c) > 1})
    if dupes:
        raise _update_error(
            "UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS",
            "The command included multiple update operations that attempted to change the same column. For example, "
            "attempting to both $set and $unset a column.\n"
            f"\nMultiple assignments attempted to change the columns: {fmt_names(dupes)}.\n\n"
            "Resend the command using a single update operation for each column.",
        )


def _invalid_update(keyspace: str, schema: TableSchema, bad: list[str]) -> ApiError:
    return _update_error(
        "INVALID_UPDATE_COLUMN_VALUES",
        "Only values that are supported by the column data type can be included when updating.\n\n"
        f"The table {keyspace}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
        f"The update included invalid values for the columns: {', '.join(bad)}.\n\n"
        "Resend the command using only supported column values.",
    )


def update_one(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any]) -> None:
    _no_sort(payload, "UPDATE")
    key = single_row_key(store, schema, payload.get("filter"))
    ops = parse_update(store, schema, payload.get("update"))
    assigned = encode_columns(store.name, schema, ops.get("$set", {}), _invalid_update)
    assigned.update({c: None for c in ops.get("$unset", {})})
    with store.writer() as conn:
        current = _current_row(conn, schema, key)
        for col, value in ops.get("$push", {}).items():
            assigned[col] = _apply_collection(store.name, schema, col, current.get(col), value, push=True)
        for col, value in ops.get("$pullAll", {}).items():
            assigned[col] = _apply_collection(store.name, schema, col, current.get(col), value, push=False)
        _store_update(conn, schema, key, assigned, current)
    store.bump(schema.name)


def _current_row(conn: sqlite3.Connection, schema: TableSchema, key: dict[str, Any]) -> dict[str, Any]:
    others = [c for c in schema.columns if c not in schema.pk]
    cols = ", ".join([*(qcol(c) for c in others), "_marker"])
    where = " AND ".join(f"{qcol(c)} = ?" for c in key)
    row = conn.execute(f"SELECT {cols} FROM {qtable(schema.name)} WHERE {where}", list(key.values())).fetchone()  # noqa: S608
    if row is None:
        return {}
    return {**dict(zip(others, row[:-1], strict=True)), "_marker": row[-1], "_exists": True}


def _store_update(
    conn: sqlite3.Connection,
    schema: TableSchema,
    key: dict[str, Any],
    assigned: dict[str, Any],
    current: dict[str, Any],
) -> None:
    merged = {c: v for c, v in current.items() if not c.startswith("_")}
    merged.update(assigned)
    all_null = all(v is None for v in merged.values())
    where = " AND ".join(f"{qcol(c)} = ?" for c in key)
    if not current.get("_exists"):
        if not all_null:  # Cassandra: an UPDATE creates a row only through non-null cells
            cols = [*key, *assigned]
            conn.execute(_upsert_sql(schema, cols, 0), [*key.values(), *assigned.values()])
        return
    if all_null and not current.get("_marker"):
        conn.execute(f"DELETE FROM {qtable(schema.name)} WHERE {where}", list(key.values()))  # noqa: S608
        return
    sets = ", ".join(f"{qcol(c)} = ?" for c in assigned)
    conn.execute(f"UPDATE {qtable(schema.name)} SET {sets} WHERE {where}", [*assigned.values(), *key.values()])  # noqa: S608


def _apply_collection(keyspace: str, schema: TableSchema, col: str, stored: Any, value: Any, push: bool) -> Any:
    ct = schema.columns[col]
    items = json.loads(stored) if stored else []
    try:
        result = _push(ct, items, value) if push else _pull(ct, items, value)
    except ApiError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise _invalid_update(keyspace, schema, [f"{col}({ct.kind}): {exc}"]) from exc
    return json.dumps(result, separators=(",", ":")) if result else None


def _push(ct: ColumnType, items: list[Any], value: Any) -> list[Any]:
    each = value["$each"] if isinstance(value, dict) and "$each" in value else None
    if each is not None and not isinstance(each, list):
        raise _update_error(
            "INVALID_PUSH_OPERATOR_USAGE", "The command has invalid usage of $push operator, $each must be an array."
        )
    if ct.kind == "map":
        entries = each if each is not None else [value]
        pairs = [p for e in entries for p in map_pairs([e] if isinstance(e, list) else e)]
        merged = {json.dumps(k): [k, v] for k, v in items}
        merged.update({json.dumps(k): [k, v] for k, v in encode_map_pairs(ct, pairs)})
        return sort_map(ct, list(merged.values()))
    new = [encode_element(ct, v) for v in (each if each is not None else [value])]
    if ct.kind == "list":
        return items + new
    return sort_set(ct, items + new)  # set union, in Cassandra's element order


def _pull(ct: ColumnType, items: list[Any], value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("$pullAll needs an array")
    drop = {json.dumps(encode_element(ct, v)) for v in value}
    if ct.kind == "map":  # $pullAll on a map removes entries by key
        return [p for p in items if json.dumps(p[0]) not in drop]
    return [v for v in items if json.dumps(v) not in drop]
