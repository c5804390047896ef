"""localdataapi: an embedded Astra DB Data API (Tables) server on top of SQLite."""

from __future__ import annotations

from localdataapi.server import DataAPIServer

__all__ = ["DataAPIServer"]
