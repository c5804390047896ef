"""Schema as code: each app lists its tables and indexes in `<app>/tables.py` as `TABLES`.

`manage.py astra_migrate` creates what is missing (tables, indexes, vector indexes, added columns). Columns
are given in the Data API's own wire form, so the same declaration works on the embedded server and on Astra.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from killrvideo import astra

logger = logging.getLogger(__name__)

ColumnType = str | Mapping[str, Any]


def set_of(value_type: str) -> dict[str, str]:
    return {"type": "set", "valueType": value_type}


def vector(dimension: int) -> dict[str, Any]:
    return {"type": "vector", "dimension": dimension}


@dataclass(frozen=True)
class Index:
    name: str
    column: str


@dataclass(frozen=True)
class VectorIndex:
    name: str
    column: str
    metric: str = "cosine"


@dataclass(frozen=True)
class TextIndex:
    """A text index (lexical `$match` and BM25 sort) with a named analyzer, e.g. "english" (stems, stop words)."""

    name: str
    column: str
    analyzer: str = "english"


@dataclass(frozen=True)
class TableSpec:
    """One query-first table: `partition_by` columns, then clustering columns with 1 (asc) / -1 (desc)."""

    name: str
    columns: Mapping[str, ColumnType]
    partition_by: tuple[str, ...]
    partition_sort: Mapping[str, int] = field(default_factory=dict)
    indexes: tuple[Index, ...] = ()
    vector_indexes: tuple[VectorIndex, ...] = ()
    text_indexes: tuple[TextIndex, ...] = ()
    serves: str = ""  # the query this table exists for, shown in ARCHITECTURE.md

    def definition(self) -> dict[str, Any]:
        """The table's definition in the Data API's wire form (astrapy accepts it as is)."""
        columns = {name: _column_wire(kind) for name, kind in self.columns.items()}
        return {
            "columns": columns,
            "primaryKey": {"partitionBy": list(self.partition_by), "partitionSort": dict(self.partition_sort)},
        }


def _column_wire(kind: ColumnType) -> dict[str, Any]:
    return {"type": kind} if isinstance(kind, str) else dict(kind)


def declared_tables() -> list[TableSpec]:
    """Every `TABLES` list found in the installed apps' `tables` modules, in app order."""
    specs: list[TableSpec] = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tables")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tables":
                raise
            continue
        specs.extend(getattr(module, "TABLES", ()))
    return specs


def migrate(specs: Iterable[TableSpec] | None = None) -> list[str]:
    """Create the keyspace, tables, added columns and indexes that are missing. Returns what it did."""
    astra.ensure_keyspace()
    database = astra.get_database()
    existing = set(database.list_table_names())
    done: list[str] = []
    for spec in specs if specs is not None else declared_tables():
        if spec.name not in existing:
            database.create_table(spec.name, definition=spec.definition(), if_not_exists=True)
            done.append(f"created table {spec.name}")
        else:
            done.extend(_add_missing_columns(spec))
        done.extend(_create_missing_indexes(spec))
    for line in done:
        logger.info("astra_migrate: %s", line)
    return done


def _add_missing_columns(spec: TableSpec) -> list[str]:
    table = astra.get_table(spec.name)
    present = set(table.definition().columns)
    missing = {name: _column_wire(kind) for name, kind in spec.columns.items() if name not in present}
    if not missing:
        return []
    table.alter({"add": {"columns": missing}})
    return [f"added columns {', '.join(sorted(missing))} to {spec.name}"]


def _create_missing_indexes(spec: TableSpec) -> list[str]:
    if not spec.indexes and not spec.vector_indexes and not spec.text_indexes:
        return []
    table = astra.get_table(spec.name)
    present = set(table.list_index_names())
    done = []
    for index in spec.indexes:
        if index.name not in present:
            table.create_index(index.name, column=index.column, if_not_exists=True)
            done.append(f"created index {index.name} on {spec.name}({index.column})")
    for vindex in spec.vector_indexes:
        if vindex.name not in present:
            table.create_vector_index(
                vindex.name, column=vindex.column, options={"metric": vindex.metric}, if_not_exists=True
            )
            done.append(f"created vector index {vindex.name} on {spec.name}({vindex.column}, {vindex.metric})")
    for tindex in spec.text_indexes:
        if tindex.name not in present:
            table.create_text_index(
                tindex.name, column=tindex.column, options={"analyzer": tindex.analyzer}, if_not_exists=True
            )
            done.append(f"created text index {tindex.name} on {spec.name}({tindex.column}, {tindex.analyzer})")
    return done
