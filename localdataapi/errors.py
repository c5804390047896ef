"""Data API error and warning objects (codes, titles and texts follow stargate/data-api's errors.yaml)."""

from __future__ import annotations

import uuid
from typing import Any

_INEFFICIENT_FILTER = (
    "The query was executed without taking advantage of the primary key or indexes on the table, "
    "this can have performance implications on large tables.\n\n"
    "See documentation for best practices for filtering."
)
_INEFFICIENT_SORT = (
    "The command was executed using in memory sorting rather than taking advantage of the partition "
    "sorting on disk. This can have performance implications on large tables.\n\n"
    "See documentation for best practices for sorting."
)

# (scope, code) -> title. Scope "" is the Data API's "unscoped" family member.
TITLES: dict[tuple[str, str], str] = {
    ("", "COMMAND_UNKNOWN"): "Command is not recognized by Data API",
    ("", "REQUEST_NOT_JSON"): "Request not valid JSON",
    ("", "REQUEST_STRUCTURE_MISMATCH"): "Request structure not valid",
    ("", "UNAUTHENTICATED_REQUEST"): "Authentication failed",
    ("", "UNSUPPORTED_TABLE_COMMAND"): "Command is not supported by tables",
    ("", "COMMAND_FIELD_VALUE_INVALID"): "Command field value invalid",
    ("DOCUMENT", "MISSING_PRIMARY_KEY_COLUMNS"): "Primary key columns missing",
    ("DOCUMENT", "UNKNOWN_TABLE_COLUMNS"): "Columns in documents are not defined in the table schema",
    ("DOCUMENT", "INVALID_COLUMN_VALUES"): "Column values in documents are not valid",
    ("DOCUMENT", "SHRED_BAD_DOCUMENT_TYPE"): "Bad document type to shred",
    ("FILTER", "FILTER_INVALID_EXPRESSION"): "Unsupported filter clause",
    ("FILTER", "FILTER_UNSUPPORTED_OPERATOR"): "Unsupported filter operator",
    ("FILTER", "UNKNOWN_TABLE_COLUMNS"): "Columns in the filter are not defined in the table schema",
    ("FILTER", "INVALID_FILTER_COLUMN_VALUES"): "Column value in filter is not valid",
    ("FILTER", "INVALID_MAP_SET_LIST_FILTER"): "Command has invalid filter against a map, set, or list column",
    (
        "FILTER",
        "UNSUPPORTED_FILTERING_FOR_COLUMN_TYPES",
    ): "Column types in the filter do not support the filter operations",
    (
        "FILTER",
        "UNSUPPORTED_COMPARISON_FILTER_AGAINST_DURATION",
    ): "Duration data type does not support comparison filters",
    ("FILTER", "MISSING_FILTER_FOR_UPDATE_DELETE"): "Update and delete commands require a filter",
    (
        "FILTER",
        "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE",
    ): "updateOne and deleteOne commands only support filtering using $eq",
    (
        "FILTER",
        "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE",
    ): "Update and delete commands only support filtering on the primary key",
    (
        "FILTER",
        "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE",
    ): "updateOne and deleteOne commands require filtering on the full primary key",
    ("FILTER", "INVALID_PRIMARY_KEY_FILTER"): "Primary key filtering must specify columns in schema order",
    ("UPDATE", "UNKNOWN_TABLE_COLUMNS"): "Columns in the update are not defined in the table schema",
    ("UPDATE", "INVALID_UPDATE_COLUMN_VALUES"): "Column value in update clause is not valid",
    ("UPDATE", "UNSUPPORTED_UPDATE_OPERATOR"): "Update operator is not supported by target columns",
    ("UPDATE", "INVALID_PUSH_OPERATOR_USAGE"): "The command has invalid usage of $push operator",
    ("UPDATE", "UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS"): "Primary key columns cannot be updated",
    ("UPDATE", "MISSING_UPDATE_OPERATIONS"): "Update operation requires at least one operation",
    ("UPDATE", "UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE"): "Update operation not supported by tables",
    ("UPDATE", "UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS"): "Columns cannot be changed by multiple update operations",
    ("PROJECTION", "UNKNOWN_TABLE_COLUMNS"): "Columns in the projection are not defined in the table schema",
    ("PROJECTION", "UNSUPPORTED_PROJECTION_DEFINITION"): "Unsupported projection definition",
    ("SCHEMA", "UNKNOWN_KEYSPACE"): "Keyspace does not exist in the Database",
    ("SCHEMA", "INVALID_KEYSPACE"): "Keyspace used is not valid.",
    ("SCHEMA", "COLLECTION_NOT_EXIST"): "Collection or table does not exist",
    ("SCHEMA", "UNKNOWN_PARTITION_SORT_COLUMNS"): "Partition sort columns are not defined in the table schema",
    ("SCHEMA", "UNKNOWN_PARTITION_COLUMNS"): "Partition columns are not defined in the table schema",
    ("SCHEMA", "MISSING_PARTITION_COLUMNS"): "Partitioning keys are required for tables",
    ("SCHEMA", "MISSING_ALTER_TABLE_OPERATIONS"): "Alter table command must include operations",
    (
        "SCHEMA",
        "MISSING_DIMENSION_IN_VECTOR_COLUMN",
    ): "Dimension is required for vector column if embedding service is not specified",
    ("SCHEMA", "CANNOT_ADD_EXISTING_COLUMNS"): "Columns with the same name are defined in the table schema",
    ("SCHEMA", "CANNOT_DROP_PRIMARY_KEY_COLUMNS"): "Primary key columns cannot be dropped from the table schema",
    ("SCHEMA", "CANNOT_DROP_UNKNOWN_COLUMNS"): "Columns cannot be dropped if they are not defined in the table schema",
    ("SCHEMA", "CANNOT_DROP_INDEXED_COLUMNS"): "Columns used in the indexes cannot be dropped",
    ("SCHEMA", "UNKNOWN_DATA_TYPE"): "Data type is unknown",
    ("SCHEMA", "UNKNOWN_PRIMITIVE_DATA_TYPE"): "Primitive data type is unknown",
    ("SCHEMA", "UNSUPPORTED_DATA_TYPE_TABLE_CREATION"): "Table creation with unsupported data types",
    ("SCHEMA", "UNSUPPORTED_SCHEMA_NAME"): "The used schema name is not supported",
    ("SCHEMA", "UNSUPPORTED_VECTOR_DIMENSION"): "Vector definition contains unsupported dimension",
    ("SCHEMA", "UNKNOWN_INDEX_COLUMN"): "Index column is not defined in the table schema",
    ("SCHEMA", "UNSUPPORTED_INDEXING_FOR_DATA_TYPES"): "Indexing not supported by data types",
    ("SCHEMA", "UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES"): "Vector index not supported by data types",
    ("SCHEMA", "UNKNOWN_VECTOR_METRIC"): "Vector metric is unknown",
    ("SCHEMA", "CANNOT_DROP_UNKNOWN_INDEX"): "Dropped index is not defined in the keyspace schema",
    ("SCHEMA", "CANNOT_DROP_UNKNOWN_TABLE"): "Dropped table is not defined in the keyspace schema",
    ("SCHEMA", "CANNOT_ADD_EXISTING_TABLE"): "Table with the same name exists in the keyspace schema",
    ("SCHEMA", "CANNOT_ADD_EXISTING_INDEX"): "Index with the same name exists in the keyspace schema",
    ("SCHEMA", "COLUMN_TYPE_INCORRECT"): "Column data type not provided or format invalid in the definition",
    ("SCHEMA", "PRIMARY_KEY_DEFINITION_INCORRECT"): "Primary key definition provided is incorrect.",
    ("SCHEMA", "INVALID_INDEX_DEFINITION"): "Provided index configuration is not valid.",
    ("SORT", "CANNOT_SORT_UNKNOWN_COLUMNS"): "Sorted columns are not defined in the table schema",
    ("SORT", "OVERLOADED_SORT_ROW_LIMIT"): "Sort aborted due to in-memory sort restriction",
    ("SORT", "CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS"): "Vector sort columns are not `vector` type",
    (
        "SORT",
        "CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION",
    ): "Vectorize sort not supported on column with missing vectorize configuration",
    ("SORT", "CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX"): "Limit exceeds the maximum allowed for vector sort",
    ("SORT", "CANNOT_VECTOR_SORT_WITH_SKIP_OPTION"): "Skip option cannot be used with  vector sort",
    (
        "SORT",
        "CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS",
    ): "Vector sort cannot be used for non indexed vector columns",
    ("SORT", "CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS"): "Vector sort cannot be used with non vector sorting",
    ("SORT", "CANNOT_SORT_ON_MULTIPLE_VECTORS"): "More than one vector sort provided",
    (
        "SORT",
        "CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS",
    ): "Vector sort cannot be used with mismatched vector dimensions",
    ("SORT", "INVALID_REGULAR_SORT_EXPRESSION"): "Sort expression is not valid for regular sort",
    ("SORT", "INVALID_VECTOR_SORT_EXPRESSION"): "Sort expression is not valid for vector/vectorize sort",
    ("SORT", "UNSUPPORTED_SORT_FOR_TABLE_DELETE_COMMAND"): "Sorting not supported by delete command on tables",
    ("SORT", "UNSUPPORTED_SORT_FOR_TABLE_UPDATE_COMMAND"): "Sorting not supported by update command on tables",
    ("SORT", "UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING"): "Pagination not supported when using in-memory sorting",
    ("", "INTERNAL_SERVER_ERROR"): "Internal server error",
    ("WARNING", "MISSING_INDEX"): "Filter includes columns that are not indexed",
    ("WARNING", "ZERO_FILTER_OPERATIONS"): "Zero operations provided in query filter",
    ("WARNING", "INCOMPLETE_PRIMARY_KEY_FILTER"): "Incomplete filter on table primary key",
    ("WARNING", "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING"): "Sorting by non partition sorting columns",
    ("WARNING", "IN_MEMORY_SORTING_DUE_SKIP_OPTIONS"): "Sorting uses skip option, performing as in memory sort",
    (
        "WARNING",
        "IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED",
    ): "Sorting with partition key not restricted correctly in filter clause",
    ("WARNING", "IN_MEMORY_SORTING_DUE_TO_MISSING_PARTITION_SORTING"): "Sorting with missing partition sorting columns",
    (
        "WARNING",
        "IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING",
    ): "Sorting on out of order partition sorting columns",
}

# Server-side failures use the SERVER family; everything else is a client (REQUEST) error.
_SERVER_CODES = {"INTERNAL_SERVER_ERROR", "INVALID_DATABASE_QUERY"}


def error_object(scope: str, code: str, message: str) -> dict[str, Any]:
    """Build one entry of a response's `errors` (or `status.warnings`) list."""
    return {
        "family": "SERVER" if code in _SERVER_CODES else "REQUEST",
        "scope": scope,
        "errorCode": code,
        "title": TITLES.get((scope, code), code.replace("_", " ").capitalize()),
        "message": message,
        "id": str(uuid.uuid4()),
    }


def internal_error_response(exc: BaseException) -> dict[str, Any]:
    """The response body for an unexpected failure, in the Data API's own wording."""
    message = f"An unexpected internal server error occurred while processing the request. \n\nError Message: {exc}"
    return {"errors": [error_object("", "INTERNAL_SERVER_ERROR", message)]}


class ApiError(Exception):
    """A request-level failure reported to the client as a Data API error (HTTP 200)."""

    def __init__(self, scope: str, code: str, message: str) -> None:
        super().__init__(f"{scope}.{code}: {message}")
        self.scope = scope
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, Any]:
        return error_object(self.scope, self.code, self.message)


def warning(code: str, message: str) -> dict[str, Any]:
    """A warning for `status.warnings` (same shape as an error, scope WARNING)."""
    return error_object("WARNING", code, message)


def inefficient_filter_text() -> str:
    return _INEFFICIENT_FILTER


def inefficient_sort_text() -> str:
    return _INEFFICIENT_SORT


def fmt_names(names: Any) -> str:
    """Render a list of column names the way the Data API does in messages."""
    return ", ".join(str(n) for n in names) if names else "[]"
