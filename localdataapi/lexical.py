"""Lexical sort (`sort: {"<text column>": "query terms"}`): BM25 ranking over a text index.

Scoring is Cassandra SAI's (the engine behind Astra's lexical sort), which is Lucene's BM25 with
k1 = 1.2 and b = 0.75: for each query term, idf = ln(1 + (N - df + 0.5) / (df + 0.5)) and
score += idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)); as in SAI, only rows containing every
query term are ranked. The scoring runs inside SQLite over the postings of the query terms only
(rarest term first), so a query never scans the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from localdataapi import textindex
from localdataapi.errors import ApiError, fmt_names
from localdataapi.filters import iter_cmps, to_sql
from localdataapi.rows import RowDecoder
from localdataapi.schema import IndexDef, TableSchema, qtable

if TYPE_CHECKING:
    import sqlite3

    from localdataapi.reads import Page, Query

K1 = 1.2
B = 0.75
DEFAULT_LIMIT = 100  # the Data API's DEFAULT_BM25_LIMIT when the command has no limit
MAX_LIMIT = 1000  # SAI refuses ORDER BY ... BM25 OF with a larger LIMIT

_EXPLANATION = (
    "A lexical sort expression in the sort clause identifies the column by name and then provides:\n"
    "- String to use for lexical matching to sort by (most similar first)"
)


@dataclass
class LexicalSort:
    keyspace: str
    table: str
    column: str
    query: str
    index: IndexDef


def _none(names: list[str]) -> str:
    return fmt_names(names) if names else "[None]"


def plan(keyspace: str, schema: TableSchema, raw: dict[str, Any], skip: int | None) -> LexicalSort | None:
    """The lexical sort of a sort clause, or None when it has none (Astra's TableSortClauseBuilder rules)."""
    kinds = textindex.TEXT_COLUMN_KINDS
    lexical = [c for c, v in raw.items() if isinstance(v, str) and schema.columns[c].kind in kinds]
    if not lexical:
        return None
    if len(raw) > 1:
        vector = [c for c in raw if c not in lexical and schema.columns[c].is_vector]
        regular = [c for c in raw if c not in lexical and c not in vector]
        raise ApiError(
            "SORT",
            "CANNOT_SORT_ON_SPECIAL_WITH_OTHERS",
            "The command used a sort clause with a special (lexical/vector/vectorize) sort combined with one or more "
            "other sort expressions:\n"
            "Special sorts can only be used on their own, and cannot be combined with other sort expressions.\n\n"
            f"The command attempted to use lexical sort on columns: {_none(lexical)}.\n"
            f"The command attempted to use vector/vectorize sort on columns: {_none(vector)}.\n"
            f"The command attempted to use regular sort on columns: {_none(regular)}.\n\n"
            "Resend the command with only one special sort expression.",
        )
    if skip is not None:
        raise ApiError(
            "SORT",
            "CANNOT_LEXICAL_SORT_WITH_SKIP_OPTION",
            "The command attempted to lexical sort column along with skip option set.\n\n"
            f"{_EXPLANATION}\n\nResend the command without the skip option.",
        )
    column = lexical[0]
    idx = textindex.text_index(schema, column)
    if idx is None:
        indexed = sorted({i.column for i in schema.indexes.values()})
        raise ApiError(
            "SORT",
            "CANNOT_LEXICAL_SORT_NON_INDEXED_COLUMNS",
            "The command attempted to lexical sort on column that is not indexed.\n\n"
            "Lexical sorting is only supported on columns that have been indexed.\n\n"
            f"{_EXPLANATION}\n\n"
            f"The table {keyspace}.{schema.name} has indexes on columns: {fmt_names(indexed)}.\n"
            f"The command attempted to sort columns: {column}.\n\n"
            "Resend the command using indexed column.",
        )
    return LexicalSort(keyspace, schema.name, column, raw[column], idx)


def check_limit(sort: LexicalSort, limit: int | None) -> None:
    if limit is not None and limit > MAX_LIMIT:
        cql = f'SELECT * FROM "{sort.keyspace}"."{sort.table}" ORDER BY "{sort.column}" BM25 OF ? LIMIT {limit}'  # noqa: S608
        raise textindex.DatabaseError(
            sort.keyspace,
            sort.table,
            cql,
            f"SAI based ORDER BY clause requires a LIMIT that is not greater than {MAX_LIMIT}. LIMIT was {limit}",
        )


# ---------------------------------------------------------------- execution


def catch_up(q: Query) -> None:
    """Index queued writes first when the query reads a text index (`$match` or lexical sort)."""
    if q.plan.kind == "lexical" or any(c.op == "$match" for c in iter_cmps(q.root)):
        textindex.catch_up(q.store)


def page(q: Query) -> Page:
    """One page with the best rows, best first (no page state: the Data API returns a single page)."""
    from localdataapi.reads import Page

    sort = q.plan.lexical
    assert sort is not None
    limit = DEFAULT_LIMIT if q.limit is None else min(q.limit, MAX_LIMIT)
    terms = textindex.query_terms(sort.index, sort.query)
    if not terms or limit <= 0:
        return Page([])
    with q.store.reader() as conn:
        conn.execute("BEGIN")  # one snapshot for the statistics, the postings and the rows
        try:
            best = top_rows(conn, q.schema, sort.index, terms, _filter_sql(q), limit)
            rows = _fetch(conn, q, best)
        finally:
            conn.execute("COMMIT")
    return Page(rows)


def _filter_sql(q: Query) -> tuple[str, list[Any]] | None:
    if q.info.empty:
        return None
    params: list[Any] = []
    return to_sql(q.schema, q.root, params), params


def idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def top_rows(
    conn: sqlite3.Connection,
    schema: TableSchema,
    idx: IndexDef,
    terms: list[str],
    where: tuple[str, list[Any]] | None,
    limit: int,
) -> list[tuple[int, float]]:
    """(rowid, BM25 score) of the best rows containing every term that also pass `where`."""
    p, d = textindex.postings(idx), textindex.lengths(idx)
    n, total = conn.execute(f"SELECT n, total FROM {textindex.stats(idx)}").fetchone()  # noqa: S608
    dfs = [conn.execute(f"SELECT count(*) FROM {p} WHERE term = ?", (t,)).fetchone()[0] for t in terms]  # noqa: S608
    if not n or min(dfs) == 0:
        return []
    avgdl = total / n
    # Rarest term first: its postings drive the join (CROSS JOIN fixes SQLite's join order).
    order = sorted(range(len(terms)), key=lambda i: dfs[i])
    aliases = [f"p{i}" for i in range(len(order))]
    joins = " CROSS JOIN ".join([f"{p} AS {a}" for a in aliases] + [f"{d} AS d"])
    conds = [f"{a}.term = ?" for a in aliases] + [f"{a}.doc = p0.doc" for a in aliases[1:]] + ["d.doc = p0.doc"]
    params: list[Any] = [terms[i] for i in order]
    if where is not None:
        joins += f" CROSS JOIN {qtable(schema.name)}"
        conds += [f"{qtable(schema.name)}.rowid = p0.doc", where[0]]
        params += where[1]
    # Per term: idf * tf / (tf + k1 * (1 - b) + (k1 * b / avgdl) * dl), all in SQLite.
    score = " + ".join(f"? * {a}.tf / ({a}.tf + ? + ? * d.dl)" for a in aliases)
    score_params: list[Any] = []
    for i in order:
        score_params += [idf(n, dfs[i]), K1 * (1 - B), K1 * B / avgdl]
    sql = (
        f"SELECT p0.doc, {score} AS score FROM {joins} WHERE {' AND '.join(conds)} "  # noqa: S608
        "ORDER BY score DESC, p0.doc LIMIT ?"
    )
    return [(int(r[0]), float(r[1])) for r in conn.execute(sql, [*score_params, *params, limit])]


def _fetch(conn: sqlite3.Connection, q: Query, best: list[tuple[int, float]]) -> list[dict[str, Any]]:
    if not best:
        return []
    decoder = RowDecoder(q.schema, q.columns)
    ids = [rid for rid, _ in best]
    sql = (
        f"SELECT rowid, {decoder.select_sql()} FROM {qtable(q.schema.name)} "  # noqa: S608
        f"WHERE rowid IN ({','.join('?' * len(ids))})"
    )
    found = {r[0]: decoder.decode(r[1:]) for r in conn.execute(sql, ids)}
    return [found[rid] for rid in ids if rid in found]
