"""HTTP front end: a keep-alive threaded server speaking the Data API JSON protocol."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from localdataapi.commands import execute
from localdataapi.errors import error_object, internal_error_response
from localdataapi.storage import Storage
from localdataapi.textindex import Tuning

log = logging.getLogger(__name__)

_PREFIXES = ("/api/json/v1", "/v1")
_JSON_HEADERS = b"Content-Type: application/json\r\n"


def parse_path(path: str) -> tuple[bool, str | None, str | None]:
    """(valid, keyspace, table) for /v1, /v1/{ks}, /v1/{ks}/{table} (also under /api/json)."""
    path = path.split("?", 1)[0].rstrip("/")
    for prefix in _PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            parts = [p for p in path[len(prefix) :].split("/") if p]
            if len(parts) > 2:
                return False, None, None
            return True, (parts[0] if parts else None), (parts[1] if len(parts) > 1 else None)
    return False, None, None


class Authenticator:
    """Accepts astrapy's `Cassandra:<b64 user>:<b64 password>` token or the plain `user:password` token."""

    def __init__(self, username: str, password: str, token: str | None) -> None:
        self._user = username
        self._password = password
        self._plain = {f"{username}:{password}"} | ({token} if token else set())

    def check(self, header: str | None) -> bool:
        if not header:
            return False
        if any(hmac.compare_digest(header, t) for t in self._plain):
            return True
        parts = header.split(":")
        if len(parts) != 3 or parts[0] != "Cassandra":
            return False
        try:
            user, password = (base64.b64decode(p, validate=True).decode() for p in parts[1:])
        except (binascii.Error, UnicodeDecodeError):
            return False
        return hmac.compare_digest(user, self._user) and hmac.compare_digest(password, self._password)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # astrapy's insert_many opens up to 20 connections at once: a deep backlog avoids resets.
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: DataAPIServer) -> None:
        self.app = app
        self.live: set[socket.socket] = set()
        self.live_lock = threading.Lock()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping pooled keep-alive connections is routine; anything else is logged, not printed.
        log.debug("connection error from %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    server_version = "localdataapi"

    def setup(self) -> None:
        super().setup()
        # Responses are written in one send; NODELAY avoids Nagle/delayed-ACK stalls on keep-alive.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.live_lock:
            self.server.live.add(self.connection)

    def finish(self) -> None:
        with self.server.live_lock:
            self.server.live.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        reason = self.responses.get(status, ("",))[0]
        head = (
            f"HTTP/1.1 {status} {reason}\r\n".encode("ascii")
            + _JSON_HEADERS
            + f"Content-Length: {len(data)}\r\n\r\n".encode("ascii")
        )
        self.wfile.write(head + data)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("", "/health", "/v1/health"):
            self._reply(200, {"status": {"ok": 1}})
            return
        self._reply(405, {"errors": [error_object("", "REQUEST_STRUCTURE_MISMATCH", "Only POST is supported.")]})

    def do_POST(self) -> None:
        raw = self._read_body()
        if not self.server.app.auth.check(self.headers.get("Token")):
            self._reply(
                401,
                {
                    "errors": [
                        error_object(
                            "",
                            "UNAUTHENTICATED_REQUEST",
                            "Authentication failed for request due to invalid token.\n\n"
                            "Resend with valid authentication token.",
                        )
                    ]
                },
            )
            return
        valid, keyspace, table = parse_path(self.path)
        if not valid:
            self._reply(
                404, {"errors": [error_object("", "REQUEST_STRUCTURE_MISMATCH", f"Unknown path '{self.path}'.")]}
            )
            return
        self._reply(200, self._run(raw, keyspace, table))

    def _run(self, raw: bytes, keyspace: str | None, table: str | None) -> dict[str, Any]:
        try:
            body = json.loads(raw or b"null")
        except ValueError as exc:
            return {
                "errors": [
                    error_object(
                        "",
                        "REQUEST_NOT_JSON",
                        f"Request not valid JSON, problem: {exc}.\n\nResend request as valid JSON.",
                    )
                ]
            }
        storage = self.server.app.storage
        assert storage is not None, "the server answers only while started"
        try:
            return execute(storage, keyspace, table, body)
        except Exception as exc:  # the connection must survive any bug in a command
            log.exception("command failed")
            return internal_error_response(exc)


class DataAPIServer:
    """An embedded Data API (Tables) server backed by SQLite files under `data_dir`."""

    def __init__(
        self,
        data_dir: str | Path = "var/dataapi",
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = "cassandra",
        password: str = "cassandra",  # noqa: S107
        token: str | None = None,
        index_tuning: Tuning | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.index_tuning = index_tuning
        self.host = host
        self.port = port
        self.auth = Authenticator(username, password, token)
        self.storage: Storage | None = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Open storage, bind and serve in a background thread; returns once listening."""
        self.storage = Storage(self.data_dir, self.index_tuning)
        try:
            self._httpd = _HTTPServer((self.host, self.port), self)
        except OSError:
            self.storage.close()
            self.storage = None
            raise
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="localdataapi", daemon=True)
        self._thread.start()
        log.info("Data API server listening on %s (data in %s)", self.url, self.data_dir)

    def stop(self) -> None:
        """Stop serving, drop open keep-alive connections and close SQLite connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
            with httpd.live_lock:
                live = list(httpd.live)
            for sock in live:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.storage is not None:
            self.storage.close()
            self.storage = None
        log.info("Data API server stopped")

    def __enter__(self) -> DataAPIServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
