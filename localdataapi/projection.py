"""Table projections with Astra's rules (TableProjectionDefinition).

Unknown columns are ignored (an inclusion naming only unknown columns selects nothing, which is
an error), inclusion and exclusion cannot be mixed, `*` must stand alone, values are numbers
(0 = exclude) or booleans.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from localdataapi.errors import TITLES, ApiError, fmt_names
from localdataapi.schema import TableSchema

TITLES[("PROJECTION", "UNSUPPORTED_PROJECTION_PARAM")] = "Unsupported projection parameter"


def _param_error(message: str) -> ApiError:
    return ApiError(
        "PROJECTION",
        "UNSUPPORTED_PROJECTION_PARAM",
        f"Unsupported projection parameter: {message}.\n\nResend the command with valid projection definition.",
    )


def _include(path: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value != 0
    if isinstance(value, dict):
        raise _param_error(f"path ('{path}') value cannot be Object: nesting not supported for Tables")
    kind = "Null" if value is None else "Array" if isinstance(value, list) else "String"
    raise _param_error(f"path ('{path}') value must be Number or Boolean, was {kind}")


def _definition(raw: dict[str, Any]) -> tuple[bool, list[str]]:
    """(inclusion, names) as Astra's definition: {"*": 1} excludes nothing, {"*": 0} includes nothing."""
    if len(raw) == 1 and "*" in raw:
        return not _include("*", raw["*"]), []
    names: list[str] = []
    inclusion = False
    for path, value in raw.items():
        if not path:
            raise _param_error("empty paths (and path segments) not allowed")
        if path == "*":
            raise _param_error("wildcard ('*') only allowed as the only root-level path")
        include = _include(path, value)
        if not names:
            inclusion = include
        elif include != inclusion:
            verb, kind = ("include", "exclusion") if include else ("exclude", "inclusion")
            raise _param_error(f"cannot {verb} '{path}' on {kind} projection")
        names.append(path)
    return inclusion, names


def parse_projection(keyspace: str, schema: TableSchema, raw: Any) -> list[str]:
    """Columns to return, in schema order (primary key first)."""
    order = schema.column_order()
    if raw is None or raw == {}:
        return order
    if not isinstance(raw, dict):
        kind = "Array" if isinstance(raw, list) else "String" if isinstance(raw, str) else type(raw).__name__
        raise ApiError(
            "PROJECTION",
            "UNSUPPORTED_PROJECTION_DEFINITION",
            f"Unsupported projection definition JSON value: must be Object, was {kind}.\n\n"
            "Resend the command with valid projection definition.",
        )
    inclusion, names = _definition(raw)
    columns = [c for c in order if (c in names) == inclusion]
    if not columns:
        raise ApiError(
            "PROJECTION",
            "UNKNOWN_TABLE_COLUMNS",
            "Only columns defined in the table schema can be included in the projection.\n\n"
            f"The table {keyspace}.{schema.name} defines the columns: {fmt_names(order)}.\n"
            f"The projection included the following unknown columns: [{', '.join(names)}].\n\n"
            "Resend the command using only columns defined in the table schema.",
        )
    return columns
