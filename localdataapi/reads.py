"""find / findOne execution."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from localdataapi import lexical
from localdataapi.coltypes import float32_list
from localdataapi.errors import ApiError, fmt_names
from localdataapi.filters import FilterInfo, Logical, analyse, filter_warnings, parse_filter, to_sql
from localdataapi.paging import after_key_sql, decode_state, encode_state, order_by_sql
from localdataapi.rows import RowDecoder, parse_projection, projection_schema
from localdataapi.schema import TableSchema, qcol, qtable
from localdataapi.sorting import MAX_VECTOR_LIMIT, SortPlan, check_vector_limit, plan_sort
from localdataapi.storage import KeyspaceStore
from localdataapi.vectors import get_matrix, top_k

PAGE_SIZE = 50
MAX_IN_MEMORY_ROWS = 10_000


@dataclass
class Query:
    store: KeyspaceStore
    schema: TableSchema
    root: Logical
    info: FilterInfo
    columns: list[str]
    plan: SortPlan
    limit: int | None = None
    skip: int | None = None
    page_state: Any = None
    include_similarity: bool = False
    include_sort_vector: bool = False
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Page:
    rows: list[dict[str, Any]]
    next_state: str | None = None


def _int_option(options: dict[str, Any], name: str) -> int | None:
    value = options.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(
            "",
            "COMMAND_FIELD_VALUE_INVALID",
            f"Command field 'options.{name}' value {value} not valid: must be a non-negative integer.\n\n"
            "Resend command with valid value.",
        )
    return value


def build_query(store: KeyspaceStore, schema: TableSchema, payload: dict[str, Any], single: bool) -> Query:
    options = payload.get("options") or {}
    root = parse_filter(schema, payload.get("filter"))
    info = analyse(root)
    limit = 1 if single else _int_option(options, "limit")
    skip = _int_option(options, "skip")
    plan = plan_sort(store.name, schema, payload.get("sort"), info, skip)
    check_vector_limit(plan, limit)
    q = Query(
        store,
        schema,
        root,
        info,
        parse_projection(store.name, schema, payload.get("projection")),
        plan,
        limit,
        skip,
        options.get("pageState"),
        bool(options.get("includeSimilarity")),
        bool(options.get("includeSortVector")),
    )
    if plan.kind != "vector" or not info.empty:
        q.warnings.extend(filter_warnings(store.name, schema, info))
    q.warnings.extend(plan.warnings)
    return q


def run_query(q: Query) -> Page:
    lexical.catch_up(q)
    if q.plan.kind == "vector":
        return _vector_page(q)
    if q.plan.kind == "lexical":
        return lexical.page(q)
    if q.plan.kind == "memory":
        return _memory_page(q)
    return _keyset_page(q)


def response_status(q: Query) -> dict[str, Any]:
    status: dict[str, Any] = {"projectionSchema": projection_schema(q.schema, q.columns)}
    if q.include_sort_vector and q.plan.vector is not None:  # Astra omits it without a vector sort
        status["sortVector"] = float32_list(q.plan.vector)
    if q.warnings:
        status["warnings"] = q.warnings
    return status


# ---------------------------------------------------------------- paths


def _where(q: Query, params: list[Any]) -> str:
    return to_sql(q.schema, q.root, params)


def _keyset_page(q: Query) -> Page:
    """Primary-key ordered read (whole table, one partition or its reverse) with keyset paging."""
    key_cols = [c for c, _ in q.plan.order]
    remaining = q.limit
    params: list[Any] = []
    where = _where(q, params)
    if q.page_state:
        key, remaining = decode_state(q.page_state, len(key_cols))
        where += " AND " + after_key_sql(q.plan.order, key, params)
    size = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
    if size <= 0:
        return Page([])
    decoder = RowDecoder(q.schema, q.columns)
    sql = (
        f"SELECT {', '.join(qcol(c) for c in key_cols)}, {decoder.select_sql()} FROM {qtable(q.schema.name)} "  # noqa: S608
        f"WHERE {where} ORDER BY {order_by_sql(q.plan.order)} LIMIT ?"
    )
    with q.store.reader() as conn:
        rows = conn.execute(sql, [*params, size + 1]).fetchall()
    n = len(key_cols)
    page = [decoder.decode(r[n:]) for r in rows[:size]]
    left = None if remaining is None else remaining - size
    more = len(rows) > size and (left is None or left > 0)
    return Page(page, encode_state(list(rows[size - 1][:n]), left) if more else None)


def _memory_page(q: Query) -> Page:
    if q.page_state:
        raise ApiError(
            "SORT",
            "UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING",
            "Pagination is not supported when the data is sorted in-memory.\n\n"
            f"The table {q.store.name}.{q.schema.name} has the "
            f"partition sorting columns: {fmt_names(q.schema.clustering)}.\nThe command sorted on the columns: "
            f"{fmt_names([c for c, _ in q.plan.order])}.\n\nResend the command without pagination.",
        )
    sort_cols = [c for c, _ in q.plan.order]
    params: list[Any] = []
    decoder = RowDecoder(q.schema, q.columns)
    sql = (
        f"SELECT {', '.join(qcol(c) for c in sort_cols)}, {decoder.select_sql()} FROM {qtable(q.schema.name)} "  # noqa: S608
        f"WHERE {_where(q, params)} LIMIT ?"
    )
    with q.store.reader() as conn:
        rows = conn.execute(sql, [*params, MAX_IN_MEMORY_ROWS + 1]).fetchall()
    if len(rows) > MAX_IN_MEMORY_ROWS:
        raise ApiError(
            "SORT",
            "OVERLOADED_SORT_ROW_LIMIT",
            f"The command used in-memory sorting which has a limit of {MAX_IN_MEMORY_ROWS} rows. \n\n"
            "Consult any warnings included in the response for how to improve the sort performance.\n\n"
            "Resend the command using a more specific filter to reduce the number of rows sorted.",
        )
    ordered = sorted(rows, key=functools.cmp_to_key(_row_comparator(q.plan.order)))
    start = q.skip or 0
    count = PAGE_SIZE if q.limit is None else min(PAGE_SIZE, q.limit)
    n = len(sort_cols)
    return Page([decoder.decode(r[n:]) for r in ordered[start : start + count]])


def _compare(a: Any, b: Any) -> int:
    # Nulls sort first (ascending), like missing values in the Data API's in-memory sort.
    if a is None or b is None:
        return (a is not None) - (b is not None)
    if isinstance(a, str) != isinstance(b, str):
        # A float column's NaN is stored as text; like Java's Double.compare it sorts after every number.
        return 1 if isinstance(a, str) else -1
    return (a > b) - (a < b)


def _row_comparator(order: list[tuple[str, bool]]) -> Any:
    def cmp(r1: tuple[Any, ...], r2: tuple[Any, ...]) -> int:
        for i, (_, desc) in enumerate(order):
            c = _compare(r1[i], r2[i])
            if c:
                return -c if desc else c
        return 0

    return cmp


def _vector_page(q: Query) -> Page:
    candidates = None
    if not q.info.empty:
        params: list[Any] = []
        with q.store.reader() as conn:
            sql = f"SELECT rowid FROM {qtable(q.schema.name)} WHERE {_where(q, params)}"  # noqa: S608
            candidates = [r[0] for r in conn.execute(sql, params)]
    matrix = get_matrix(q.store, q.schema, q.plan.vector_column)
    assert q.plan.vector is not None
    best = top_k(matrix, q.plan.vector, q.plan.metric, min(q.limit or MAX_VECTOR_LIMIT, MAX_VECTOR_LIMIT), candidates)
    return Page(_rows_by_rowid(q, best))


def _rows_by_rowid(q: Query, best: list[tuple[int, float]]) -> list[dict[str, Any]]:
    if not best:
        return []
    decoder = RowDecoder(q.schema, q.columns)
    ids = [rid for rid, _ in best]
    sql = (
        f"SELECT rowid, {decoder.select_sql()} FROM {qtable(q.schema.name)} WHERE rowid IN ({','.join('?' * len(ids))})"  # noqa: S608
    )
    with q.store.reader() as conn:
        found = {r[0]: decoder.decode(r[1:]) for r in conn.execute(sql, ids)}
    out = []
    for rid, sim in best:
        row = found.get(rid)
        if row is not None:  # deleted between the search and the fetch
            if q.include_similarity:
                row["$similarity"] = sim
            out.append(row)
    return out
