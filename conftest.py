"""Session fixtures shared by every app's tests: the real stack, started once.

- the embedded Data API server (temp dir, ephemeral port) with the schema migrated,
- a real Redis (ephemeral port) for cache, sessions, rate limits and Celery,
- the local YouTube stand-in (the one allowed stand-in, for an internet service),
- a real Celery worker subprocess (on demand: the `celery_worker` fixture),
- the app served on a real port in this process (`live_server`, database-free) and headless Chromium
  through Playwright against it (the `page` fixture).

Only tests that use the stack pay for it: a test that uses any fixture built on `kv_stack` (the role users,
`client`, `live_server`, `page`, `celery_worker`, ...) or asks for `store` starts with empty tables and
Redis, and runs under `no_scan_warnings`: a Data API scan or in-memory sort fails it unless the test is
marked `allows_scan` (import commands and the like, never user-facing requests). Pure tests start nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allows_scan: the test may cause Data API scan/sort warnings")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # `fixturenames` is the closure of everything a test uses: anything on the stack gets a clean store first.
    for item in items:
        names = getattr(item, "fixturenames", [])
        if "kv_stack" in names and "store" not in names:
            names.insert(0, "store")


@dataclass(frozen=True)
class Stack:
    data_api_url: str
    redis_url: str
    youtube_data_api_base_url: str
    youtube_oembed_url: str
    keyspace: str
    workdir: Path
    # The embedded server itself (in this process): it counts the writes to each table, see `_truncate_everything`.
    data_api: Any = field(default=None, repr=False, compare=False)

    def env(self) -> dict[str, str]:
        """Environment for child processes (worker, commands) so they use this stack."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "killrvideo.settings.test",
            "LOCAL_DATA_API_URL": self.data_api_url,
            "REDIS_URL": self.redis_url,
            "ASTRA_DB_KEYSPACE": self.keyspace,
            "ASTRA_DB_API_ENDPOINT": "",
            "ASTRA_DB_APPLICATION_TOKEN": "",
            "YOUTUBE_DATA_API_BASE_URL": self.youtube_data_api_base_url,
            "YOUTUBE_OEMBED_URL": self.youtube_oembed_url,
            "YOUTUBE_API_KEY": "",
            "PYTHONPATH": str(ROOT),
        }


@pytest.fixture(scope="session")
def youtube_standin() -> Iterator[object]:
    from catalog.tests.youtube_standin import start_youtube_standin

    standin = start_youtube_standin()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def kv_stack(tmp_path_factory: pytest.TempPathFactory, youtube_standin: object) -> Iterator[Stack]:
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from killrvideo import astra, devservices
    from killrvideo.celery import app as celery_app
    from localdataapi.server import DataAPIServer

    workdir = tmp_path_factory.mktemp("stack")
    server = DataAPIServer(
        data_dir=str(workdir / "dataapi"),
        host="127.0.0.1",
        port=0,
        username=settings.LOCAL_DATA_API_USERNAME,
        password=settings.LOCAL_DATA_API_PASSWORD,
    )
    server.start()
    redis_port = devservices.free_port()
    redis = devservices.start_redis(redis_port, str(workdir / "redis"))
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    stack = Stack(
        data_api_url=server.url,
        redis_url=redis_url,
        youtube_data_api_base_url=youtube_standin.data_api_base_url,  # type: ignore[attr-defined]
        youtube_oembed_url=youtube_standin.oembed_url,  # type: ignore[attr-defined]
        keyspace=settings.ASTRA_DB_KEYSPACE,
        workdir=workdir,
        data_api=server,
    )
    overrides = override_settings(
        LOCAL_DATA_API_URL=server.url,
        REDIS_URL=redis_url,
        CACHES={"default": {**settings.CACHES["default"], "LOCATION": redis_url}},
        CELERY_BROKER_URL=redis_url,
        CELERY_RESULT_BACKEND=redis_url,
        YOUTUBE_DATA_API_BASE_URL=stack.youtube_data_api_base_url,
        YOUTUBE_OEMBED_URL=stack.youtube_oembed_url,
        YOUTUBE_API_KEY="",
    )
    overrides.enable()
    celery_app.conf.update(broker_url=redis_url, result_backend=redis_url)
    astra.reset()
    call_command("astra_migrate", verbosity=0)
    yield stack
    overrides.disable()
    redis.terminate()
    redis.wait(timeout=10)
    server.stop()


def start_worker(
    stack: Stack,
    *,
    queue: str,
    log_path: Path,
    extra_env: dict[str, str] | None = None,
    own_session: bool = False,
) -> subprocess.Popen[bytes]:
    """A real worker process consuming `queue`, returned once it has answered a ping task on that queue.

    `own_session` puts it in its own process group, so a test can SIGKILL it together with any pool children.
    """
    from killrvideo.tasks import ping

    log = open(log_path, "ab")  # noqa: SIM115 - the child keeps its own copy of the descriptor
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "killrvideo",
            "worker",
            "--pool=threads",
            "--concurrency=4",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env={**stack.env(), **(extra_env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=own_session,
    )
    log.close()
    try:
        ping.apply_async(queue=queue).get(timeout=60)
    except Exception as exc:
        worker.kill()
        worker.wait(timeout=10)
        raise RuntimeError("Celery worker did not start:\n" + log_path.read_text()[-4000:]) from exc
    return worker


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (unacknowledged messages go back to their queue); a kill if it does not stop in time."""
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


# A video's retries back off from 0.25 s instead of 2 s (0.25, 0.5, 1, ... s): the same retry chain, without
# seconds of waiting in the tests that go through it (no test depends on the base; the cap is unchanged).
SESSION_WORKER_ENV = {"CATALOG_PROCESS_RETRY_BASE_SECONDS": "0.25"}


@pytest.fixture(scope="session")
def celery_worker(kv_stack: Stack) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process consuming the test queue; waits until it answers a ping task."""
    from django.conf import settings

    worker = start_worker(
        kv_stack,
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        log_path=kv_stack.workdir / "worker.log",
        extra_env=SESSION_WORKER_ENV,
    )
    yield worker
    stop_worker(worker)


@dataclass
class _Emptied:
    """The write count of each table when it was last emptied, in the keyspace store they were read from."""

    store: object = None
    versions: dict[str, int] = field(default_factory=dict)


_emptied = _Emptied()


def _truncate_everything(stack: Stack) -> None:
    import redis as redis_lib
    from django.conf import settings

    from killrvideo import astra, schema

    # The server bumps a table's version after every write to it (insert, update, delete), whoever sent it: this
    # process, the worker or a command. A table whose version is still the one its last emptying left is
    # still empty, so it is not emptied again; any other write in between makes the versions differ.
    store = stack.data_api.storage.get(stack.keyspace)
    if _emptied.store is not store:  # a new server or keyspace: count from scratch
        _emptied.store, _emptied.versions = store, {}
    for spec in schema.declared_tables():
        version = store.version(spec.name)
        if _emptied.versions.get(spec.name) == version:
            continue
        astra.get_table(spec.name).delete_many({})
        _emptied.versions[spec.name] = version + 1  # the delete's own bump
    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    # Only our own keys: Celery's queue bindings live in the same Redis and must survive.
    keys = [key for pattern in ("kv:*", "kvapp:*") for key in client.scan_iter(pattern, count=1000)]
    if keys:
        client.delete(*keys)


@pytest.fixture
def store(request: pytest.FixtureRequest, kv_stack: Stack) -> Iterator[None]:
    """Empty tables and caches, and a failure on hot-path scans unless the test is marked `allows_scan`."""
    from killrvideo.tests.support import no_scan_warnings

    _truncate_everything(kv_stack)
    if request.node.get_closest_marker("allows_scan"):
        yield
        return
    with no_scan_warnings():
        yield


CLOSED_DATA_API_URL = "http://127.0.0.1:9"
CLOSED_REDIS_URL = "redis://127.0.0.1:9/0"


@pytest.fixture(autouse=True)
def _pure_tests_cannot_reach_the_stack(request: pytest.FixtureRequest) -> Iterator[None]:
    """Once an earlier test started the stack its URLs stay in the settings: a test that does not ask for
    the stack is pointed back at closed ports, so it fails the same way whatever ran before it."""
    if "kv_stack" in request.fixturenames or "localdataapi" in Path(str(request.node.fspath)).parts:
        yield
        return
    from django.conf import settings
    from django.test.utils import override_settings

    from killrvideo import astra

    closed = override_settings(
        LOCAL_DATA_API_URL=CLOSED_DATA_API_URL,
        REDIS_URL=CLOSED_REDIS_URL,
        CACHES={"default": {**settings.CACHES["default"], "LOCATION": CLOSED_REDIS_URL}},
    )
    with closed:
        astra.reset()
        yield
    astra.reset()


@pytest.fixture(autouse=True)
def _live_server_helper() -> Iterator[None]:
    """Replaces pytest-django's helper, which would demand a SQL test database we do not have."""
    return


@dataclass(frozen=True)
class LiveServer:
    url: str

    def __str__(self) -> str:
        return self.url


@pytest.fixture(scope="session")
def live_server(kv_stack: Stack) -> Iterator[LiveServer]:
    """The app on a real socket in this process (so scan warnings are still recorded), with static files."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    # contrib's handler serves through the finders, as `make run` does (no collectstatic in tests).
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield LiveServer(url=f"http://127.0.0.1:{thread.port}")
    thread.terminate()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; our code uses no ORM, so this is safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    playwright = sync_playwright().start()
    launch_args: dict[str, object] = {"args": CHROMIUM_FLAGS}
    if Path(chromium).exists():
        launch_args["executable_path"] = chromium
    instance = playwright.chromium.launch(**launch_args)
    yield instance
    instance.close()
    playwright.stop()


def _artifact_name(test_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: object, live_server: LiveServer) -> Iterator[object]:
    from killrvideo.tests.browser import NetworkWatch

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    tab = context.new_page()
    NetworkWatch(tab)  # what `check_page` waits on
    problems: list[str] = []
    # A page that breaks our CSP or throws is broken for real users, whatever the test asserted.
    tab.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield tab
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    tab.screenshot(path=str(artifacts / f"{_artifact_name(request.node.name)}.png"))
    context.close()
    assert not problems, "browser reported: " + "; ".join(problems)


# ---- shared test data: the Django test client and users of every role ---------------------------------


@pytest.fixture
def client(store: None) -> object:
    """pytest-django's test client, on a clean store (sessions and messages live in Redis)."""
    from django.test import Client

    return Client()


def _user(role_name: str, first_name: str, last_name: str) -> object:
    from accounts.domain import Role
    from accounts.tests.factories import make_user

    return make_user(Role[role_name], first_name=first_name, last_name=last_name)


@pytest.fixture
def viewer(store: None) -> object:
    return _user("VIEWER", "Vic", "Viewer")


@pytest.fixture
def creator(store: None) -> object:
    return _user("CREATOR", "Cora", "Creator")


@pytest.fixture
def other_creator(store: None) -> object:
    return _user("CREATOR", "Otto", "Other")


@pytest.fixture
def moderator(store: None) -> object:
    return _user("MODERATOR", "Mo", "Moderator")


@pytest.fixture
def admin(store: None) -> object:
    return _user("ADMIN", "Ada", "Admin")
