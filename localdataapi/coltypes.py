"""Column types: parsing definitions, encoding API values for SQLite and decoding them back.

Storage encodings are chosen so that SQLite's native ordering matches Cassandra's
ordering for the clustering-capable scalar types (timeuuid gets a time-prefixed key).
"""

from __future__ import annotations

import base64
import datetime
import decimal
import ipaddress
import json
import math
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from localdataapi.errors import ApiError

SCALAR_TYPES = frozenset(
    {
        "text",
        "ascii",
        "uuid",
        "timeuuid",
        "int",
        "bigint",
        "smallint",
        "tinyint",
        "varint",
        "float",
        "double",
        "decimal",
        "boolean",
        "timestamp",
        "date",
        "time",
        "blob",
        "inet",
        "duration",
    }
)
COLLECTION_TYPES = frozenset({"list", "set", "map"})
UNSUPPORTED_CREATE = frozenset({"counter"})
_INT_BITS = {"tinyint": 8, "smallint": 16, "int": 32, "bigint": 64, "varint": 64}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# 100-ns intervals between the UUID epoch (1582-10-15) and the Unix epoch.
_UUID_EPOCH_OFFSET = 0x01B21DD213814000


@dataclass(frozen=True)
class ColumnType:
    """A column's declared type (scalar, collection or vector)."""

    kind: str
    value_type: str | None = None
    key_type: str | None = None
    dimension: int | None = None

    @property
    def is_collection(self) -> bool:
        return self.kind in COLLECTION_TYPES

    @property
    def is_vector(self) -> bool:
        return self.kind == "vector"

    def describe(self) -> dict[str, Any]:
        """The schema description used in projectionSchema / listTables."""
        out: dict[str, Any] = {"type": self.kind}
        if self.kind == "map":
            out["keyType"] = self.key_type
        if self.kind in COLLECTION_TYPES:
            out["valueType"] = self.value_type
        if self.kind == "vector":
            out["dimension"] = self.dimension
        return out


def _type_name(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw.lower()
    if isinstance(raw, dict) and isinstance(raw.get("type"), str):
        return str(raw["type"]).lower()
    return None


def _bad_type(name: Any) -> ApiError:
    return ApiError(
        "SCHEMA",
        "UNKNOWN_DATA_TYPE",
        "The column definition used a data type that is not known.\n\n"
        f"The supported data types are: {', '.join(sorted(SCALAR_TYPES | COLLECTION_TYPES | {'vector'}))}.\n"
        f"The command used the unsupported data type: {name}.\n\nResend the command using a known data types.",
    )


def parse_column_type(raw: Any) -> ColumnType:
    """Parse a column definition in any of the forms astrapy sends."""
    name = _type_name(raw)
    if name is None:
        raise ApiError(
            "SCHEMA", "COLUMN_TYPE_INCORRECT", "Column data type not provided or format invalid in the definition."
        )
    if name in UNSUPPORTED_CREATE:
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_DATA_TYPE_TABLE_CREATION",
            "The column definition used unsupported data types for the table creation.\n\n"
            f"The command used the unsupported data types for table creation : {name}.",
        )
    if name in SCALAR_TYPES:
        return ColumnType(name)
    if not isinstance(raw, dict):
        raise _bad_type(name)
    if name == "vector":
        return _parse_vector(raw)
    if name in ("list", "set"):
        return ColumnType(name, value_type=_scalar_param(raw.get("valueType")))
    if name == "map":
        return ColumnType(
            name, value_type=_scalar_param(raw.get("valueType")), key_type=_scalar_param(raw.get("keyType"))
        )
    raise _bad_type(name)


def _scalar_param(raw: Any) -> str:
    name = _type_name(raw)
    if name is None or name not in SCALAR_TYPES:
        raise _bad_type(name)
    return name


def _parse_vector(raw: dict[str, Any]) -> ColumnType:
    dim = raw.get("dimension")
    if dim is None:
        raise ApiError(
            "SCHEMA",
            "MISSING_DIMENSION_IN_VECTOR_COLUMN",
            "The dimension is required for vector columns if the embedding service is not specified.",
        )
    if isinstance(dim, bool) or not isinstance(dim, int) or dim <= 0:
        raise ApiError(
            "SCHEMA",
            "UNSUPPORTED_VECTOR_DIMENSION",
            f"The dimension of the vector must be an positive integer value.\n\nThe command used the dimension: {dim}.",
        )
    return ColumnType("vector", dimension=dim)


# ---------------------------------------------------------------- scalar codecs


def _enc_text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("expected a string")
    return v


def _enc_ascii(v: Any) -> str:
    s = _enc_text(v)
    if not s.isascii():
        raise ValueError("non-ascii characters")
    return s


def _int_encoder(bits: int) -> Callable[[Any], int]:
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    def enc(v: Any) -> int:
        if isinstance(v, bool):
            raise ValueError("expected an integer")
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, str):
            v = int(v)
        if not isinstance(v, int) or not lo <= v <= hi:
            raise ValueError("integer out of range")
        return v

    return enc


_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _enc_float(v: Any) -> float:
    if isinstance(v, str) and v in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[v]
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError("expected a number")
    return float(v)


def _dec_float(v: Any) -> Any:
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _enc_bool(v: Any) -> int:
    if not isinstance(v, bool):
        raise ValueError("expected a boolean")
    return int(v)


def _enc_uuid(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("expected a uuid string")
    return str(uuid.UUID(v))


def _enc_timeuuid(v: Any) -> str:
    u = uuid.UUID(_enc_uuid(v))
    if u.version != 1:
        raise ValueError("timeuuid must be a version 1 uuid")
    # Prefix with the embedded 60-bit timestamp so text ordering == Cassandra's time ordering.
    return f"{u.time:015x}{u}"


def _dec_timeuuid(v: str) -> str:
    return v[15:]


def timeuuid_time_ms(stored: str) -> int:
    return (int(stored[:15], 16) - _UUID_EPOCH_OFFSET) // 10_000


def _enc_timestamp(v: Any) -> int:
    if isinstance(v, dict) and "$date" in v:
        v = v["$date"]
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if not isinstance(v, str):
        raise ValueError("expected an ISO-8601 timestamp")
    dt = datetime.datetime.fromisoformat(v.strip().replace("z", "Z"))
    if dt.tzinfo is None:
        raise ValueError("timestamp needs an offset")
    delta = dt - _EPOCH
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def _dec_timestamp(ms: int) -> str:
    dt = _EPOCH + datetime.timedelta(milliseconds=ms)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _enc_date(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("expected a date string")
    return datetime.date.fromisoformat(v).isoformat()


def _enc_time(v: Any) -> int:
    if not isinstance(v, str):
        raise ValueError("expected a time string")
    main, _, frac = v.partition(".")
    hh, mm, *rest = (int(p) for p in main.split(":"))
    ss = rest[0] if rest else 0
    if not (0 <= hh < 24 and 0 <= mm < 60 and 0 <= ss < 60) or not (frac.isdigit() or frac == ""):
        raise ValueError("invalid time")
    nanos = int((frac + "000000000")[:9]) if frac else 0
    return ((hh * 60 + mm) * 60 + ss) * 1_000_000_000 + nanos


def _dec_time(n: int) -> str:
    secs, nanos = divmod(n, 1_000_000_000)
    hh, rem = divmod(secs, 3600)
    mm, ss = divmod(rem, 60)
    base = f"{hh:02d}:{mm:02d}:{ss:02d}"
    return f"{base}.{nanos:09d}".rstrip("0").rstrip(".") if nanos else base


def _enc_blob(v: Any) -> bytes:
    if isinstance(v, dict) and isinstance(v.get("$binary"), str):
        return base64.b64decode(v["$binary"], validate=True)
    raise ValueError('expected {"$binary": "<base64>"}')


def _dec_blob(v: bytes) -> dict[str, str]:
    return {"$binary": base64.b64encode(v).decode("ascii")}


def _enc_inet(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("expected an address string")
    return str(ipaddress.ip_address(v))


def _enc_decimal(v: Any) -> float:
    if isinstance(v, str):
        return float(v)
    return _enc_float(v)


_C_UNITS = {
    "y": (12, 0, 0),
    "mo": (1, 0, 0),
    "w": (0, 7, 0),
    "d": (0, 1, 0),
    "h": (0, 0, 3_600_000_000_000),
    "m": (0, 0, 60_000_000_000),
    "s": (0, 0, 1_000_000_000),
    "ms": (0, 0, 1_000_000),
    "us": (0, 0, 1000),
    "µs": (0, 0, 1000),
    "ns": (0, 0, 1),
}
_C_DURATION = re.compile(r"(\d+)(mo|ms|us|µs|ns|y|w|d|h|m|s)", re.IGNORECASE)
_ISO_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def _enc_duration(v: Any) -> str:
    """Cassandra durations are (months, days, nanoseconds); stored as "m,d,ns" (no ordering)."""
    if not isinstance(v, str) or not v.strip("-"):
        raise ValueError("expected a duration string")
    sign, body = (-1, v[1:]) if v.startswith("-") else (1, v)
    months, days, nanos = _parse_iso_duration(body) if body.upper().startswith("P") else _parse_c_duration(body)
    return f"{sign * months},{sign * days},{sign * nanos}"


def _parse_c_duration(body: str) -> tuple[int, int, int]:
    parts = _C_DURATION.findall(body)
    if not parts or "".join(n + u for n, u in parts) != body:
        raise ValueError(f"invalid duration {body!r}")
    total = [0, 0, 0]
    for number, unit in parts:
        for i, factor in enumerate(_C_UNITS[unit.lower()]):
            total[i] += int(number) * factor
    return total[0], total[1], total[2]


def _parse_iso_duration(body: str) -> tuple[int, int, int]:
    match = _ISO_DURATION.match(body.upper())
    if not match or body.upper() in ("P", "PT"):
        raise ValueError(f"invalid duration {body!r}")
    y, mo, w, d, h, mi = (int(g or 0) for g in match.groups()[:6])
    secs = decimal.Decimal(match.group(7) or 0)
    nanos = ((h * 60 + mi) * 60) * 1_000_000_000 + int(secs * 1_000_000_000)
    return y * 12 + mo, w * 7 + d, nanos


def _dec_duration(stored: str) -> str:
    months, days, nanos = (int(p) for p in stored.split(","))
    sign = "-" if min(months, days, nanos) < 0 else ""
    months, days, nanos = abs(months), abs(days), abs(nanos)
    secs, frac = divmod(nanos, 1_000_000_000)
    hh, rem = divmod(secs, 3600)
    mm, ss = divmod(rem, 60)
    sec_text = f"{ss}.{frac:09d}".rstrip("0").rstrip(".") if frac else str(ss)
    date_part = f"{months // 12}Y{months % 12}M{days}D"
    return f"{sign}P{date_part}T{hh}H{mm}M{sec_text}S"


def _identity(v: Any) -> Any:
    return v


def _dec_bool(v: int) -> bool:
    return bool(v)


ENCODERS: dict[str, Callable[[Any], Any]] = {
    "text": _enc_text,
    "ascii": _enc_ascii,
    "uuid": _enc_uuid,
    "timeuuid": _enc_timeuuid,
    "float": _enc_float,
    "double": _enc_float,
    "decimal": _enc_decimal,
    "boolean": _enc_bool,
    "timestamp": _enc_timestamp,
    "date": _enc_date,
    "time": _enc_time,
    "blob": _enc_blob,
    "inet": _enc_inet,
    "duration": _enc_duration,
    **{name: _int_encoder(bits) for name, bits in _INT_BITS.items()},
}
DECODERS: dict[str, Callable[[Any], Any]] = {
    "timeuuid": _dec_timeuuid,
    "float": _dec_float,
    "double": _dec_float,
    "decimal": _dec_float,
    "boolean": _dec_bool,
    "timestamp": _dec_timestamp,
    "time": _dec_time,
    "blob": _dec_blob,
    "duration": _dec_duration,
}


def encode_scalar(kind: str, value: Any) -> Any:
    """API JSON value -> SQLite value (raises ValueError/TypeError when invalid)."""
    return ENCODERS[kind](value)


def decode_scalar(kind: str, stored: Any) -> Any:
    return DECODERS.get(kind, _identity)(stored)


def _json_elem(kind: str, value: Any) -> Any:
    """Element encoding inside JSON-stored collections (bytes are not JSON-able)."""
    enc = encode_scalar(kind, value)
    return base64.b64encode(enc).decode("ascii") if isinstance(enc, bytes) else enc


def _json_elem_decode(kind: str, stored: Any) -> Any:
    if kind == "blob":
        return {"$binary": stored}
    return decode_scalar(kind, stored)


def _sort_key(v: Any) -> tuple[int, Any]:
    # Mixed types cannot occur inside one collection; the tag just keeps tuples comparable.
    return (0, v) if not isinstance(v, list) else (1, json.dumps(v))


# ---------------------------------------------------------------- collections


def encode_list(ct: ColumnType, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected an array")
    return [_json_elem(ct.value_type or "text", v) for v in value]


def encode_set(ct: ColumnType, value: Any) -> list[Any]:
    items = {json.dumps(x): x for x in encode_list(ct, value)}
    return sorted(items.values(), key=_sort_key)


def map_pairs(value: Any) -> list[tuple[Any, Any]]:
    """Accept a map as a JSON object or as a list of [key, value] pairs."""
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 for p in value):
        return [(p[0], p[1]) for p in value]
    raise ValueError("expected an object or a list of [key, value] pairs")


def encode_map_pairs(ct: ColumnType, pairs: list[tuple[Any, Any]]) -> list[list[Any]]:
    kt, vt = ct.key_type or "text", ct.value_type or "text"
    enc = {}
    for k, v in pairs:
        if kt not in ("text", "ascii") and isinstance(k, str):
            k = json.loads(k) if kt in _INT_BITS or kt in ("float", "double") else k
        ek = _json_elem(kt, k)
        enc[json.dumps(ek)] = [ek, _json_elem(vt, v)]
    return sorted(enc.values(), key=lambda p: _sort_key(p[0]))


def encode_map(ct: ColumnType, value: Any) -> list[list[Any]]:
    return encode_map_pairs(ct, map_pairs(value))


def encode_vector(ct: ColumnType, value: Any) -> bytes:
    if isinstance(value, dict) and isinstance(value.get("$binary"), str):
        arr = np.frombuffer(base64.b64decode(value["$binary"], validate=True), dtype=">f4")
    elif isinstance(value, list) and all(isinstance(x, int | float) and not isinstance(x, bool) for x in value):
        arr = np.asarray(value, dtype=np.float64)
    else:
        raise ValueError("expected an array of numbers or a $binary vector")
    if arr.shape[0] != ct.dimension:
        raise ValueError(f"expected a vector of dimension {ct.dimension}, got {arr.shape[0]}")
    return arr.astype("<f4").tobytes()


def decode_vector(stored: bytes) -> dict[str, str]:
    big = np.frombuffer(stored, dtype="<f4").astype(">f4").tobytes()
    return {"$binary": base64.b64encode(big).decode("ascii")}


def vector_as_floats(ct: ColumnType, value: Any) -> np.ndarray:
    return np.frombuffer(encode_vector(ct, value), dtype="<f4")


def encode_value(ct: ColumnType, value: Any) -> Any:
    """API value -> SQLite column value; None (and empty collections) mean null."""
    if value is None:
        return None
    if ct.kind == "vector":
        return encode_vector(ct, value)
    if ct.kind in COLLECTION_TYPES:
        items = {"list": encode_list, "set": encode_set, "map": encode_map}[ct.kind](ct, value)
        # Cassandra does not distinguish an empty collection from null.
        return json.dumps(items, separators=(",", ":")) if items else None
    return encode_scalar(ct.kind, value)


def decode_value(ct: ColumnType, stored: Any) -> Any:
    """SQLite column value -> API JSON value."""
    if ct.kind == "vector":
        return decode_vector(stored)
    if ct.kind in COLLECTION_TYPES:
        return _decode_collection(ct, json.loads(stored))
    return decode_scalar(ct.kind, stored)


def _decode_collection(ct: ColumnType, items: list[Any]) -> Any:
    vt = ct.value_type or "text"
    if ct.kind != "map":
        return [_json_elem_decode(vt, v) for v in items]
    kt = ct.key_type or "text"
    pairs = [[_json_elem_decode(kt, k), _json_elem_decode(vt, v)] for k, v in items]
    # Text-keyed maps read back as objects; other key types as lists of pairs (as Astra does).
    return {k: v for k, v in pairs} if kt in ("text", "ascii") else pairs


def analyse_text(value: Any, flags: str) -> Any:
    """Text analysis of SAI indexes: c = case-insensitive, n = Unicode-normalised, a = ASCII-folded."""
    if not isinstance(value, str):
        return value
    if "n" in flags or "a" in flags:
        value = unicodedata.normalize("NFKD" if "a" in flags else "NFC", value)
    if "a" in flags:
        value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return value.lower() if "c" in flags else value


def encode_element(ct: ColumnType, value: Any) -> Any:
    """Encode one collection element (list/set value or map key) for filters and updates."""
    kind = ct.key_type if ct.kind == "map" else ct.value_type
    return _json_elem(kind or "text", value)


def encode_map_value(ct: ColumnType, value: Any) -> Any:
    return _json_elem(ct.value_type or "text", value)
