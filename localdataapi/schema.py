"""Table and index definitions, and how they map to SQLite objects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from localdataapi.coltypes import ColumnType, parse_column_type
from localdataapi.errors import ApiError, fmt_names

NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,48}$")
VECTOR_METRICS = ("cosine", "dot_product", "euclidean")


def check_schema_name(kind: str, name: Any) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_SCHEMA_NAME",
            f"The command attempted to create a {kind} with a name that is not supported.\n\n"
            f"The supported {kind} names must not be empty, more than 48 characters long, or contain "
            f"non-alphanumeric-underscore characters.\nThe command used the unsupported {kind} name: '{name}'.",
        )
    return name


def qcol(name: str) -> str:
    """SQLite identifier for a table column (quoted; the prefix avoids clashes with internals).

    SQL text across the package is built with f-strings only from these quoted identifiers of
    catalogued names; every value is a bound parameter (hence the S608 suppressions).
    """
    return '"c_' + name.replace('"', '""') + '"'


def qtable(name: str) -> str:
    return f'"t_{name}"'


@dataclass
class IndexDef:
    name: str
    table: str
    column: str
    kind: str  # "regular" | "vector" | "text"
    options: dict[str, Any] = field(default_factory=dict)
    # For map columns: "$keys", "$values" or None (entries).
    map_target: str | None = None

    def describe(self) -> dict[str, Any]:
        column: Any = {self.column: self.map_target} if self.map_target else self.column
        return {
            "name": self.name,
            "definition": {"column": column, "options": dict(self.options)},
            "indexType": self.kind,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "table": self.table,
            "column": self.column,
            "kind": self.kind,
            "options": self.options,
            "map_target": self.map_target,
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> IndexDef:
        return IndexDef(
            raw["name"], raw["table"], raw["column"], raw["kind"], raw.get("options") or {}, raw.get("map_target")
        )


@dataclass
class TableSchema:
    name: str
    columns: dict[str, ColumnType]
    partition_by: list[str]
    partition_sort: list[tuple[str, int]]
    indexes: dict[str, IndexDef] = field(default_factory=dict)

    @property
    def clustering(self) -> list[str]:
        return [c for c, _ in self.partition_sort]

    @property
    def pk(self) -> list[str]:
        return self.partition_by + self.clustering

    def column_order(self) -> list[str]:
        """Primary key columns first, then the others in declaration order."""
        pk = self.pk
        return pk + [c for c in self.columns if c not in pk]

    def natural_order(self) -> list[tuple[str, bool]]:
        """(column, descending) for a whole-table scan: partitions, then clustering order."""
        return [(c, False) for c in self.partition_by] + [(c, d < 0) for c, d in self.partition_sort]

    def indexed_columns(self) -> set[str]:
        return {i.column for i in self.indexes.values() if i.kind in ("regular", "text")}

    def text_flags(self, column: str) -> str:
        """Analysis flags for filters on a text column from its index options ("" = exact match)."""
        for idx in self.indexes.values():
            if idx.kind == "regular" and idx.column == column and not self.columns[column].is_collection:
                opts = idx.options
                return "".join(
                    flag
                    for flag, on in (
                        ("c", opts.get("caseSensitive") is False),
                        ("n", bool(opts.get("normalize"))),
                        ("a", bool(opts.get("ascii"))),
                    )
                    if on
                )
        return ""

    def vector_index(self, column: str) -> IndexDef | None:
        for idx in self.indexes.values():
            if idx.kind == "vector" and idx.column == column:
                return idx
        return None

    def pk_schema(self) -> dict[str, Any]:
        return {c: self.columns[c].describe(dml=True) for c in self.pk}

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "definition": {
                "columns": {c: self.columns[c].describe() for c in self.column_order()},
                "primaryKey": {"partitionBy": list(self.partition_by), "partitionSort": dict(self.partition_sort)},
            },
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "columns": {c: t.storage_json() for c, t in self.columns.items()},
            "partitionBy": self.partition_by,
            "partitionSort": [[c, d] for c, d in self.partition_sort],
        }

    @staticmethod
    def from_json(name: str, raw: dict[str, Any]) -> TableSchema:
        cols = {c: parse_column_type(t) for c, t in raw["columns"].items()}
        return TableSchema(name, cols, list(raw["partitionBy"]), [(c, int(d)) for c, d in raw["partitionSort"]])


def _pk_error(msg: str) -> ApiError:
    return ApiError(
        "SCHEMA", "PRIMARY_KEY_DEFINITION_INCORRECT", f"Primary key definition provided is incorrect. {msg}"
    )


def parse_primary_key(raw: Any) -> tuple[list[str], list[tuple[str, int]]]:
    """Accept the shorthand ("id") and the full {partitionBy, partitionSort} forms."""
    if isinstance(raw, str):
        return [raw], []
    if not isinstance(raw, dict):
        raise _pk_error("Expected a column name or an object.")
    part = raw.get("partitionBy")
    if isinstance(part, str):
        part = [part]
    if not isinstance(part, list) or not all(isinstance(p, str) for p in part):
        raise _pk_error("partitionBy is mandatory.")
    sort_raw = raw.get("partitionSort") or {}
    if not isinstance(sort_raw, dict) or any(d not in (1, -1) or isinstance(d, bool) for d in sort_raw.values()):
        raise _pk_error("partitionSort values should be either `1` for ascending or `-1` for descending.")
    if set(sort_raw) & set(part):
        raise _pk_error("partitionSort should not have the columns defined in partitionBy.")
    return list(part), [(c, int(d)) for c, d in sort_raw.items()]


def parse_table_definition(name: str, definition: Any) -> TableSchema:
    if not isinstance(definition, dict) or not isinstance(definition.get("columns"), dict):
        raise ApiError(
            "",
            "REQUEST_STRUCTURE_MISMATCH",
            "Request is valid JSON but has a structural mismatch: 'definition.columns' is required.",
        )
    columns = {c: parse_column_type(t) for c, t in definition["columns"].items()}
    for c in columns:
        if not c or '"' in c or c.startswith("$"):
            check_schema_name("column", c)  # always raises for such names
    if "primaryKey" not in definition:
        raise ApiError(
            "SCHEMA",
            "MISSING_PARTITION_COLUMNS",
            "The table definition must have at least one partition key.\n\n"
            f"The table definition includes the columns: {fmt_names(columns)}.",
        )
    part, sort = parse_primary_key(definition["primaryKey"])
    _check_pk_columns(columns, part, sort)
    return TableSchema(name, columns, part, sort)


def _check_pk_columns(columns: dict[str, ColumnType], part: list[str], sort: list[tuple[str, int]]) -> None:
    if not part:
        raise ApiError(
            "SCHEMA",
            "MISSING_PARTITION_COLUMNS",
            "The table definition must have at least one partition key.\n\n"
            f"The table definition includes the columns: {fmt_names(columns)}.",
        )
    unknown = [c for c in part if c not in columns]
    if unknown:
        raise ApiError(
            "SCHEMA",
            "UNKNOWN_PARTITION_COLUMNS",
            "The column used to partition by are not present in the table schema.\n\n"
            f"The table definition includes the columns: {fmt_names(columns)}.\n"
            f"The partition includes the unknown columns: {fmt_names(unknown)}.",
        )
    unknown = [c for c, _ in sort if c not in columns]
    if unknown:
        raise ApiError(
            "SCHEMA",
            "UNKNOWN_PARTITION_SORT_COLUMNS",
            "The columns used for partition sorting are not present in the table schema.\n\n"
            f"The table definition includes the columns: {fmt_names(columns)}.\n"
            f"The partition sort includes the unknown columns: {fmt_names(unknown)}.",
        )
    bad = [
        c for c in part + [c for c, _ in sort] if columns[c].is_collection or columns[c].is_vector or columns[c].is_udt
    ]
    if bad:
        raise _pk_error(f"Primary key columns must be of a primitive type: {fmt_names(bad)}.")
