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
from localdataapi.ordering import NON_FINITE, element_key, udt_key

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
UDT = "userDefined"
# Known to the Data API but never creatable through it (see creatable.py); "counter" is not storable.
CQL_ONLY_TYPES = frozenset({"counter"})
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
    # User-defined types: the column's own UDT (kind "userDefined") or its collection value type.
    udt_name: str | None = None
    # Resolved from the keyspace's types (see udt.resolve_columns): ((field, scalar kind), ...).
    fields: tuple[tuple[str, str], ...] | None = None
    udt_keyspace: str | None = None

    @property
    def is_collection(self) -> bool:
        return self.kind in COLLECTION_TYPES

    @property
    def is_vector(self) -> bool:
        return self.kind == "vector"

    @property
    def is_udt(self) -> bool:
        return self.kind == UDT

    @property
    def holds_udt(self) -> bool:
        """A UDT column, or a collection whose values are UDTs."""
        return self.is_udt or self.value_type == UDT

    def describe(self, dml: bool = False) -> dict[str, Any]:
        """The schema description: listTables (`dml=False`) or projectionSchema (`dml=True`, UDTs inline)."""
        if self.is_udt:
            return self._udt_describe(dml, frozen=False)
        out = self.storage_json()
        if self.value_type == UDT:
            out["valueType"] = self._udt_describe(dml, frozen=True)
        support = api_support(self.kind)
        if support:
            out["apiSupport"] = support
        return out

    def _udt_describe(self, dml: bool, frozen: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"type": UDT, "udtName": self.udt_name}
        if dml:
            fields = {name: {"type": kind, **_support_entry(kind)} for name, kind in self.fields or ()}
            out["definition"] = {"fields": fields}
        if not frozen:
            # A non-frozen UDT column cannot be filtered on, so Astra describes its support.
            out["apiSupport"] = udt_api_support(self.udt_keyspace or "", self.udt_name or "")
        return out

    def storage_json(self) -> dict[str, Any]:
        """The definition as stored in the catalog (and as given to createTable)."""
        if self.is_udt:
            return {"type": UDT, "udtName": self.udt_name}
        out: dict[str, Any] = {"type": self.kind}
        if self.kind == "map":
            out["keyType"] = self.key_type
        if self.kind in COLLECTION_TYPES:
            out["valueType"] = {"type": UDT, "udtName": self.udt_name} if self.value_type == UDT else self.value_type
        if self.kind == "vector":
            out["dimension"] = self.dimension
        return out


def cql_identifier(name: str) -> str:
    """CQL's "pretty" identifier: quoted unless it is a plain lower-case name."""
    return name if re.fullmatch(r"[a-z][a-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def api_support(kind: str) -> dict[str, Any] | None:
    """Astra's `apiSupport` for primitive types it reads but will not create (timeuuid, counter)."""
    if kind == "timeuuid":
        return {"createTable": False, "insert": True, "read": True, "filter": True, "cqlDefinition": "timeuuid"}
    if kind == "counter":
        return {"createTable": False, "insert": False, "read": True, "filter": True, "cqlDefinition": "counter"}
    return None


def _support_entry(kind: str) -> dict[str, Any]:
    support = api_support(kind)
    return {"apiSupport": support} if support else {}


def udt_api_support(keyspace: str, name: str) -> dict[str, Any]:
    return {
        "createTable": True,
        "insert": True,
        "read": True,
        "filter": False,
        "cqlDefinition": f"{cql_identifier(keyspace)}.{cql_identifier(name)}",
    }


def _type_name(raw: Any) -> str | None:
    name = raw if isinstance(raw, str) else raw.get("type") if isinstance(raw, dict) else None
    if not isinstance(name, str):
        return None
    return UDT if name == UDT else name.lower()


def _bad_type(name: Any) -> ApiError:
    return ApiError(
        "SCHEMA",
        "UNKNOWN_DATA_TYPE",
        "The column definition used a data type that is not known.\n\n"
        f"The supported data types are: {', '.join(sorted(SCALAR_TYPES | COLLECTION_TYPES | {'vector'}))}.\n"
        f"The command used the unsupported data type: {name}.\n\nResend the command using a known data types.",
    )


def _bad_short_form(name: Any) -> ApiError:
    return ApiError(
        "SCHEMA",
        "UNKNOWN_PRIMITIVE_DATA_TYPE",
        "The column definition used the short hand for the data type, which only supports primitive data types.\n"
        "\n"
        f"The supported primitive data types are: {', '.join(sorted(SCALAR_TYPES | CQL_ONLY_TYPES))}.\n"
        f"The command used the unsupported data type: {name}.\n\nResend the command using a known primitive data type.",
    )


def parse_column_type(raw: Any) -> ColumnType:
    """Parse a column definition in any of the forms astrapy sends."""
    name = _type_name(raw)
    if name is None:
        raise ApiError(
            "SCHEMA", "COLUMN_TYPE_INCORRECT", "Column data type not provided or format invalid in the definition."
        )
    if name in SCALAR_TYPES or name in CQL_ONLY_TYPES:
        return ColumnType(name)
    if not isinstance(raw, dict):
        raise _bad_short_form(name)
    if name == "vector":
        return _parse_vector(raw)
    if name == UDT:
        return ColumnType(UDT, udt_name=_udt_name(raw))
    if name in ("list", "set"):
        vt = raw.get("valueType")
        if _type_name(vt) == UDT:
            return ColumnType(name, value_type=UDT, udt_name=_udt_name(vt))
        return ColumnType(name, value_type=_scalar_param(vt))
    if name == "map":
        return _parse_map(raw)
    raise _bad_type(name)


def _parse_map(raw: dict[str, Any]) -> ColumnType:
    vt, kt = raw.get("valueType"), raw.get("keyType")
    if _type_name(kt) == UDT:
        raise unsupported_map_definition(UDT, _type_name(vt) or "")
    key = _scalar_param(kt)
    if _type_name(vt) == UDT:
        return ColumnType("map", value_type=UDT, key_type=key, udt_name=_udt_name(vt))
    return ColumnType("map", value_type=_scalar_param(vt), key_type=key)


def unsupported_map_definition(key: str, value: str) -> ApiError:
    return ApiError(
        "SCHEMA",
        "UNSUPPORTED_MAP_DEFINITION",
        "The command attempted to create a map column that used unsupported types for either the key or value.\n\n"
        "Maps can use most primitive types for the key and value, and userDefined types for the value.\n\n"
        f"The supported key types are: {', '.join(sorted(SCALAR_TYPES - {'duration', 'timeuuid'}))}.\n"
        f"The supported value types are: {', '.join(sorted(SCALAR_TYPES - {'timeuuid'}))}, {UDT}.\n\n"
        f"The command used the key type: {key}.\nThe command used the value type: {value}.\n\n"
        "Resend the command using a supported key and value type.",
    )


def _udt_name(raw: Any) -> str:
    name = raw.get("udtName") if isinstance(raw, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ApiError(
            "SCHEMA",
            "INVALID_USER_DEFINED_TYPE_NAME",
            f"User defined type name is not valid: {name if isinstance(name, str) else 'null'}.\n\n"
            'The user defined type name "udtName" must not be empty.\n\n'
            "Resend the command using a valid user defined type name.",
        )
    return name


def _scalar_param(raw: Any) -> str:
    name = _type_name(raw)
    if name is None or name not in SCALAR_TYPES | CQL_ONLY_TYPES:
        raise _bad_type(name)
    return name


def vectorize_unavailable(service: Any) -> ApiError:
    """No embedding provider is configured here, so every provider is "not supported" (Astra's error)."""
    provider = service.get("provider") if isinstance(service, dict) else None
    return ApiError(
        "SCHEMA",
        "INVALID_CREATE_COLLECTION_OPTIONS",
        f"'createCollection' command option(s) invalid: Service provider '{provider}' is not supported\n\n"
        "Resend 'createCollection' with valid options.",
    )


def _parse_vector(raw: dict[str, Any]) -> ColumnType:
    if raw.get("service") is not None:
        raise vectorize_unavailable(raw["service"])
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
_FLOAT32_MAX = float(np.finfo(np.float32).max)  # older rows may hold doubles beyond float32's range


def _enc_float(v: Any) -> float | str:
    """A double; NaN is stored as the text "NaN" (SQLite turns a NaN REAL into NULL)."""
    if isinstance(v, str):
        if v not in _SPECIAL_FLOATS:
            raise ValueError('Unsupported String value: only "NaN", "Infinity" and "-Infinity" supported')
        v = _SPECIAL_FLOATS[v]
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError("expected a number")
    return "NaN" if math.isnan(v) else float(v)


def _enc_float32(v: Any) -> float | str:
    """A CQL float: rounded to float32 on write, as Cassandra stores it."""
    x = _enc_float(v)
    if isinstance(x, str) or math.isinf(x):
        return x
    rounded = float(np.float32(x))
    if math.isinf(rounded):
        raise ValueError(f"value {v} out of range for float")
    return rounded


def _dec_float(v: Any) -> Any:
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _dec_float32(v: Any) -> Any:
    # Printed like Java's Float.toString: the shortest decimal that reads back as the same float32.
    if isinstance(v, float) and math.isfinite(v) and abs(v) <= _FLOAT32_MAX:
        return float(str(np.float32(v)))
    return _dec_float(v)


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
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError("expected a number")
    return float(v)


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
    "float": _enc_float32,
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
    "float": _dec_float32,
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
    """Element encoding inside JSON-stored collections (bytes and non-finite floats are not JSON-able)."""
    enc = encode_scalar(kind, value)
    if isinstance(enc, float) and math.isinf(enc):
        return "Infinity" if enc > 0 else "-Infinity"
    return base64.b64encode(enc).decode("ascii") if isinstance(enc, bytes) else enc


def _json_elem_decode(kind: str, stored: Any) -> Any:
    if kind == "blob":
        return {"$binary": stored}
    if isinstance(stored, str) and stored in NON_FINITE and kind in ("float", "double"):
        return stored
    return decode_scalar(kind, stored)


# ---------------------------------------------------------------- user-defined types


def encode_udt(ct: ColumnType, value: Any) -> list[Any]:
    """A UDT value stored positionally by field (so renaming a field needs no rewrite); trailing nulls dropped."""
    fields = ct.fields or ()
    if isinstance(value, list):  # Astra also accepts the "tuple format": [[field, value], ...]
        pairs = map_pairs(value)
    elif isinstance(value, dict):
        pairs = list(value.items())
    else:
        raise ValueError(f"expected an object for user-defined type '{ct.udt_name}'")
    index = {name: i for i, (name, _) in enumerate(fields)}
    out: list[Any] = [None] * len(fields)
    for name, v in pairs:
        if not isinstance(name, str):
            raise ValueError(f"UDT field name must be a string, but got: {type(name).__name__}")
        if name not in index:
            raise ValueError(f"Missing field '{name}' in UDT '{ct.udt_name}'.")
        i = index[name]
        out[i] = None if v is None else _json_elem(fields[i][1], v)
    while out and out[-1] is None:
        out.pop()
    return out


def decode_udt(ct: ColumnType, stored: list[Any]) -> dict[str, Any]:
    """Null fields are omitted, as the Data API does; fields added since the write read as null."""
    return {
        name: _json_elem_decode(kind, v)
        for (name, kind), v in zip(ct.fields or (), stored, strict=False)
        if v is not None
    }


# ---------------------------------------------------------------- collections


def _value_elem(ct: ColumnType, value: Any) -> Any:
    if ct.value_type == UDT:
        return encode_udt(ct, value)
    return _json_elem(ct.value_type or "text", value)


def _value_elem_decode(ct: ColumnType, stored: Any) -> Any:
    if ct.value_type == UDT:
        return decode_udt(ct, stored)
    return _json_elem_decode(ct.value_type or "text", stored)


def _value_key(ct: ColumnType) -> Callable[[Any], Any]:
    if ct.value_type == UDT:
        kinds = [kind for _, kind in ct.fields or ()]
        return lambda v: udt_key(kinds, v)
    kind = ct.value_type or "text"
    return lambda v: element_key(kind, v)


def sort_set(ct: ColumnType, items: list[Any]) -> list[Any]:
    """Deduplicate stored set elements and order them as Cassandra does for the element type."""
    unique = {json.dumps(x): x for x in items}
    return sorted(unique.values(), key=_value_key(ct))


def sort_map(ct: ColumnType, pairs: list[list[Any]]) -> list[list[Any]]:
    """Stored [key, value] pairs, one per key (last wins), in Cassandra's key order."""
    unique = {json.dumps(p[0]): p for p in pairs}
    kind = ct.key_type or "text"
    return sorted(unique.values(), key=lambda p: element_key(kind, p[0]))


def encode_list(ct: ColumnType, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected an array")
    return [_value_elem(ct, v) for v in value]


def encode_set(ct: ColumnType, value: Any) -> list[Any]:
    return sort_set(ct, encode_list(ct, value))


def map_pairs(value: Any) -> list[tuple[Any, Any]]:
    """Accept a map as a JSON object or as a list of [key, value] pairs."""
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 for p in value):
        return [(p[0], p[1]) for p in value]
    raise ValueError("expected an object or a list of [key, value] pairs")


def encode_map_pairs(ct: ColumnType, pairs: list[tuple[Any, Any]]) -> list[list[Any]]:
    kt = ct.key_type or "text"
    enc = []
    for k, v in pairs:
        if kt not in ("text", "ascii") and isinstance(k, str) and k not in NON_FINITE:
            k = json.loads(k) if kt in _INT_BITS or kt in ("float", "double") else k
        enc.append([_json_elem(kt, k), _value_elem(ct, v)])
    return sort_map(ct, enc)


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


def decode_vector(stored: bytes) -> list[float]:
    """Vectors read back as number arrays printed at float32 precision, as the Data API sends them."""
    return float32_list(np.frombuffer(stored, dtype="<f4"))


def float32_list(values: Any) -> list[float]:
    # str() of a numpy float32 is the shortest text that reads back as the same float32 (like Java).
    return [float(str(x)) for x in np.asarray(values, dtype=np.float32)]


def vector_as_floats(ct: ColumnType, value: Any) -> np.ndarray:
    return np.frombuffer(encode_vector(ct, value), dtype="<f4")


def encode_value(ct: ColumnType, value: Any) -> Any:
    """API value -> SQLite column value; None (and empty collections) mean null."""
    if value is None:
        return None
    if ct.kind == "vector":
        return encode_vector(ct, value)
    if ct.is_udt:
        fields = encode_udt(ct, value)
        # A non-frozen UDT with every field null has no cells: Cassandra reads it as null.
        return json.dumps(fields, separators=(",", ":")) if fields else None
    if ct.kind in COLLECTION_TYPES:
        items = {"list": encode_list, "set": encode_set, "map": encode_map}[ct.kind](ct, value)
        # Cassandra does not distinguish an empty collection from null.
        return json.dumps(items, separators=(",", ":")) if items else None
    return encode_scalar(ct.kind, value)


def decode_value(ct: ColumnType, stored: Any) -> Any:
    """SQLite column value -> API JSON value."""
    if ct.kind == "vector":
        return decode_vector(stored)
    if ct.is_udt:
        return decode_udt(ct, json.loads(stored))
    if ct.kind in COLLECTION_TYPES:
        return _decode_collection(ct, json.loads(stored))
    return decode_scalar(ct.kind, stored)


def _decode_collection(ct: ColumnType, items: list[Any]) -> Any:
    if ct.kind != "map":
        return [_value_elem_decode(ct, v) for v in items]
    kt = ct.key_type or "text"
    pairs = [[_json_elem_decode(kt, k), _value_elem_decode(ct, v)] for k, v in items]
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
    if ct.kind == "map":
        return _json_elem(ct.key_type or "text", value)
    return _value_elem(ct, value)


def encode_map_value(ct: ColumnType, value: Any) -> Any:
    return _value_elem(ct, value)


def sql_param(stored: Any) -> Any:
    """A stored collection element as SQLite's json_each/json_extract return it (UDTs are JSON text)."""
    return json.dumps(stored, separators=(",", ":")) if isinstance(stored, list) else stored
