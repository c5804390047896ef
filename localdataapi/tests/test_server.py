"""Transport, auth, persistence across restarts and kill -9, and concurrent client processes."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from astrapy import DataAPIClient
from astrapy.authentication import UsernamePasswordTokenProvider
from astrapy.exceptions import DataAPIHttpException

from localdataapi.server import DataAPIServer
from localdataapi.tests.conftest import connect, spawn_server

ROOT = Path(__file__).resolve().parents[2]
TOKEN = UsernamePasswordTokenProvider("cassandra", "cassandra").get_token()


def test_auth(server: DataAPIServer) -> None:
    body = {"findKeyspaces": {}}
    bad = httpx.post(f"{server.url}/v1", json=body, headers={"Token": "Cassandra:eA==:eA=="})
    assert bad.status_code == 401
    assert bad.json()["errors"][0]["errorCode"] == "UNAUTHENTICATED_REQUEST"
    assert httpx.post(f"{server.url}/v1", json=body).status_code == 401
    assert httpx.post(f"{server.url}/v1", json=body, headers={"Token": "cassandra:cassandra"}).status_code == 200
    assert httpx.post(f"{server.url}/v1", json=body, headers={"Token": TOKEN}).status_code == 200
    db = DataAPIClient(environment="hcd").get_database(
        server.url, token=UsernamePasswordTokenProvider("cassandra", "wrong"), keyspace="killrvideo"
    )
    with pytest.raises(DataAPIHttpException):
        db.list_table_names()


def test_paths_and_malformed_requests(server: DataAPIServer, db: object) -> None:
    headers = {"Token": TOKEN}
    ok = httpx.post(f"{server.url}/api/json/v1/killrvideo", json={"listTables": {}}, headers=headers)
    assert ok.status_code == 200
    assert "tables" in ok.json()["status"]
    bad_json = httpx.post(f"{server.url}/v1/killrvideo", content=b"{nope", headers=headers)
    assert bad_json.json()["errors"][0]["errorCode"] == "REQUEST_NOT_JSON"
    two = httpx.post(f"{server.url}/v1/killrvideo", json={"listTables": {}, "dropTable": {}}, headers=headers)
    assert two.json()["errors"][0]["errorCode"] == "REQUEST_STRUCTURE_MISMATCH"


def test_restart_persistence(tmp_path: Path) -> None:
    srv = DataAPIServer(data_dir=tmp_path, port=0)
    srv.start()
    db = connect(srv.url, keyspace="ks1")
    db.get_database_admin().create_keyspace("ks1")
    table = db.create_table(
        "t", definition={"columns": {"k": "text", "v": {"type": "vector", "dimension": 2}}, "primaryKey": "k"}
    )
    table.create_vector_index("t_v", column="v")
    table.insert_many([{"k": f"k{i}", "v": [1.0, float(i)]} for i in range(10)])
    srv.stop()
    srv = DataAPIServer(data_dir=tmp_path, port=0)
    srv.start()
    try:
        table = connect(srv.url, keyspace="ks1").get_table("t")
        assert len(table.find({}).to_list()) == 10
        assert table.list_index_names() == ["t_v"]
        assert table.find_one({}, sort={"v": [1.0, 9.0]})["k"] == "k9"  # type: ignore[index]
    finally:
        srv.stop()


def test_kill_9_durability_and_sigterm(process_server: tuple[subprocess.Popen[str], str, Path]) -> None:
    proc, url, data_dir = process_server
    db = connect(url, keyspace="ks2")
    db.get_database_admin().create_keyspace("ks2")
    table = db.create_table("t", definition={"columns": {"k": "int", "s": "text"}, "primaryKey": "k"})
    table.insert_many([{"k": i, "s": "x"} for i in range(100)])
    table.update_one({"k": 1}, {"$set": {"s": "y"}})
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc2, url2 = spawn_server(data_dir)
    try:
        table = connect(url2, keyspace="ks2").get_table("t")
        assert len(table.find({}).to_list()) == 100
        assert table.find_one({"k": 1}) == {"k": 1, "s": "y"}
        proc2.send_signal(signal.SIGTERM)
        assert proc2.wait(timeout=10) == 0
    finally:
        if proc2.poll() is None:
            proc2.kill()


CLIENT = textwrap.dedent("""
    import sys
    from astrapy import DataAPIClient
    from astrapy.authentication import UsernamePasswordTokenProvider
    url, worker = sys.argv[1], int(sys.argv[2])
    token = UsernamePasswordTokenProvider("cassandra", "cassandra")
    db = DataAPIClient(environment="hcd").get_database(url, token=token, keyspace="killrvideo")
    table = db.get_table(sys.argv[3])
    for i in range(100):
        table.insert_one({"w": worker, "i": i})
    table.insert_many([{"w": worker, "i": 100 + i} for i in range(200)], concurrency=10, chunk_size=20)
    assert len(table.find({"w": worker}).to_list()) == 300
""")


def test_concurrent_client_processes(server: DataAPIServer, db: object, name: str) -> None:
    connect(server.url).create_table(
        name,
        definition={
            "columns": {"w": "int", "i": "int"},
            "primaryKey": {"partitionBy": ["w"], "partitionSort": {"i": 1}},
        },
    )
    procs = [subprocess.Popen([sys.executable, "-c", CLIENT, server.url, str(w), name]) for w in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    table = connect(server.url).get_table(name)
    assert sum(len(table.find({"w": w}).to_list()) for w in range(3)) == 900


def test_one_server_per_data_dir(server: DataAPIServer) -> None:
    with pytest.raises(RuntimeError, match="in use"):
        DataAPIServer(data_dir=server.data_dir, port=0).start()
