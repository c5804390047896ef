"""Opaque page states and keyset ("seek") predicates for paging in primary-key order."""

from __future__ import annotations

import base64
import json
from typing import Any

from localdataapi.errors import ApiError
from localdataapi.schema import qcol


def _jsonable(v: Any) -> Any:
    return {"b": base64.b64encode(v).decode("ascii")} if isinstance(v, bytes) else v


def _unjson(v: Any) -> Any:
    return base64.b64decode(v["b"]) if isinstance(v, dict) else v


def encode_state(key: list[Any], remaining: int | None) -> str:
    raw = json.dumps({"k": [_jsonable(v) for v in key], "r": remaining}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii")


def decode_state(state: Any, key_len: int) -> tuple[list[Any], int | None]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(str(state).encode("ascii")))
        key = [_unjson(v) for v in raw["k"]]
        remaining = raw["r"]
        if len(key) != key_len or not (remaining is None or isinstance(remaining, int)):
            raise ValueError("page state does not match the table")
        return key, remaining
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(
            "", "COMMAND_FIELD_VALUE_INVALID", f"Command field 'options.pageState' value {state!r} not valid: {exc}."
        ) from exc


def order_by_sql(order: list[tuple[str, bool]]) -> str:
    return ", ".join(f"{qcol(c)}{' DESC' if desc else ''}" for c, desc in order)


def after_key_sql(order: list[tuple[str, bool]], key: list[Any], params: list[Any]) -> str:
    """Rows strictly after `key` in the given order (primary-key columns are never NULL)."""
    branches = []
    for i, (col, desc) in enumerate(order):
        terms = [f"{qcol(c)} = ?" for c, _ in order[:i]] + [f"{qcol(col)} {'<' if desc else '>'} ?"]
        params.extend(key[: i + 1])
        branches.append("(" + " AND ".join(terms) + ")")
    return "(" + " OR ".join(branches) + ")"
