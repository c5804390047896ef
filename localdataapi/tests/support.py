"""Shared test data and helpers: a table of every creatable column type, and a stand-in for CQL DDL (tables
with column types the Data API reads but cannot create)."""

from __future__ import annotations

from typing import Any

from astrapy import Database
from astrapy.table import Table

from localdataapi import ddl
from localdataapi.server import DataAPIServer
from localdataapi.tests.conftest import KEYSPACE


def cql_table(server: DataAPIServer, db: Database, name: str, definition: dict[str, Any]) -> Table[Any]:
    """Create a table as CQL would (timeuuid, counter allowed), then open it through astrapy."""
    assert server.storage is not None
    ddl.create_table(server.storage.get(KEYSPACE), {"name": name, "definition": definition}, cql=True)
    return db.get_table(name)


# Every column type the Data API can create, in each definition form.
ALL_TYPES = {
    "columns": {
        "id": "uuid",
        "t": "text",
        "a": "ascii",
        "i": "int",
        "bi": "bigint",
        "si": "smallint",
        "ti": "tinyint",
        "f": "float",
        "d": "double",
        "b": "boolean",
        "ts": "timestamp",
        "dt": "date",
        "s": {"type": "set", "valueType": "text"},
        "l": {"type": "list", "valueType": "int"},
        "m": {"type": "map", "keyType": "text", "valueType": "double"},
        "v": {"type": "vector", "dimension": 4},
    },
    "primaryKey": {"partitionBy": ["id"], "partitionSort": {"i": 1, "ti": -1}},
}
