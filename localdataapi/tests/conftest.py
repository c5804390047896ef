"""Fixtures: one real server per test session (tmp dir, ephemeral port) and astrapy clients."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from astrapy import AsyncDatabase, DataAPIClient, Database
from astrapy.authentication import UsernamePasswordTokenProvider
from astrapy.exceptions import DataAPIResponseException

from localdataapi.server import DataAPIServer

KEYSPACE = "killrvideo"
ROOT = Path(__file__).resolve().parents[2]
_counter = itertools.count()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dataapi")


@pytest.fixture(scope="session")
def server(data_dir: Path) -> Iterator[DataAPIServer]:
    srv = DataAPIServer(data_dir=data_dir, host="127.0.0.1", port=0, username="cassandra", password="cassandra")
    srv.start()
    yield srv
    srv.stop()


def connect(url: str, keyspace: str = KEYSPACE) -> Database:
    return DataAPIClient(environment="hcd").get_database(
        url, token=UsernamePasswordTokenProvider("cassandra", "cassandra"), keyspace=keyspace
    )


@pytest.fixture(scope="session")
def db(server: DataAPIServer) -> Database:
    database = connect(server.url)
    database.get_database_admin().create_keyspace(KEYSPACE)
    return database


@pytest.fixture
def adb(server: DataAPIServer, db: Database) -> AsyncDatabase:
    return db.to_async()


@pytest.fixture
def name() -> str:
    """A table name unique within the session."""
    return f"t{next(_counter)}"


def error_code(exc: BaseException) -> str:
    assert isinstance(exc, DataAPIResponseException), exc
    return str(exc.error_descriptors[0].error_code)


def warning_codes(response: dict[str, Any]) -> list[str]:
    return [w["errorCode"] for w in (response.get("status") or {}).get("warnings", [])]


def spawn_server(data_dir: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "localdataapi", "--port", "0", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return proc, match.group(1)
    raise AssertionError("server did not start")


@pytest.fixture
def process_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    proc, url = spawn_server(tmp_path)
    yield proc, url, tmp_path
    if proc.poll() is None:
        proc.kill()
        proc.wait()
