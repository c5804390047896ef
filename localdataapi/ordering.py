"""Cassandra's comparison order for set elements and map keys, over their stored (JSON) encodings.

Sets and maps are kept sorted so they read back in the order Cassandra returns them: by the
type's comparator, not by Python's order of the stored representation (base64 text for blobs,
dotted text for addresses, ...).
"""

from __future__ import annotations

import base64
import ipaddress
import math
import uuid
from collections.abc import Callable
from typing import Any

# Stored non-finite floats inside JSON collections (JSON has no NaN/Infinity literals).
NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _float_key(v: Any) -> tuple[int, float]:
    x = NON_FINITE.get(v, math.nan) if isinstance(v, str) else float(v)
    # Java's Float.compare / Double.compare: NaN sorts after +Infinity.
    return (1, 0.0) if math.isnan(x) else (0, x)


def _uuid_key(v: Any) -> tuple[int, int, int]:
    # Cassandra's UUIDType: by version, then (v1) by embedded time, then the raw bits unsigned.
    u = uuid.UUID(str(v)[-36:])
    version = u.version or 0
    return (version, u.time if version == 1 else u.int >> 64, u.int & ((1 << 64) - 1))


def _blob_key(v: Any) -> bytes:
    return base64.b64decode(v)


def _inet_key(v: Any) -> bytes:
    return ipaddress.ip_address(v).packed


def _plain(v: Any) -> Any:
    return v


_KEYS: dict[str, Callable[[Any], Any]] = {
    "float": _float_key,
    "double": _float_key,
    "uuid": _uuid_key,
    "timeuuid": _plain,  # stored with a time prefix, so text order is time order
    "blob": _blob_key,
    "inet": _inet_key,
}


def element_key(kind: str, stored: Any) -> Any:
    """Sort key of one stored scalar element in Cassandra's order for `kind`."""
    return _KEYS.get(kind, _plain)(stored)


def udt_key(field_kinds: list[str], stored: list[Any]) -> tuple[Any, ...]:
    """Frozen UDTs compare field by field; a missing (null) field sorts first."""
    out = []
    for i, kind in enumerate(field_kinds):
        value = stored[i] if i < len(stored) else None
        out.append((0,) if value is None else (1, element_key(kind, value)))
    return tuple(out)
