"""Filter clauses: parsing, SQL translation and the analysis behind Astra's warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from localdataapi import textindex
from localdataapi.coltypes import (
    ColumnType,
    analyse_text,
    encode_element,
    encode_map_pairs,
    encode_map_value,
    encode_value,
    sql_param,
)
from localdataapi.errors import ApiError, fmt_names, inefficient_filter_text, warning
from localdataapi.schema import TableSchema, qcol

SCALAR_OPS = {"$eq": "=", "$ne": "!=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
LIST_OPS = ("$in", "$nin")
MAX_IN_VALUES = 100  # values in one $in / $nin (the Data API's operations.max-in-operator-value-size)
COLLECTION_OPS = ("$in", "$nin", "$all")
RANGE_OPS = ("$gt", "$gte", "$lt", "$lte")
EQUALITY_OPS = ("$eq", "$ne", "$in", "$nin")


@dataclass
class Cmp:
    column: str
    op: str
    value: Any
    target: str | None = None  # map columns: "$keys" / "$values"; None = entries


@dataclass
class Logical:
    op: str  # "$and" | "$or"
    items: list[Node] = field(default_factory=list)


Node = Cmp | Logical


def _invalid(msg: str) -> ApiError:
    return ApiError(
        "FILTER",
        "FILTER_INVALID_EXPRESSION",
        f"Unsupported filter clause: {msg}.\n\nResend the command using only supported filter expressions and paths.",
    )


def parse_filter(schema: TableSchema, raw: Any) -> Logical:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _invalid("filter clause must be an object")
    root = _parse_object(schema, raw)
    _check_columns(schema, root)
    return root


def _parse_object(schema: TableSchema, raw: dict[str, Any]) -> Logical:
    node = Logical("$and")
    for key, value in raw.items():
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
                raise _invalid(f"'{key}' operator must have an array of objects as value")
            node.items.append(Logical(key, [_parse_object(schema, v) for v in value]))
        elif key.startswith("$"):
            raise ApiError(
                "FILTER",
                "FILTER_UNSUPPORTED_OPERATOR",
                f"Unsupported filter operator '{key}'.\n\nResend the command using only supported operators.",
            )
        else:
            node.items.extend(_parse_column(schema, key, value))
    return node


def _is_op_object(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, str) and k.startswith("$") for k in value)


def _check_list_size(op: str, operand: Any) -> None:
    """The Data API's `maxInOperatorValueSize` (100): checked as the filter is read, on any column."""
    if op in LIST_OPS and isinstance(operand, list) and len(operand) > MAX_IN_VALUES:
        raise _invalid(f"'{op}' operator must have at most {MAX_IN_VALUES} values")


def _parse_column(schema: TableSchema, column: str, value: Any) -> list[Cmp]:
    ct = schema.columns.get(column)
    if not _is_op_object(value):
        return [Cmp(column, "$eq", value)]
    out: list[Cmp] = []
    for op, operand in value.items():
        if op in ("$keys", "$values") and ct is not None and ct.kind == "map":
            if not _is_op_object(operand):
                raise _collection_error(f"'{op}' needs an object with $in, $nin or $all")
            for sub, sub_operand in operand.items():
                _check_list_size(sub, sub_operand)
                out.append(Cmp(column, sub, sub_operand, op))
        elif op in SCALAR_OPS or op in COLLECTION_OPS or op == "$match":
            _check_list_size(op, operand)
            out.append(Cmp(column, op, operand))
        elif ct is not None and ct.is_collection:  # e.g. $exists on a set: Astra's map/set/list error
            raise _collection_error(
                f"Invalid filter operator '{op}' for column '{column}', allowed operators are $in, $nin, $all"
            )
        else:
            raise ApiError(
                "FILTER",
                "FILTER_UNSUPPORTED_OPERATOR",
                f"Unsupported filter operator '{op}' on column '{column}'.\n\n"
                "Resend the command using only supported operators.",
            )
    return out


def iter_cmps(node: Node) -> list[Cmp]:
    if isinstance(node, Cmp):
        return [node]
    return [c for item in node.items for c in iter_cmps(item)]


def _check_columns(schema: TableSchema, root: Logical) -> None:
    cmps = iter_cmps(root)
    unknown = sorted({c.column for c in cmps if c.column not in schema.columns})
    if unknown:
        raise ApiError(
            "FILTER",
            "UNKNOWN_TABLE_COLUMNS",
            "Only columns defined in the table schema can be filtered on.\n\n"
            f"The table {{ks}}.{schema.name} defines the columns: "
            f"{fmt_names(schema.column_order())}.\n"
            f"The filter included the following unknown columns: {fmt_names(unknown)}.\n\n"
            "Resend the command using only defined columns.",
        )
    vectors = sorted({c.column for c in cmps if schema.columns[c.column].is_vector or schema.columns[c.column].is_udt})
    if vectors:
        raise ApiError(
            "FILTER",
            "UNSUPPORTED_FILTERING_FOR_COLUMN_TYPES",
            "Filtering is only supported on primitive data types such as `text` not on container types such as "
            "`list`, `set`, `map`, or `vector`.\n"
            "\n"
            f"The table {{ks}}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The request included unsupported filters on the columns: {fmt_names(vectors)}.",
        )


def _collection_error(reason: str) -> ApiError:
    return ApiError(
        "FILTER",
        "INVALID_MAP_SET_LIST_FILTER",
        f"Command has an invalid filter, {reason}.\n\n"
        "Supported filter operators for map, set, list are '$in', '$nin', '$all'.",
    )


# ---------------------------------------------------------------- SQL


def to_sql(schema: TableSchema, node: Node, params: list[Any]) -> str:
    """Translate a filter tree into a SQL boolean expression, appending bound parameters."""
    if isinstance(node, Cmp):
        return _cmp_sql(schema, node, params)
    if not node.items:
        return "1"
    joiner = " AND " if node.op == "$and" else " OR "
    return "(" + joiner.join(to_sql(schema, n, params) for n in node.items) + ")"


def _encode_filter_value(schema: TableSchema, column: str, fn: Any, value: Any) -> Any:
    try:
        return fn(value)
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        ct = schema.columns[column]
        raise ApiError(
            "FILTER",
            "INVALID_FILTER_COLUMN_VALUES",
            "Only values that are supported by the column data type can be included when filtering.\n\n"
            f"The table {{ks}}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The command included the column {column} that has {ct.kind} type defined ({exc}).",
        ) from exc


def _cmp_sql(schema: TableSchema, cmp: Cmp, params: list[Any]) -> str:
    if cmp.op == "$match":  # lexical match through the column's text index
        return textindex.match_sql(schema, cmp.column, cmp.value, params)
    ct = schema.columns[cmp.column]
    if ct.is_collection:
        return _collection_sql(schema, ct, cmp, params)
    col = qcol(cmp.column)
    flags = schema.text_flags(cmp.column) if ct.kind in ("text", "ascii") and cmp.op in EQUALITY_OPS else ""

    def enc(v: Any) -> Any:
        return analyse_text(_encode_filter_value(schema, cmp.column, lambda x: encode_value(ct, x), v), flags)

    if flags:  # an analysed index matches on the normalised text, as SAI does
        col = f"kv_analyse({col}, '{flags}')"
    if cmp.op in ("$in", "$nin"):
        values = _operand_list(cmp)
        if not values:
            return "0" if cmp.op == "$in" else "1"
        params.extend(enc(v) for v in values)
        return f"{col} {'IN' if cmp.op == '$in' else 'NOT IN'} ({','.join('?' * len(values))})"
    if ct.kind == "duration" and cmp.op in RANGE_OPS:
        raise ApiError(
            "FILTER",
            "UNSUPPORTED_COMPARISON_FILTER_AGAINST_DURATION",
            "Filtering using the comparison operations ($lt, $gt, $lte, $gte) is not supported against `duration` "
            "column types.\n\n"
            f"The table {{ks}}.{schema.name} defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The request used a comparison operation on duration columns: {cmp.column}.",
        )
    if cmp.op == "$all":
        raise _collection_error(f"'$all' is only supported on map, set and list columns (column '{cmp.column}')")
    if cmp.value is None and cmp.op in ("$eq", "$ne"):
        return f"{col} IS {'NOT ' if cmp.op == '$ne' else ''}NULL"
    params.append(enc(cmp.value))
    return f"{col} {SCALAR_OPS[cmp.op]} ?"


def _operand_list(cmp: Cmp) -> list[Any]:
    if not isinstance(cmp.value, list):
        raise _invalid(f"'{cmp.op}' operator must have an array value (column '{cmp.column}')")
    return cmp.value


def _collection_sql(schema: TableSchema, ct: ColumnType, cmp: Cmp, params: list[Any]) -> str:
    if cmp.op not in COLLECTION_OPS:
        raise _collection_error(f"operator '{cmp.op}' cannot be used on the {ct.kind} column '{cmp.column}'")
    values = _operand_list(cmp)
    matchers = [_element_matcher(schema, ct, cmp, v, params) for v in values]
    src = f"json_each({qcol(cmp.column)})"
    if cmp.op == "$all":
        return (
            "(" + " AND ".join(f"EXISTS (SELECT 1 FROM {src} WHERE {m})" for m in matchers) + ")" if matchers else "1"  # noqa: S608
        )
    if not matchers:
        return "0" if cmp.op == "$in" else "1"
    exists = f"EXISTS (SELECT 1 FROM {src} WHERE {' OR '.join(matchers)})"  # noqa: S608
    return exists if cmp.op == "$in" else f"NOT {exists}"


def _element_matcher(schema: TableSchema, ct: ColumnType, cmp: Cmp, value: Any, params: list[Any]) -> str:
    enc = lambda fn, v: _encode_filter_value(schema, cmp.column, fn, v)  # noqa: E731
    if ct.kind != "map":
        params.append(sql_param(enc(lambda v: encode_element(ct, v), value)))
        return "value = ?"
    if cmp.target == "$keys":
        params.append(enc(lambda v: encode_element(ct, v), value))
        return "json_extract(value, '$[0]') = ?"
    if cmp.target == "$values":
        params.append(sql_param(enc(lambda v: encode_map_value(ct, v), value)))
        return "json_extract(value, '$[1]') = ?"
    pairs = enc(
        lambda v: encode_map_pairs(ct, [tuple(v)] if isinstance(v, list) and len(v) == 2 else list(v.items())), value
    )
    params.extend(sql_param(x) for x in pairs[0])
    return "(json_extract(value, '$[0]') = ? AND json_extract(value, '$[1]') = ?)"


# ---------------------------------------------------------------- analysis


@dataclass
class FilterInfo:
    empty: bool
    columns: set[str]
    top: dict[str, list[Cmp]]  # AND-ed at the top level (not under $or)


def analyse(root: Logical) -> FilterInfo:
    top: dict[str, list[Cmp]] = {}
    _collect_top(root, top)
    cols = {c.column for c in iter_cmps(root)}
    return FilterInfo(empty=not cols, columns=cols, top=top)


def _collect_top(node: Logical, top: dict[str, list[Cmp]]) -> None:
    for item in node.items:
        if isinstance(item, Cmp):
            top.setdefault(item.column, []).append(item)
        elif item.op == "$and" or len(item.items) == 1:
            # A single-branch $or is equivalent to its branch.
            _collect_top(item, top)


def eq_value(info: FilterInfo, column: str) -> tuple[bool, Any]:
    """Whether the column is restricted by a single top-level $eq, and its raw value."""
    cmps = info.top.get(column, [])
    if len(cmps) == 1 and cmps[0].op == "$eq":
        return True, cmps[0].value
    return False, None


def partition_eq(schema: TableSchema, info: FilterInfo) -> bool:
    return all(eq_value(info, c)[0] for c in schema.partition_by)


def _restricts_only(cmps: list[Cmp], ops: tuple[str, ...]) -> bool:
    return bool(cmps) and all(c.op in ops for c in cmps)


def pk_issues(schema: TableSchema, info: FilterInfo) -> tuple[list[str], list[str]]:
    """(missing partition keys, out-of-order clustering keys) for a primary-key based read."""
    missing = [c for c in schema.partition_by if not _restricts_only(info.top.get(c, []), ("$eq", "$in"))]
    out_of_order: list[str] = []
    open_prefix = True
    for col in schema.clustering:
        cmps = info.top.get(col, [])
        if not cmps:
            open_prefix = False
            continue
        if not open_prefix or not _restricts_only(cmps, ("$eq", "$in", *RANGE_OPS)):
            out_of_order.append(col)
        elif any(c.op in RANGE_OPS for c in cmps):
            open_prefix = False
    return missing, out_of_order


def filter_warnings(keyspace: str, schema: TableSchema, info: FilterInfo) -> list[dict[str, Any]]:
    if info.empty:
        return [_zero_filter_warning(keyspace, schema)]
    out = []
    pk = set(schema.pk)
    indexed = schema.indexed_columns()
    unindexed = sorted(c for c in info.columns if c not in pk and c not in indexed)
    if unindexed:
        out.append(_missing_index_warning(keyspace, schema, unindexed))
    pk_used = [c for c in schema.pk if c in info.columns and c not in indexed]
    missing, out_of_order = pk_issues(schema, info)
    under_or = any(c in info.columns and c not in info.top for c in schema.pk)
    if pk_used and (missing or out_of_order or under_or):
        out.append(_incomplete_pk_warning(keyspace, schema, missing, out_of_order))
    return out


def _pk_text(schema: TableSchema) -> str:
    sort = ", ".join(f"{c}({'ASC' if d > 0 else 'DESC'})" for c, d in schema.partition_sort)
    return f"({', '.join(schema.partition_by)}){sort and ', ' + sort}"


def _zero_filter_warning(keyspace: str, schema: TableSchema) -> dict[str, Any]:
    return warning(
        "ZERO_FILTER_OPERATIONS",
        "Zero filters were provided in the filter for this query. \n\n"
        "Providing zero filters will return all rows in the table, "
        "which may have poor performance when the table is large. For the best performance, include one or more "
        "filters using "
        f"the primary key or indexes.\n\nThe table {keyspace}.{schema.name} has the primary key: {_pk_text(schema)}.\n"
        f"And has indexes on the columns: {fmt_names(sorted(schema.indexed_columns()))}.\n\n"
        f"{inefficient_filter_text()}",
    )


def _missing_index_warning(keyspace: str, schema: TableSchema, cols: list[str]) -> dict[str, Any]:
    return warning(
        "MISSING_INDEX",
        "The filter includes columns that are not indexed. \n\n"
        f"The table {keyspace}.{schema.name} has the primary key: "
        f"{_pk_text(schema)}.\nAnd has indexes on the columns: {fmt_names(sorted(schema.indexed_columns()))}.\n"
        f"The request filtered on the un-indexed columns: {fmt_names(cols)}.\n\n"
        "Note: There may be a small delay in newly "
        "created indexes propagating through the system, this warning may be ignored if the column(s) were recently "
        "indexed."
        f"\n\n{inefficient_filter_text()}",
    )


def _incomplete_pk_warning(keyspace: str, schema: TableSchema, missing: list[str], ooo: list[str]) -> dict[str, Any]:
    return warning(
        "INCOMPLETE_PRIMARY_KEY_FILTER",
        "The filter only specified columns from the primary key, but did not specify the full primary key for the "
        "table.  \n"
        "\n"
        f"The table {keyspace}.{schema.name} defines the primary keys: {_pk_text(schema)}.\n"
        "The filter has the following issues: \n"
        f"  - Missing Partition Keys: {fmt_names(missing)}.\n  - Out of order Partition Sort Keys: {fmt_names(ooo)}.\n"
        "\n"
        "For the best performance, filter on all partition columns and optionally on clustering columns in the order "
        "they "
        f"are specified. \n\n{inefficient_filter_text()}",
    )
