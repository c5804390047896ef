"""Row-level conversions: validating inserted documents, projections and decoding stored rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localdataapi import projection
from localdataapi.coltypes import ColumnType, decode_value, encode_value
from localdataapi.errors import ApiError, fmt_names
from localdataapi.schema import TableSchema, qcol


@dataclass
class EncodedRow:
    pk_api: list[Any]  # primary-key values as the API returns them (insertedIds)
    values: dict[str, Any]  # column -> stored value, only for the columns present in the document


def _all_cols(schema: TableSchema) -> str:
    return fmt_names(schema.column_order())


def encode_document(keyspace: str, schema: TableSchema, doc: Any) -> EncodedRow:
    if not isinstance(doc, dict):
        raise ApiError(
            "DOCUMENT", "SHRED_BAD_DOCUMENT_TYPE", "Bad document type to shred: document must be a JSON Object."
        )
    unknown = [c for c in doc if c not in schema.columns]
    if unknown:
        raise ApiError(
            "DOCUMENT",
            "UNKNOWN_TABLE_COLUMNS",
            f"Only columns defined in the table schema can be included when inserted a document into a table.\n\n"
            f"The table {keyspace}.{schema.name} defines the columns: {_all_cols(schema)}.\n"
            f"The command included the following unknown columns: {fmt_names(unknown)}.\n\n"
            "Resend the command using only defined columns.",
        )
    missing = [c for c in schema.pk if doc.get(c) is None]
    if missing:
        provided = [c for c in schema.pk if c not in missing]
        raise ApiError(
            "DOCUMENT",
            "MISSING_PRIMARY_KEY_COLUMNS",
            "All primary key columns must be provided when inserting a document into a table. \n\n"
            f"The table {keyspace}.{schema.name} defines the primary key columns: {fmt_names(schema.pk)}.\n\n"
            f"The command included values for primary key columns: {fmt_names(provided)}.\n"
            f"The command did not include values for primary key columns: {fmt_names(missing)}.\n\n"
            "Resend the command including the missing primary key columns.",
        )
    values = encode_columns(keyspace, schema, doc, _invalid_document)
    return EncodedRow([decode_value(schema.columns[c], values[c]) for c in schema.pk], values)


def _invalid_document(keyspace: str, schema: TableSchema, bad: list[str]) -> ApiError:
    return ApiError(
        "DOCUMENT",
        "INVALID_COLUMN_VALUES",
        "Only values that are supported by the column data type can be included when inserting a document into a "
        "table.\n"
        "\n"
        f"The table {keyspace}.{schema.name} defines the columns: {_all_cols(schema)}.\n"
        f"The command included the following columns that had invalid values: {', '.join(bad)}.\n\n"
        "Resend the command using only supported column values.",
    )


def encode_columns(
    keyspace: str, schema: TableSchema, doc: dict[str, Any], on_error: Callable[[str, TableSchema, list[str]], ApiError]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    bad: list[str] = []
    for col, raw in doc.items():
        ct = schema.columns[col]
        try:
            values[col] = encode_value(ct, raw)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            bad.append(f"{col}({ct.kind}): {exc}")
    if bad:
        raise on_error(keyspace, schema, bad)
    return values


def parse_projection(keyspace: str, schema: TableSchema, raw: Any) -> list[str]:
    """Columns to return, in schema order (PK first); Astra's rules live in projection.py."""
    return projection.parse_projection(keyspace, schema, raw)


class RowDecoder:
    """Decodes SELECTed tuples; nulls (and empty collections) are omitted, as the Data API does."""

    def __init__(self, schema: TableSchema, columns: list[str]) -> None:
        self.columns = columns
        self.types: list[ColumnType] = [schema.columns[c] for c in columns]

    def select_sql(self) -> str:
        return ", ".join(qcol(c) for c in self.columns) if self.columns else "NULL"

    def decode(self, row: tuple[Any, ...]) -> dict[str, Any]:
        return {c: decode_value(t, v) for c, t, v in zip(self.columns, self.types, row, strict=True) if v is not None}


def projection_schema(schema: TableSchema, columns: list[str]) -> dict[str, Any]:
    return {c: schema.columns[c].describe(dml=True) for c in columns}
