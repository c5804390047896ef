"""HTTP load bench: the app as production runs it, driven over real sockets by Locust; CPU per request.

Starts, in a temporary directory of its own, the embedded Data API server (a process of its own), a Redis,
`manage.py astra_migrate` and `collectstatic` (the Procfile's release step), gunicorn as the Procfile's web
line runs it (2 workers x 4 threads, production settings: DEBUG off, whitenoise, JSON logs), one Celery
worker and beat (view-count flushes, For You updates run as in production), and waits for /readyz. Then
imports the public dataset (`import_killrvideo_data --limit N`), gives one video 5,000 comments the way the
dataset import loads comments (setup, not measured; the texts are the dataset's), registers bench users
through POST /api/v1/users/register, makes one of them a moderator (`manage.py grant_role`) and has each
report a few comments through POST /api/v1/flags, so the moderation queue is not empty. Then it waits for
the worker to finish what the import queued (the transcripts' passage embeddings): until then it takes
most of the machine, and every figure would measure that instead.

Then Locust, used as a library (FastHttpUser, closed loop, no think time), runs a fixed number of users in
rounds: in each, all users hit one endpoint only (so the CPU the processes spend is that endpoint's):
a warm-up, a pause until the worker is idle, then the measured window. Every response is checked (its
status, HTML or JSON that parses, and the shape a page should have); anything else counts as an error. One
row per endpoint: ok requests/s, p50/p95/p99 latency, error rate, and CPU ms per ok request of the app (the
gunicorn master and its workers), the store (the Data API server), Redis and the Celery worker and beat,
from /proc/<pid>/stat (utime + stime of each process tree), read right before the window and again once
its last requests have ended and the worker has run the tasks they queued (their cost is the endpoint's;
views are counted by beat's flush every 15 s, which may fall in a later round). Requests carry
X-Forwarded-Proto: https, as production's TLS proxy sets it. Rate limits are off (RATE_LIMITS_ENABLED=false)
so the limiter is not what is measured. The load generator runs on the same machine and takes CPU too.

On a 2-core machine: about 8 minutes of import for the whole dataset (--limit 727), then the worker's
embeddings (about 2.5 s per video: some 30 minutes for the whole dataset); then about (3 s + --seconds)
per endpoint, 26 endpoints, so 6 minutes at the defaults. While developing, --limit 40 --seconds 5 takes
about 7 minutes in all.

Run: python bench/load.py [--data ../shared/killrvideo-data] [--limit 727] [--users 8] [--seconds 10]
"""

# ruff: noqa: E402 - the path and gevent's patching must come before the other imports

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gevent import monkey

monkey.patch_all()  # Locust's users are greenlets: patch before anything opens a socket

import argparse
import contextlib
import csv
import html
import itertools
import json
import logging
import math
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from locust import FastHttpUser, constant, task
from locust.env import Environment

PASSWORD = "bench-password-1"
HOT_COMMENTS = 5_000  # the comments of the video whose comment pages are measured
REPORTS_PER_USER = 3  # comments each bench user reports, so the moderation queue has open flags
WARMUP_SECONDS = 2.0
DEEP_PAGE = 50  # "page 50" rows: the last page instead when there are fewer
EXPLORE_PAGE_SIZE = 24  # catalog.views.public.GRID_SIZE
STARTUP_TIMEOUT = 180.0
# After the import the worker embeds the transcripts' passages: about 2 s of both cores per video here.
SETTLE_TIMEOUT = 3 * 3600.0
ROUND_DRAIN_TIMEOUT = 120.0
CELERY_QUEUE = "killrvideo"  # CELERY_TASK_DEFAULT_QUEUE
FORWARDED = {"X-Forwarded-Proto": "https"}  # as production's TLS-terminating proxy sends it
BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# A widget the page's htmx loads on its own: <div ... hx-get="URL" hx-trigger="load">.
WIDGET = re.compile(r'hx-get="([^"]+)"\s+hx-trigger="load"')


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# --- the processes --------------------------------------------------------------------------------------


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path | None = None
    group: bool = True  # leads a process group of its own (stopped as a group)


@dataclass
class _Stack:
    """The running processes, the environment they share and the web server's address."""

    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, _Process] = field(default_factory=dict)
    base_url: str = ""

    def start(self, name: str, command: list[str]) -> _Process:
        """A process in a session (process group) of its own, so that it and its children stop together."""
        log = self.workdir / f"{name}.log"
        with log.open("wb") as handle:
            popen = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes[name] = _Process(name, popen, log)
        return self.processes[name]

    def pid(self, name: str) -> int:
        return self.processes[name].popen.pid

    def manage(self, *args: str) -> str:
        """A manage.py command with the stack's environment; its output, or an error with the output's tail."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            tail = (done.stdout + done.stderr)[-3000:]
            raise RuntimeError(f"manage.py {' '.join(args[:2])} failed ({done.returncode}):\n{tail}")
        return done.stdout

    def stop(self) -> None:
        """Terminate each process group (newest first), wait, and kill what does not stop."""
        for process in reversed(list(self.processes.values())):
            _terminate(process)
        self.processes.clear()

    def log_tail(self, name: str, lines: int = 60) -> str:
        process = self.processes.get(name)
        if process is None or process.log is None or not process.log.exists():
            return ""
        return "\n".join(process.log.read_text(errors="replace").splitlines()[-lines:])


def _terminate(process: _Process) -> None:
    popen = process.popen
    if popen.poll() is not None and not process.group:
        return
    _signal(process, signal.SIGTERM)
    try:
        popen.wait(timeout=20)
    except subprocess.TimeoutExpired:
        _signal(process, signal.SIGKILL)
        popen.wait(timeout=10)


def _signal(process: _Process, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        if process.group:
            os.killpg(process.popen.pid, number)  # its children too (gunicorn's and Celery's workers)
        else:
            process.popen.send_signal(number)


def _environment(workdir: Path, api_port: int, redis_port: int) -> dict[str, str]:
    """What production needs (killrvideo/settings/production.py). The settings module is production's, with
    collectstatic's output in this run's directory instead of the project's var/."""
    (workdir / "kv_bench_settings.py").write_text(
        '"""Production settings; collected static files in the bench\'s temporary directory."""\n'
        "from killrvideo.settings.production import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {str(workdir / 'staticfiles')!r}\n"
    )
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "kv_bench_settings",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "LOCAL_DATA_API_URL": f"http://127.0.0.1:{api_port}",
        "ASTRA_DB_KEYSPACE": "killrvideo_bench",
        "RATE_LIMITS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }


def _start_stack(stack: _Stack) -> None:
    from killrvideo import devservices

    api_port, redis_port, web_port = devservices.free_port(), devservices.free_port(), devservices.free_port()
    stack.env = _environment(stack.workdir, api_port, redis_port)
    command = [sys.executable, "-m", "localdataapi", "--port", str(api_port), "--log-level", "WARNING"]
    stack.start("store", [*command, "--data-dir", str(stack.workdir / "dataapi")])
    redis = devservices.start_redis(redis_port, str(stack.workdir / "redis"))
    stack.processes["redis"] = _Process("redis", redis, group=False)
    devservices.wait_for_port(api_port, timeout=60)
    stack.manage("astra_migrate")
    stack.manage("collectstatic", "--noinput", "--verbosity", "0")
    web = [str(BIN / "gunicorn"), "killrvideo.wsgi:application", "--workers", "2", "--threads", "4"]
    web += ["--control-socket", str(stack.workdir / "gunicorn.ctl")]  # not the default, in ~/.gunicorn
    stack.start("app", [*web, "--bind", f"127.0.0.1:{web_port}"])
    celery = [str(BIN / "celery"), "-A", "killrvideo"]
    stack.start("worker", [*celery, "worker", "--concurrency", "1", "--loglevel", "WARNING"])
    stack.start("beat", [*celery, "beat", "--loglevel", "WARNING", "--schedule", str(stack.workdir / "beat")])
    stack.base_url = f"http://127.0.0.1:{web_port}"
    _wait_ready(stack)


def _wait_ready(stack: _Stack) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        for process in stack.processes.values():
            if process.popen.poll() is not None:
                raise RuntimeError(
                    f"{process.name} exited ({process.popen.returncode}):\n{stack.log_tail(process.name)}"
                )
        try:
            status, body = _call(stack, "GET", "/readyz")
            if status == 200:
                return
            last = json.dumps(body)
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise TimeoutError(f"/readyz not ready after {STARTUP_TIMEOUT:.0f}s: {last}")


# --- setup through the real API and the operator's commands ---------------------------------------------


def _call(stack: _Stack, method: str, path: str, body: object = None, token: str = "") -> tuple[int, Any]:
    """One JSON request (setup only, not measured): its status and parsed body."""
    headers = {**FORWARDED, "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(stack.base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    return status, json.loads(raw) if raw else None


def _api(stack: _Stack, method: str, path: str, expect: int, body: object = None, token: str = "") -> Any:
    status, answer = _call(stack, method, path, body, token)
    if status != expect:
        raise RuntimeError(f"{method} {path}: {status} (expected {expect}): {answer}")
    return answer


@dataclass
class _Account:
    email: str
    user_id: str
    token: str = ""


@dataclass
class _Data:
    """What the rounds request: ids, a tag, pages, texts, queries and the bench accounts."""

    videos: list[dict[str, Any]]
    hot: str  # the video with HOT_COMMENTS comments (its watch page and comment pages are measured)
    tag: str
    uploader: str
    accounts: list[_Account]
    moderator: _Account
    texts: list[str]
    queries: list[str]
    explore_last: int
    latest_last: int
    comments_last: int
    widgets: dict[str, list[str]]


def _import(stack: _Stack, data: Path, limit: int) -> float:
    t0 = time.perf_counter()
    stack.manage("import_killrvideo_data", str(data), "--password", PASSWORD, "--limit", str(limit), "--verbosity", "0")
    return time.perf_counter() - t0


def _all_videos(stack: _Stack) -> list[dict[str, Any]]:
    videos: list[dict[str, Any]] = []
    for page in itertools.count(1):
        answer = _api(stack, "GET", f"/api/v1/videos/latest?page={page}&pageSize=100", 200)
        videos += answer["data"]
        if page >= answer["pagination"]["totalPages"]:
            return videos


def _register(stack: _Stack, count: int) -> list[_Account]:
    run = uuid.uuid4().hex[:8]
    accounts = []
    for index in range(count):
        email = f"http-bench-{index}-{run}@example.com"
        body = {"firstName": "Load", "lastName": f"Tester {index}", "email": email, "password": PASSWORD}
        answer = _api(stack, "POST", "/api/v1/users/register", 201, body)
        accounts.append(_Account(email=email, user_id=answer["userId"]))
    return accounts


def _sign_in(stack: _Stack, accounts: list[_Account]) -> None:
    for account in accounts:
        answer = _api(stack, "POST", "/api/v1/users/login", 200, {"email": account.email, "password": PASSWORD})
        account.token = answer["token"]


# Runs in `manage.py shell -c` (the stack's settings, store and Redis): the comments the dataset import would
# load for one video, through community.services.importing.comments_import (scored, numbered into their
# blocks, written in bulk, counts rebuilt from the rows).
LOAD_COMMENTS = """
import csv, itertools, json, os, uuid
from datetime import timedelta
from catalog.domain import utcnow
from catalog.services import videos
from community import sentiment, services
from community.domain import Comment
from community.services import importing

job = json.loads(os.environ["KV_BENCH_COMMENTS"])
video = videos.video_get(video_id=uuid.UUID(job["video"]))
authors = [uuid.UUID(author) for author in job["authors"]]
missing = job["target"] - services.video_comment_count(video_id=video.video_id)
with open(job["csv"], newline="", encoding="utf-8") as handle:
    texts = itertools.cycle([row["comment"].strip() for row in csv.DictReader(handle) if row["comment"].strip()])
first = utcnow().replace(microsecond=0) - timedelta(seconds=max(missing, 0) + 60)
made = []
for index in range(max(missing, 0)):
    text = next(texts)
    scored = sentiment.analyse(text)
    made.append(Comment(comment_id=uuid.uuid4(), video_id=video.video_id, user_id=authors[index % len(authors)],
                        text=text, created_at=first + timedelta(seconds=index), sentiment_score=scored.score,
                        sentiment=scored.label))
importing.comments_import(made, {video.video_id: video})
print(services.video_comment_count(video_id=video.video_id))
"""


def _load_comments(stack: _Stack, video_id: str, authors: list[_Account], data: Path) -> tuple[int, float]:
    t0 = time.perf_counter()
    job = {"video": video_id, "authors": [a.user_id for a in authors], "target": HOT_COMMENTS}
    job["csv"] = str(data / "csv" / "comments.csv")
    stack.env["KV_BENCH_COMMENTS"] = json.dumps(job)
    try:
        count = int(stack.manage("shell", "-c", LOAD_COMMENTS).split()[-1])
    finally:
        del stack.env["KV_BENCH_COMMENTS"]
    return count, time.perf_counter() - t0


def _report_comments(stack: _Stack, video_id: str, accounts: list[_Account]) -> int:
    """Each account reports REPORTS_PER_USER comments of the second page (POST /api/v1/flags)."""
    size = min(100, REPORTS_PER_USER * len(accounts))
    comments = _api(stack, "GET", f"/api/v1/videos/{video_id}/comments?page=2&pageSize={size}", 200)["data"]
    for index, comment in enumerate(comments):
        body = {"contentType": "comment", "contentId": comment["commentid"], "reasonCode": "spam"}
        body["reasonText"] = "Posted again and again under this video."
        _api(stack, "POST", "/api/v1/flags", 201, body, accounts[index % len(accounts)].token)
    return len(comments)


def _widgets(stack: _Stack, path: str) -> list[str]:
    """The widget URLs the page's htmx loads after it (hx-trigger="load"), as the page names them."""
    request = urllib.request.Request(stack.base_url + path, headers=FORWARDED)
    with urllib.request.urlopen(request, timeout=60) as response:
        page = response.read().decode()
    return list(dict.fromkeys(html.unescape(url) for url in WIDGET.findall(page)))


def _texts(data: Path) -> list[str]:
    with (data / "csv" / "comments.csv").open(newline="", encoding="utf-8") as handle:
        return [row["comment"].strip() for row in csv.DictReader(handle) if row["comment"].strip()]


def _fresh_queries(texts: list[str]) -> Iterator[str]:
    """Queries nobody asked yet, endlessly: the first 3 to 6 words of each dataset comment, distinct; once
    those are used up, the same again with a number at the end (" 2", " 3", ...)."""
    seen: dict[str, None] = {}
    for n, text in enumerate(texts):
        words = text.split()[: 3 + n % 4]
        if len(words) >= 3:
            seen.setdefault(" ".join(words)[:200], None)
    yield from seen
    for round_number in itertools.count(2):
        for query in seen:
            yield f"{query} {round_number}"


def _queries() -> list[str]:
    return [entry["query"] for entry in json.loads((ROOT / "bench" / "search_queries.json").read_text())["queries"]]


def _setup(stack: _Stack, data: Path, limit: int, users: int) -> _Data:
    seconds = _import(stack, data, limit)
    videos = _all_videos(stack)
    _out(f"# setup: imported {len(videos)} public videos in {seconds:.0f}s")
    accounts = _register(stack, max(users, 2))
    stack.manage("grant_role", accounts[0].email, "moderator")
    _sign_in(stack, accounts)  # after the grant: the moderator's token is issued to a moderator
    hot = videos[0]["videoId"]
    count, seconds = _load_comments(stack, hot, accounts, data)
    reports = _report_comments(stack, hot, accounts)
    tags = Counter(tag for video in videos for tag in video["tags"])
    uploaders = Counter(video["userId"] for video in videos)
    _out(
        f"# setup: {count:,} comments on video {hot} ({seconds:.0f}s), {len(accounts)} bench users "
        f"(one a moderator), {reports} comments reported"
    )
    widgets = {path: _widgets(stack, path) for path in ("/", "/explore", f"/watch/{hot}")}
    seconds = _settle(stack, SETTLE_TIMEOUT, report_every=60)
    _out(f"# setup: the worker finished what the import queued (transcript embeddings) {seconds:.0f}s later")
    return _Data(
        videos=videos,
        hot=hot,
        tag=tags.most_common(1)[0][0],
        uploader=uploaders.most_common(1)[0][0],
        accounts=accounts,
        moderator=accounts[0],
        texts=_texts(data),
        queries=_queries(),
        explore_last=min(DEEP_PAGE, math.ceil(len(videos) / EXPLORE_PAGE_SIZE)),
        latest_last=min(DEEP_PAGE, math.ceil(len(videos) / 10)),
        comments_last=min(DEEP_PAGE, math.ceil(count / 100)),
        widgets=widgets,
    )


def _settle(stack: _Stack, timeout: float, report_every: float = 0.0) -> float:
    """Wait until the worker has no Celery message queued or running, twice in a row (kombu's Redis
    transport: the queue's list, and the unacked hash of messages a worker holds); the seconds it took."""
    import redis

    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    t0 = time.perf_counter()
    reported, idle_polls = t0, 0
    try:
        while idle_polls < 2:
            pending = int(client.llen(CELERY_QUEUE)) + int(client.hlen("unacked"))
            idle_polls = idle_polls + 1 if pending == 0 else 0
            now = time.perf_counter()
            if now - t0 > timeout:
                raise TimeoutError(f"the Celery worker still has {pending} tasks after {timeout:.0f}s")
            if report_every and now - reported >= report_every:
                _out(f"# setup: the worker has {pending} tasks queued or running ({now - t0:.0f}s)")
                reported = now
            time.sleep(0.1)
    finally:
        client.close()
    return time.perf_counter() - t0


def _quiet(stack: _Stack, rounds: _Rounds) -> None:
    """Stop the load; wait for the users' requests in flight to end and for the worker to go idle."""
    rounds.current = None
    deadline = time.monotonic() + ROUND_DRAIN_TIMEOUT
    while rounds.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)
    _settle(stack, ROUND_DRAIN_TIMEOUT)


# --- the load: Locust users, rounds, checks ----------------------------------------------------------------

Check = Callable[[Any], str | None]


def _page_of(minimum: int = 1) -> Check:
    """A paginated answer with at least `minimum` items on the page."""

    def check(body: Any) -> str | None:
        if not isinstance(body, dict) or not isinstance(body.get("data"), list) or "pagination" not in body:
            return "not a page"
        return None if len(body["data"]) >= minimum else f"{len(body['data'])} items, expected >= {minimum}"

    return check


def _list_of(minimum: int = 0) -> Check:
    def check(body: Any) -> str | None:
        if not isinstance(body, list):
            return "not a list"
        return None if len(body) >= minimum else f"{len(body)} items, expected >= {minimum}"

    return check


def _has(*keys: str) -> Check:
    def check(body: Any) -> str | None:
        missing = [key for key in keys if not isinstance(body, dict) or key not in body]
        return f"missing {', '.join(missing)}" if missing else None

    return check


class BenchUser(FastHttpUser):
    """One bench account; runs the current round's request in a closed loop (no think time)."""

    abstract = True  # made concrete per run by _user_class (host and data)
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 60.0
    default_headers = FORWARDED
    data: _Data
    rounds: _Rounds
    _next_index = itertools.count()

    def on_start(self) -> None:
        index = next(BenchUser._next_index)
        self.account = self.data.accounts[index % len(self.data.accounts)]
        self.rng = random.Random(index)
        self.texts = itertools.islice(itertools.cycle(self.data.texts), index * 97, None)

    @task
    def current(self) -> None:
        current = self.rounds.current
        if current is None:
            time.sleep(0.05)
            return
        self.rounds.in_flight += 1
        try:
            current.request(self)
        except Exception as exc:  # a mistake of the bench's own: counted as an error of the round
            self.rounds.recorder.failed(current.name, f"{type(exc).__name__}: {exc}")
        finally:
            self.rounds.in_flight -= 1

    def fetch(
        self,
        name: str,
        path: str,
        *,
        method: str = "GET",
        status: int = 200,
        body: object = None,
        token: str = "",
        htmx: bool = False,
        check: Check | None = None,
    ) -> None:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if htmx:
            headers["HX-Request"] = "true"
        with self.client.request(
            method, path, name=name, headers=headers, json=body, catch_response=True, allow_redirects=False
        ) as response:
            problem = _problem(response, status, check)
            if problem:
                response.failure(problem)
            else:
                response.success()


def _problem(response: Any, status: int, check: Check | None) -> str | None:
    """Why a response is not what the endpoint should answer, or None."""
    if response.status_code != status:
        text = (response.text or "")[:160].replace("\n", " ")
        return f"HTTP {response.status_code} (expected {status}): {text}"
    kind = (response.headers.get("content-type") or "").split(";")[0].strip()
    if kind == "text/html":
        return None if "</" in (response.text or "") else "empty HTML"
    if kind != "application/json":
        return f"unexpected content type {kind!r}"
    try:
        body = json.loads(response.text)
    except ValueError as exc:
        return f"JSON does not parse: {exc}"
    return check(body) if check else None


@dataclass(frozen=True)
class Round:
    name: str
    request: Callable[[BenchUser], None]


def _get(name: str, path: str, check: Check | None = None, *, htmx: bool = False) -> Round:
    return Round(name, lambda user: user.fetch(name, path, check=check, htmx=htmx))


def _widget_name(url: str, hot: str) -> str:
    return "  widget " + url.replace(hot, "{id}")


def _build_rounds(data: _Data) -> list[Round]:
    hot, last = data.hot, data.comments_last
    video_ids = [video["videoId"] for video in data.videos]
    # Bench users comment on and rate only half the videos, so For You (which leaves out what a user has
    # rated, commented on or watched) always has videos left to recommend, even with --limit 40.
    acted_on = video_ids[: max(1, len(video_ids) // 2)]
    others = [video_id for video_id in acted_on if video_id != hot] or [hot]
    rounds = [_get("home /", "/")]
    rounds += [_get(_widget_name(url, hot), url, htmx=True) for url in data.widgets["/"]]
    rounds.append(_get("explore page 1", "/explore?page=1"))
    rounds += [_get(_widget_name(url, hot), url, htmx=True) for url in data.widgets["/explore"]]
    rounds.append(_get(f"explore page {data.explore_last}", f"/explore?page={data.explore_last}"))
    rounds.append(_get("watch /watch/{id}", f"/watch/{hot}"))
    rounds += [_get(_widget_name(url, hot), url, htmx=True) for url in data.widgets[f"/watch/{hot}"]]
    rounds += [
        _get("GET videos/id/{id}", f"/api/v1/videos/id/{hot}", _has("videoId", "youtubeVideoId")),
        _get("GET videos/latest page 1", "/api/v1/videos/latest?page=1&pageSize=10", _page_of(10)),
        _get(
            f"GET videos/latest page {data.latest_last}",
            f"/api/v1/videos/latest?page={data.latest_last}&pageSize=10",
            _page_of(1),
        ),
        _get(f"GET videos/by-tag/{data.tag}", f"/api/v1/videos/by-tag/{urllib.parse.quote(data.tag)}", _page_of(1)),
        _get("GET users/{id}/videos", f"/api/v1/users/{data.uploader}/videos", _page_of(1)),
        _get("GET videos/trending 7 days", "/api/v1/videos/trending?intervalDays=7", _list_of()),
        _get("GET comments page 1 (of 5,000)", f"/api/v1/videos/{hot}/comments?page=1&pageSize=100", _page_of(100)),
        _get(
            f"GET comments page {last} (of 5,000)",
            f"/api/v1/videos/{hot}/comments?page={last}&pageSize=100",
            _page_of(1),
        ),
    ]
    queries = itertools.cycle(data.queries)
    fresh = _fresh_queries(data.texts)

    def search(user: BenchUser) -> None:
        """The judged queries, over and over: after the first pass, what a repeated query costs."""
        query = urllib.parse.urlencode({"query": next(queries), "mode": "hybrid"})
        user.fetch("GET search/videos hybrid, repeated", f"/api/v1/search/videos?{query}", check=_page_of(0))

    def search_fresh(user: BenchUser) -> None:
        """A query never asked before each time (nothing cached, the query embedded by the app)."""
        query = urllib.parse.urlencode({"query": next(fresh), "mode": "hybrid"})
        user.fetch("GET search/videos hybrid, new", f"/api/v1/search/videos?{query}", check=_page_of(0))

    def related(user: BenchUser) -> None:
        video_id = user.rng.choice(video_ids)
        user.fetch("GET videos/id/{id}/related", f"/api/v1/videos/id/{video_id}/related", check=_list_of())

    def comment(user: BenchUser) -> None:
        path = f"/api/v1/videos/{user.rng.choice(others)}/comments"
        body = {"text": next(user.texts)}
        check = _has("commentid", "sentiment")
        user.fetch("POST comment", path, method="POST", status=201, body=body, token=user.account.token, check=check)

    def rating(user: BenchUser) -> None:
        path = f"/api/v1/videos/{user.rng.choice(acted_on)}/ratings"
        body, token = {"rating": user.rng.randint(1, 5)}, user.account.token
        user.fetch("POST rating", path, method="POST", status=200, body=body, token=token, check=_has("rating"))

    def for_you(user: BenchUser) -> None:
        path = "/api/v1/recommendations/foryou"
        user.fetch("GET recommendations/foryou", path, token=user.account.token, check=_page_of(1))

    def flags(user: BenchUser) -> None:
        path = "/api/v1/moderation/flags"
        user.fetch("GET moderation/flags", path, token=data.moderator.token, check=_page_of(1))

    def login(user: BenchUser) -> None:
        body = {"email": user.account.email, "password": PASSWORD}
        user.fetch("POST users/login", "/api/v1/users/login", method="POST", body=body, check=_has("token", "user"))

    rounds += [
        Round("GET search/videos hybrid, new", search_fresh),
        Round("GET search/videos hybrid, repeated", search),
        Round("GET videos/id/{id}/related", related),
        Round("POST comment", comment),
        Round("POST rating", rating),
        # after the posts: the bench users have acted, so For You is personalised
        Round("GET recommendations/foryou", for_you),
        Round("GET moderation/flags", flags),
        Round("POST users/login", login),
    ]
    return rounds


class _Recorder:
    """The current round's completed requests (Locust's request event): when each ok one ended and its
    latency, and the failures with their reasons."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.ended: list[float] = []
        self.times: list[float] = []
        self.failures = 0
        self.reasons: Counter[str] = Counter()

    def begin(self, name: str) -> None:
        self.name, self.ended, self.times, self.failures, self.reasons = name, [], [], 0, Counter()

    def end(self) -> None:
        self.name = None

    def on_request(self, name: str, response_time: float, exception: BaseException | None = None, **_: Any) -> None:
        if name != self.name:
            return  # a warm-up request
        if exception is None:
            self.ended.append(time.perf_counter())
            self.times.append(response_time)
        else:
            self.failed(name, str(exception))

    def failed(self, name: str, reason: str) -> None:
        if name == self.name:
            self.failures += 1
            self.reasons[reason[:200]] += 1


@dataclass
class _Rounds:
    recorder: _Recorder
    current: Round | None = None
    in_flight: int = 0  # users inside a request


def _user_class(base_url: str, data: _Data, rounds: _Rounds) -> type[BenchUser]:
    return type("HttpBenchUser", (BenchUser,), {"abstract": False, "host": base_url, "data": data, "rounds": rounds})


# --- CPU from /proc ---------------------------------------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks: utime + stime + cutime + cstime). Adding the children's reaped time
    keeps a process that ended (a restarted worker) counted, once, in its parent."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        fields = raw[raw.rindex(")") + 2 :].split()  # from field 3 (state) on: the name may hold spaces
        table[int(entry.name)] = (int(fields[1]), sum(int(value) for value in fields[11:15]))
    return table


def _tree_ticks(table: dict[int, tuple[int, int]], root: int) -> int:
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][1]
        todo += children.get(pid, [])
    return total


def _cpu(groups: dict[str, list[int]]) -> dict[str, int]:
    table = _proc_table()
    return {name: sum(_tree_ticks(table, pid) for pid in pids) for name, pids in groups.items()}


# --- running and printing ----------------------------------------------------------------------------------


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


HEADER = (
    f"{'endpoint':<40} {'ok/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}"
    f" {'app':>6} {'store':>6} {'redis':>6} {'worker':>6}"
)


@dataclass
class _Result:
    name: str
    ok: int
    failures: int
    rate: float  # ok responses per second, in the measured window
    times: list[float]
    cpu_ms: dict[str, float]
    reasons: Counter[str]

    def row(self) -> str:
        ordered = sorted(self.times)
        total = self.ok + self.failures
        errors = self.failures / total * 100 if total else 100.0
        cpu = " ".join(f"{self.cpu_ms[name] / max(self.ok, 1):6.1f}" for name in ("app", "store", "redis", "worker"))
        return (
            f"{self.name:<40} {self.rate:7.1f} {_percentile(ordered, 0.50):7.1f}"
            f" {_percentile(ordered, 0.95):7.1f} {_percentile(ordered, 0.99):7.1f} {errors:6.1f}% {cpu}"
        )


def _measure(stack: _Stack, rounds: _Rounds, current: Round, seconds: float, groups: dict[str, list[int]]) -> _Result:
    """Warm up, let everything go quiet, then: CPU, `seconds` of load, and CPU again once the round's last
    requests have ended and the worker has run the tasks they queued (their cost is the round's)."""
    rounds.current = current
    time.sleep(WARMUP_SECONDS)
    _quiet(stack, rounds)
    before = _cpu(groups)
    rounds.recorder.begin(current.name)
    rounds.current = current
    started = time.perf_counter()
    time.sleep(seconds)
    window_end = time.perf_counter()
    _quiet(stack, rounds)
    after = _cpu(groups)
    recorder = rounds.recorder
    recorder.end()
    in_window = sum(1 for moment in recorder.ended if moment <= window_end)
    cpu_ms = {name: (after[name] - before[name]) * 1000 / CLOCK_TICKS for name in groups}
    return _Result(
        current.name,
        len(recorder.times),
        recorder.failures,
        in_window / (window_end - started),
        recorder.times,
        cpu_ms,
        recorder.reasons,
    )


def _run_load(stack: _Stack, data: _Data, users: int, seconds: float) -> list[_Result]:
    rounds = _Rounds(_Recorder())
    plan = _build_rounds(data)
    env = Environment(user_classes=[_user_class(stack.base_url, data, rounds)])
    env.events.request.add_listener(rounds.recorder.on_request)
    groups = {
        "app": [stack.pid("app")],
        "store": [stack.pid("store")],
        "redis": [stack.pid("redis")],
        "worker": [stack.pid("worker"), stack.pid("beat")],
    }
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    if runner.spawning_greenlet is not None:
        runner.spawning_greenlet.join()
    results = []
    try:
        _out(HEADER)
        for current in plan:
            result = _measure(stack, rounds, current, seconds, groups)
            _out(result.row())
            results.append(result)
    finally:
        rounds.current = None
        runner.quit()
    return results


def _summary(results: list[_Result], data: _Data) -> None:
    names = {"watch /watch/{id}", *(_widget_name(url, data.hot) for url in data.widgets[f"/watch/{data.hot}"])}
    watch = [r for r in results if r.name in names]
    if watch:
        app = sum(r.cpu_ms["app"] / max(r.ok, 1) for r in watch)
        store = sum(r.cpu_ms["store"] / max(r.ok, 1) for r in watch)
        widgets = len(watch) - 1
        _out(
            f"# a watch page as a browser loads it (page + {widgets} widgets): CPU ms app {app:.1f}, store {store:.1f}"
        )
    for result in results:
        for reason, count in result.reasons.most_common(3):
            _out(f"# error in {result.name.strip()}: {count} x {reason}")


def run(stack: _Stack, data_dir: Path, limit: int, users: int, seconds: float) -> bool:
    t0 = time.perf_counter()
    _start_stack(stack)
    _out(f"# stack up in {time.perf_counter() - t0:.0f}s: {stack.base_url} (gunicorn 2 workers x 4 threads)")
    data = _setup(stack, data_dir, limit, users)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    _out(f"# {os.cpu_count()} CPUs, load average {load} (other processes make the figures noisier)")
    _out(
        f"# {users} users, closed loop; each round {WARMUP_SECONDS:.0f}s warm-up + {seconds:g}s measured; ok/s: "
        "ok responses per second;"
    )
    _out("# latencies of ok responses; app/store/redis/worker: CPU ms per ok request (gunicorn master and workers,")
    _out("# Data API server, Redis, Celery worker and beat), from /proc/<pid>/stat, from the window's start until")
    _out("# its last requests and the worker tasks they queued have finished")
    results = _run_load(stack, data, users, seconds)
    _summary(results, data)
    failed = [r for r in results if r.failures or not r.ok]
    if failed:
        _out(f"# {len(failed)} endpoint(s) with errors; the web server's log ends with:")
        _out(stack.log_tail("app"))
    return not failed


def _interrupted(signum: int, frame: object) -> None:
    """SIGTERM as Ctrl-C: unwinds through main's `finally`, which stops every process."""
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "killrvideo-data")
    parser.add_argument("--limit", type=int, default=727, help="videos to import (727: the whole dataset)")
    parser.add_argument("--users", type=int, default=8, help="concurrent Locust users")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per endpoint")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("locust").setLevel(logging.ERROR)  # its CPU warnings: the bench shares the machine
    signal.signal(signal.SIGTERM, _interrupted)
    stack = _Stack(Path(tempfile.mkdtemp(prefix="kv-bench-http-")))
    try:
        ok = run(stack, args.data.resolve(), args.limit, args.users, args.seconds)
    except KeyboardInterrupt:
        _out("# interrupted: stopping the processes")
        ok = False
    finally:
        stack.stop()
        shutil.rmtree(stack.workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
