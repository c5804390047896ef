"""Sort clauses: regular (clustering-order or in-memory) and vector sorts, with Astra's rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from localdataapi import lexical
from localdataapi.coltypes import vector_as_floats
from localdataapi.errors import ApiError, fmt_names, inefficient_sort_text, warning
from localdataapi.filters import FilterInfo, partition_eq
from localdataapi.lexical import LexicalSort
from localdataapi.schema import TableSchema

MAX_VECTOR_LIMIT = 1000


@dataclass
class SortPlan:
    kind: str  # "none" | "native" | "memory" | "vector" | "lexical"
    order: list[tuple[str, bool]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    vector_column: str = ""
    vector: np.ndarray | None = None
    metric: str = "cosine"
    lexical: LexicalSort | None = None  # kind "lexical": BM25 sort on a text index


def plan_sort(keyspace: str, schema: TableSchema, raw: Any, info: FilterInfo, skip: int | None) -> SortPlan:
    if raw is None or raw == {}:
        if skip:
            return SortPlan("memory", schema.natural_order(), [_skip_warning()])
        return SortPlan("none", schema.natural_order())
    if not isinstance(raw, dict):
        raise ApiError(
            "SORT",
            "SORT_CLAUSE_INVALID",
            "Sort clause used by command not valid.\n"
            f"Problem: sort clause must be an object, not {type(raw).__name__}.",
        )
    unknown = [c for c in raw if c not in schema.columns]
    if unknown:
        raise ApiError(
            "SORT",
            "CANNOT_SORT_UNKNOWN_COLUMNS",
            "The command attempted to sort using columns that are not in the table schema.\n\n"
            f"The table {keyspace}.{schema.name} "
            f"defines the columns: {fmt_names(schema.column_order())}.\n"
            f"The command attempted to sort the unknown columns: {fmt_names(unknown)}.",
        )
    lexical_sort = lexical.plan(keyspace, schema, raw, skip)
    if lexical_sort is not None:
        return SortPlan("lexical", lexical=lexical_sort)
    vector_keys = [c for c, v in raw.items() if isinstance(v, list | dict | str)]
    if vector_keys:
        return _plan_vector(keyspace, schema, raw, vector_keys, skip)
    return _plan_regular(keyspace, schema, raw, info, skip)


def _plan_regular(
    keyspace: str, schema: TableSchema, raw: dict[str, Any], info: FilterInfo, skip: int | None
) -> SortPlan:
    for direction in raw.values():
        if isinstance(direction, bool) or direction not in (1, -1):
            raise ApiError(
                "SORT",
                "INVALID_REGULAR_SORT_EXPRESSION",
                f"The command attempted to use unsupported JSON expression `{direction}` (type "
                f"{type(direction).__name__}) for sort clause.\n"
                "\n"
                "A regular sort expression in the sort clause identifies the column by name and then provides either: "
                " \n"
                "- `1` for ascending\n- `-1` for descending",
            )
    sort_cols = list(raw)
    code = _in_memory_reason(schema, raw, info)
    if code is None and skip:
        code = "IN_MEMORY_SORTING_DUE_SKIP_OPTIONS"
    if code is None:
        reverse = raw[sort_cols[0]] != dict(schema.partition_sort)[sort_cols[0]]
        return SortPlan("native", [(c, desc != reverse) for c, desc in schema.natural_order()])
    order = [(c, raw[c] < 0) for c in sort_cols]
    return SortPlan("memory", order, [_sort_warning(keyspace, schema, code, sort_cols)])


def _in_memory_reason(schema: TableSchema, raw: dict[str, Any], info: FilterInfo) -> str | None:
    """None when the sort is the clustering order (or its exact reverse) inside one partition."""
    sort_cols = list(raw)
    clustering = schema.clustering
    if any(c not in clustering for c in sort_cols):
        return "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING"
    if not partition_eq(schema, info):
        return "IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED"
    if set(sort_cols) != set(clustering[: len(sort_cols)]):
        return "IN_MEMORY_SORTING_DUE_TO_MISSING_PARTITION_SORTING"
    declared = dict(schema.partition_sort)
    flips = {raw[c] != declared[c] for c in sort_cols}
    if sort_cols != clustering[: len(sort_cols)] or len(flips) > 1:
        return "IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING"
    return None


def _skip_warning() -> dict[str, Any]:
    return warning("IN_MEMORY_SORTING_DUE_SKIP_OPTIONS", "Sorting uses skip option, performing as in memory sort")


def _sort_warning(keyspace: str, schema: TableSchema, code: str, sort_cols: list[str]) -> dict[str, Any]:
    if code == "IN_MEMORY_SORTING_DUE_SKIP_OPTIONS":
        return _skip_warning()
    table = f"{keyspace}.{schema.name}"
    sorting = fmt_names(schema.clustering)
    texts = {
        "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING": (
            "The command used columns in the sort clause that are not part of the partition sorting, and so the query "
            "was sorted in memory.\n"
            "\n"
            f"The table {table} has the partition sorting columns: {sorting}.\n"
            f"The command sorted on the columns: {fmt_names(sort_cols)}."
        ),
        "IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED": (
            "The command wants to perform sort, however the filter clause does not have partition keys correctly "
            "restricted.\n"
            "\n"
            "When sorting by the partition sorting columns, partition keys needs to restricted by $eq in filter "
            "clause.\n"
            "\n"
            f"The table {table} has the partition keys: {fmt_names(schema.partition_by)}.\n"
            f"The table {table} has the partition sorting columns: {sorting}.\n"
            f"The sort clause used the columns (in order) : {fmt_names(sort_cols)}."
        ),
        "IN_MEMORY_SORTING_DUE_TO_MISSING_PARTITION_SORTING": (
            "The command used columns in the sort clause that are all part of the partition sorting, however the sort "
            "clause was missing some of the partition sorting columns.\n"
            "\n"
            "When sorting by the partition sorting columns, if a column is skipped then all following columns must "
            "also be skipped.\n"
            "\n"
            f"The table {table} has the partition sorting columns: {sorting}.\n"
            f"The sort clause skipped a column and then included the columns : {fmt_names(sort_cols)}."
        ),
        "IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING": (
            "The command used columns in the sort clause that are all part of the partition sorting, however the sort "
            "clause used a different column order to the partition sorting.\n"
            "\n"
            "When sorting by the partition sorting columns, the columns must be in the same order as the partition "
            "sorting.\n"
            "\n"
            f"The table {table} has the partition sorting columns: {sorting}.\n"
            f"The sort clause used the columns (in order) : {fmt_names(sort_cols)}."
        ),
    }
    return warning(code, f"{texts[code]}\n\n{inefficient_sort_text()}")


def _plan_vector(
    keyspace: str, schema: TableSchema, raw: dict[str, Any], vector_keys: list[str], skip: int | None
) -> SortPlan:
    table = f"{keyspace}.{schema.name}"
    vector_cols = [c for c, t in schema.columns.items() if t.is_vector]
    if len(vector_keys) > 1:
        raise ApiError(
            "SORT",
            "CANNOT_SORT_ON_MULTIPLE_VECTORS",
            "The command used a sort clause with more than one vector sort, only one vector sort is allowed.\n\n"
            f"The table {table} defines the vector columns: {fmt_names(vector_cols)}.\n"
            f"The command attempted to vector sort on the columns: {fmt_names(vector_keys)}.",
        )
    col = vector_keys[0]
    if len(raw) > 1:
        others = [c for c in raw if c != col]
        raise ApiError(
            "SORT",
            "CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS",
            "The command attempted to vector sort vector columns and other non vector columns.\n\n"
            f"The table {table} defines the vector columns: {fmt_names(vector_cols)}.\n"
            f"The command attempted to sort the vector columns: {col}.\n"
            f"The command attempted to sort the non-vector columns: {fmt_names(others)}.",
        )
    ct = schema.columns[col]
    if not ct.is_vector:
        raise ApiError(
            "SORT",
            "CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS",
            "The command attempted to vector sort on a column that is not of `vector` type.\n\n"
            f"The table {table} defines vector columns: {fmt_names(vector_cols)}.\n"
            f"The command attempted to sort the non-vector columns: {col}.",
        )
    if isinstance(raw[col], str):
        raise ApiError(
            "SORT",
            "CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION",
            "Vectorize sort can only be used with columns that have a vectorize configuration. \n\n"
            f"The table {table} defines the vector columns with vectorize definition: [].\n"
            f"The command included the following vector columns without vectorize definition: {col}.",
        )
    idx = schema.vector_index(col)
    if idx is None:
        indexed = [i.column for i in schema.indexes.values() if i.kind == "vector"]
        raise ApiError(
            "SORT",
            "CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS",
            "The command attempted to vector sort vector columns that are not indexed.\n\n"
            "Vector sorting is only supported on vector columns that have been indexed.\n\n"
            f"The table {table} defines the vector columns: {fmt_names(vector_cols)}.\n"
            f"And has indexes on the vector columns: {fmt_names(indexed)}.\n"
            f"The command attempted to sort vector columns: {col}.\n\n"
            "Resend the command using only indexed vector columns.",
        )
    if skip:
        raise ApiError(
            "SORT",
            "CANNOT_VECTOR_SORT_WITH_SKIP_OPTION",
            "The command attempted to vector sort columns along with skip option set. \n\n"
            "Resend the command without the skip option.",
        )
    vector = _query_vector(table, schema, col, raw[col])
    return SortPlan("vector", vector_column=col, vector=vector, metric=str(idx.options.get("metric", "cosine")))


def _query_vector(table: str, schema: TableSchema, col: str, value: Any) -> np.ndarray:
    ct = schema.columns[col]
    try:
        return vector_as_floats(ct, value)
    except ValueError as exc:
        if "dimension" in str(exc):
            n = len(value) if isinstance(value, list) else "?"
            raise ApiError(
                "SORT",
                "CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS",
                "The command attempted to vector sort vector columns with a mismatched vector dimension.\n"
                f"Target vector column is `{col}`, which has a dimension of `{ct.dimension}`.\n"
                f"The command provided a vector with a dimension of `{n}`.",
            ) from exc
        raise ApiError(
            "SORT",
            "INVALID_VECTOR_SORT_EXPRESSION",
            f"The command attempted to use unsupported JSON type ({type(value).__name__}) "
            "for vector or vectorize sort.",
        ) from exc


def check_vector_limit(plan: SortPlan, limit: int | None) -> None:
    if plan.lexical is not None:
        lexical.check_limit(plan.lexical, limit)
    if plan.kind == "vector" and limit is not None and limit > MAX_VECTOR_LIMIT:
        raise ApiError(
            "SORT",
            "CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX",
            "The command attempted to vector sort columns with a limit that exceeds the maximum allowed.\n\n"
            f"Vector sorting is limited to a maximum of {MAX_VECTOR_LIMIT} rows.\n"
            f"The command attempted to sort the vector column: {plan.vector_column} with a limit of {limit}.\n\n"
            f"Resend the command using a limit of {MAX_VECTOR_LIMIT} or less.",
        )
