"""Column types the Data API reads and writes but refuses to create (createTable / alterTable add).

`timeuuid` and `counter` columns exist only when made by CQL; Astra refuses them (and collections
of them, and duration map keys) in `createTable` and `alterTable`, with these codes.
"""

from __future__ import annotations

from localdataapi.coltypes import SCALAR_TYPES, ColumnType, unsupported_map_definition
from localdataapi.errors import TITLES, ApiError

NOT_CREATABLE = frozenset({"timeuuid", "counter"})
CREATABLE = ", ".join(sorted(SCALAR_TYPES - NOT_CREATABLE))

TITLES.update(
    {
        ("SCHEMA", "INVALID_CREATE_COLLECTION_OPTIONS"): "Invalid options for createCollection",
        ("SCHEMA", "UNSUPPORTED_MAP_DEFINITION"): "Map definition contains unsupported data types",
        ("SCHEMA", "UNSUPPORTED_LIST_DEFINITION"): "List definition contains unsupported data types",
        ("SCHEMA", "UNSUPPORTED_SET_DEFINITION"): "Set definition contains unsupported data types",
        (
            "SCHEMA",
            "CANNOT_ADD_UNSUPPORTED_DATA_TYPE_COLUMNS",
        ): "Alter table trying to add columns with unsupported data type",
    }
)


def check_creatable(columns: dict[str, ColumnType], alter: bool) -> None:
    """Raise Astra's error for the first refused column type (collections are checked first, as Astra does)."""
    for ct in columns.values():
        _check_collection(ct)
    refused = sorted({ct.kind for ct in columns.values() if ct.kind in NOT_CREATABLE})
    if not refused:
        return
    if alter:
        raise ApiError(
            "SCHEMA",
            "CANNOT_ADD_UNSUPPORTED_DATA_TYPE_COLUMNS",
            "The command attempted to add columns with unsupported data types to the table schema.\n\n"
            f"The supported data types for adding columns are: {CREATABLE}.\n"
            f"The command attempted to add columns with unsupported data types: {', '.join(refused)}.\n\n"
            "Resend the command using supported data types to alter table.",
        )
    raise ApiError(
        "SCHEMA",
        "UNSUPPORTED_DATA_TYPE_TABLE_CREATION",
        "The column definition used unsupported data types for the table creation.\n\n"
        f"The supported data types for table creation are: {CREATABLE}.\n"
        f"The command used the unsupported data types for table creation : {', '.join(refused)}.\n\n"
        "Resend the command using supported data types for table creation.",
    )


def _check_collection(ct: ColumnType) -> None:
    if ct.kind == "map" and (ct.key_type in NOT_CREATABLE | {"duration"} or ct.value_type in NOT_CREATABLE):
        raise unsupported_map_definition(ct.key_type or "", ct.value_type or "")
    if ct.kind in ("list", "set") and ct.value_type in NOT_CREATABLE:
        noun = ct.kind.capitalize() + "s"
        raise ApiError(
            "SCHEMA",
            f"UNSUPPORTED_{ct.kind.upper()}_DEFINITION",
            f"The command attempted to create a {ct.kind} column that used an unsupported type for the value.\n\n"
            f"{noun} can use primitive type for the value, except for counter and timeuuid.\n"
            f"{noun} can use userDefined type for the value.\n\n"
            f"The primitive data types are: {CREATABLE}.\n"
            f"The command used the value type: {ct.value_type}.\n\n"
            "Resend the command using a supported value type.",
        )
