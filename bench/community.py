"""Benchmark comments and ratings on one video: their cost must not grow with the video's comments.

Starts its own embedded Data API server (a process of its own, as `make run` runs it) and Redis in a temporary
directory, imports a small slice of the public dataset (3 videos, twice: the second copies are ready, public
and have no comments), registers bench users, then fills one video to 10 comments through
`community.services.comment_post` and another to 5,000 the way the dataset import loads comments (setup, not
measured; the texts are the dataset's comments). Then, through Django's test client (in-process; each request
does its real Data API and Redis round trips over loopback), it times:

- comment pages at 10 and 5,000 comments: GET /api/v1/videos/{id}/comments page 1 and page 50 of pageSize
  100 (the last page of 5,000), page 1 and page 500 of pageSize 10, and the watch page's comments widget
  (/videos/{id}/comments, as htmx asks for it): its first page and "Show more" from the deepest cursor;
- comment posts (POST /api/v1/videos/{id}/comments) on each video (so each ends with N more comments);
- rating posts (POST /api/v1/videos/{id}/ratings) by N new users rating one video, one at a time and from a
  thread pool: ratings/s and p50/p95.

Rate limits are off (RATE_LIMITS_ENABLED=false) so the limiter is not what is measured. Prints req/s,
p50/p95 and the Data API commands sent and rows returned per request (the cost that does not depend on how
busy the machine is), then whether page 1 and page 50 of the 5,000-comment video cost about the same. About
5 minutes on a 2-core machine (longer when it is shared).

Run: python bench/community.py [--data ../shared/killrvideo-data] [--requests 200] [--threads 8]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from astrapy.event_observers import ObservableEvent, ObservableRequest, ObservableResponse, Observer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SMALL, LARGE = 10, 5_000
# Comment authors of the setup; a user's own list of comments grows by LARGE / AUTHORS.
AUTHORS = 50
# Setup writes in parallel (each post is a few Data API round trips).
SETUP_WORKERS = 8
# "About the same": page 50's median within this factor of page 1's.
SAME_COST = 1.5
PASSWORD = "bench-password-1"


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _start_stack(workdir: Path) -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes]]:
    """The Data API server in a process of its own, as `make run` runs it: the bench's threads and the
    server's then do not share one interpreter lock."""
    from killrvideo import devservices

    api_port, redis_port = devservices.free_port(), devservices.free_port()
    command = [sys.executable, "-m", "localdataapi", "--port", str(api_port), "--log-level", "WARNING"]
    server = subprocess.Popen([*command, "--data-dir", str(workdir / "dataapi")], cwd=ROOT)
    redis = devservices.start_redis(redis_port, str(workdir / "redis"))
    devservices.wait_for_port(api_port)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "killrvideo.settings.test",
            "LOCAL_DATA_API_URL": f"http://127.0.0.1:{api_port}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "ASTRA_DB_KEYSPACE": "killrvideo_bench",
            "RATE_LIMITS_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return server, redis


class _Calls(Observer):
    """Data API commands sent and rows returned (an astrapy observer, as the paging tests count reads)."""

    def __init__(self) -> None:
        self.commands = self.rows = 0
        self._lock = threading.Lock()

    def receive(
        self,
        event: ObservableEvent,
        sender: Any = None,
        function_name: str | None = None,
        request_id: str | None = None,
    ) -> None:
        if isinstance(event, ObservableRequest):
            with self._lock:
                self.commands += 1
        elif isinstance(event, ObservableResponse):
            documents = (json.loads(event.body or "{}").get("data") or {}).get("documents") or []
            with self._lock:
                self.rows += len(documents)

    def snapshot(self) -> tuple[int, int]:
        with self._lock:
            return self.commands, self.rows


CALLS = _Calls()


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


HEADER = f"{'comments':>9} {'request':<44} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'cmds':>5} {'rows':>5}"


def _row(size: str, name: str, timing: tuple[float, list[float], float, float]) -> dict[str, float]:
    rps, samples, commands, rows = timing
    p50, p95 = statistics.median(samples) * 1000, _percentile(samples, 0.95)
    _out(f"{size:>9} {name:<44} {rps:7.1f} {p50:7.1f} {p95:7.1f} {commands:5.1f} {rows:5.0f}")
    return {"rps": rps, "p50": p50, "p95": p95, "commands": commands, "rows": rows}


def _timed(calls: list[Callable[[], None]], threads: int = 1) -> tuple[float, list[float], float, float]:
    """Run the calls (sequentially, or spread over `threads`). Returns calls/s, each call's seconds, and the
    Data API commands and rows returned per call."""
    samples: list[float] = []
    commands, rows = CALLS.snapshot()
    lock = threading.Lock()

    def one(call: Callable[[], None]) -> None:
        t0 = time.perf_counter()
        call()
        elapsed = time.perf_counter() - t0
        with lock:
            samples.append(elapsed)

    started = time.perf_counter()
    if threads == 1:
        for call in calls:
            one(call)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(one, calls))
    rate = len(calls) / (time.perf_counter() - started)
    commands_after, rows_after = CALLS.snapshot()
    return rate, samples, (commands_after - commands) / len(calls), (rows_after - rows) / len(calls)


def _get(client: Any, path: str, check: Callable[[Any], None], **headers: str) -> Callable[[], None]:
    def call() -> None:
        response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        check(response)

    return call


def _import(data: Path) -> float:
    from django.core.management import call_command

    t0 = time.perf_counter()
    logging.disable(logging.WARNING)  # an operator command: its scans warn, the measured requests must not
    try:
        call_command(
            "import_killrvideo_data", str(data), "--password", PASSWORD, "--limit", "3", "--copies", "2", verbosity=0
        )
    finally:
        logging.disable(logging.NOTSET)
    return time.perf_counter() - t0


def _register(count: int, stem: str) -> list[Any]:
    from accounts import services as accounts_services

    run = uuid.uuid4().hex[:8]

    def one(index: int) -> Any:
        return accounts_services.user_register(
            email=f"{stem}-{index}-{run}@example.com", password=PASSWORD, first_name="Bench", last_name=stem.title()
        )

    with ThreadPoolExecutor(max_workers=SETUP_WORKERS) as pool:
        return list(pool.map(one, range(count)))


def _texts(data: Path) -> list[str]:
    """The dataset's comment texts, taken in turn (real words for the sentiment model to score)."""
    with (data / "csv" / "comments.csv").open(newline="", encoding="utf-8") as handle:
        return [row["comment"].strip() for row in csv.DictReader(handle) if row["comment"].strip()]


def _fill(video_id: uuid.UUID, target: int, authors: list[Any], texts: itertools.cycle[str]) -> float:
    """Post comments until the video has `target` (the import may have put a few on it already)."""
    from community import services

    t0 = time.perf_counter()
    missing = target - services.video_comment_count(video_id=video_id)
    jobs = [(authors[i % len(authors)], next(texts)) for i in range(missing)]
    with ThreadPoolExecutor(max_workers=SETUP_WORKERS) as pool:
        list(pool.map(lambda job: services.comment_post(actor=job[0], video_id=video_id, text=job[1]), jobs))
    assert services.video_comment_count(video_id=video_id) == target
    return time.perf_counter() - t0


def _load(video_id: uuid.UUID, count: int, authors: list[Any], texts: itertools.cycle[str]) -> float:
    """`count` comments the way the dataset import loads them (community.services.importing): each scored,
    given its blocks from the lists' Redis sequences as comment_post takes them, written row by row to
    `comments` and both lists, then every count of the touched lists rebuilt from the rows. A fifth of the
    Data API requests of as many comment_post calls (which also record activity and move counters one by
    one), so the setup stays short on a small machine."""
    from catalog.domain import utcnow
    from community import sentiment
    from community.domain import Comment
    from community.repositories import comments as comments_repo
    from community.repositories.comments import lists_of
    from community.services import importing

    t0 = time.perf_counter()
    first = utcnow().replace(microsecond=0) - timedelta(seconds=count)
    made = []
    for index in range(count):
        text = next(texts)
        scored = sentiment.analyse(text)
        made.append(
            Comment(
                comment_id=uuid.uuid4(),
                video_id=video_id,
                user_id=authors[index % len(authors)].user_id,
                text=text,
                created_at=first + timedelta(seconds=index),
                sentiment_score=scored.score,
                sentiment=scored.label,
            )
        )
    placed = importing._with_blocks(made)
    with ThreadPoolExecutor(max_workers=SETUP_WORKERS) as pool:
        list(pool.map(comments_repo.comment_insert, placed))
        list(pool.map(lambda pair: comments_repo.list_insert(*pair), [(lst, c) for c in placed for lst in lists_of(c)]))
    importing._recount_comment_lists({lst for c in placed for lst in lists_of(c)}, placed)
    return time.perf_counter() - t0


def _deepest_cursor(video: Any) -> tuple[str, int]:
    """Walk "Show more" to the end: the last cursor handed out (the oldest comments), and the steps taken."""
    from community import services

    feed = services.video_comments_feed(video=video)
    cursor, steps = None, 0
    while feed.next_cursor:
        cursor, steps = feed.next_cursor, steps + 1
        feed = services.video_comments_feed(video=video, cursor=cursor)
    assert cursor is not None
    return cursor, steps


def _api_page(count: int) -> Callable[[Any], None]:
    def check(response: Any) -> None:
        assert len(response.json()["data"]) == count, (count, len(response.json()["data"]))

    return check


def _html(response: Any) -> None:
    assert b"comment" in response.content


def _pages(client: Any, size: str, video: Any, total: int, n: int) -> dict[str, dict[str, float]]:
    base = f"/api/v1/videos/{video.video_id}/comments"
    htmx = {"HTTP_HX_REQUEST": "true"}
    cases: list[tuple[str, str, Callable[[Any], None], dict[str, str]]] = [
        ("GET comments page=1 pageSize=100", f"{base}?page=1&pageSize=100", _api_page(min(100, total)), {}),
        ("GET comments page=1 pageSize=10", f"{base}?page=1&pageSize=10", _api_page(10), {}),
    ]
    if total >= 5_000:
        cases[1:1] = [("GET comments page=50 pageSize=100", f"{base}?page=50&pageSize=100", _api_page(100), {})]
        cases.append(("GET comments page=500 pageSize=10", f"{base}?page=500&pageSize=10", _api_page(10), {}))
    widget = f"/videos/{video.video_id}/comments"
    cases.append(("widget first page (htmx)", widget, _html, htmx))
    if total > 20:
        cursor, steps = _deepest_cursor(video)
        cases.append((f"widget Show more no. {steps} (the oldest)", f"{widget}?cursor={cursor}", _html, htmx))
    results = {}
    for name, path, check, headers in cases:
        call = _get(client, path, check, **headers)
        for _ in range(5):  # warm caches and connections
            call()
        results[name] = _row(size, name, _timed([call for _ in range(n)]))
    return results


def _posts(start: int, video_id: uuid.UUID, users: list[Any], texts: itertools.cycle[str], n: int) -> None:
    from django.test import Client

    from accounts.auth import issue_token

    client = Client()
    path = f"/api/v1/videos/{video_id}/comments"
    tokens = [f"Bearer {issue_token(user)}" for user in users]

    def post(index: int) -> Callable[[], None]:
        text = next(texts)

        def call() -> None:
            response = client.post(
                path, {"text": text}, content_type="application/json", HTTP_AUTHORIZATION=tokens[index % len(tokens)]
            )
            assert response.status_code == 201, (response.status_code, response.content[:200])

        return call

    _row(f"{start:,}", f"POST comment (ends with {start + n:,})", _timed([post(i) for i in range(n)]))


def _ratings(video_id: uuid.UUID, n: int, threads: int) -> None:
    from django.test import Client

    from accounts.auth import issue_token

    path = f"/api/v1/videos/{video_id}/ratings"
    local = threading.local()

    def rate(user: Any, stars: int) -> Callable[[], None]:
        header = f"Bearer {issue_token(user)}"

        def call() -> None:
            if not hasattr(local, "client"):
                local.client = Client()  # one test client per thread
            response = local.client.post(
                path, {"rating": stars}, content_type="application/json", HTTP_AUTHORIZATION=header
            )
            assert response.status_code == 200, (response.status_code, response.content[:200])

        return call

    raters = _register(2 * n + 5, "rater")
    rate(raters[-1], 3)()  # warm
    for label, users, pool in (("sequential", raters[:n], 1), (f"{threads} threads", raters[n : 2 * n], threads)):
        calls = [rate(user, 1 + i % 5) for i, user in enumerate(users)]
        _row("ratings", f"POST rating, new raters, {label}", _timed(calls, threads=pool))
    summary = Client().get(f"/api/v1/videos/id/{video_id}/rating").json()
    assert summary["ratingCount"] >= 2 * n + 1, summary
    _out(f"# the video now has {summary['ratingCount']} ratings, average {summary['averageRating']}")


def run(data: Path, requests: int, threads: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from catalog import services as catalog_services
    from community import services
    from killrvideo import astra
    from killrvideo.pagination import PageRequest

    call_command("astra_migrate", verbosity=0)
    seconds = _import(data)
    # The dataset's comments and ratings land on the first copy of each video; the second copies have none.
    latest = catalog_services.latest_page(request=PageRequest(1, 6)).items
    videos = [video for video in latest if services.video_comment_count(video_id=video.video_id) == 0]
    assert len(videos) == 3, "the import should leave 3 public videos without comments"
    small, large, rated = videos
    _out(f"# setup: import {seconds:.0f}s")
    texts = itertools.cycle(_texts(data))
    authors = _register(AUTHORS, "author")
    posted = _fill(small.video_id, SMALL, authors, texts)
    loaded = _load(large.video_id, LARGE, authors, texts)
    assert services.video_comment_count(video_id=large.video_id) == LARGE
    services.comment_post(actor=authors[0], video_id=rated.video_id, text=next(texts))  # warm the model
    _out(f"# setup: {SMALL} comments posted through services in {posted:.1f}s, {LARGE:,} loaded in {loaded:.0f}s")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    _out(f"# {os.cpu_count()} CPUs, load average {load} (other processes make the timings noisier)")
    _out(f"# {requests} requests per row, one at a time unless a row says threads; cmds and rows: Data API")
    _out("# commands sent and rows returned per request")
    _out(HEADER)
    astra.get_database().api_options.event_observers["bench-calls"] = CALLS
    mark = astra.warning_recorder.mark()
    client = Client()
    _pages(client, f"{SMALL:,}", small, SMALL, requests)
    results = _pages(client, f"{LARGE:,}", large, LARGE, requests)
    _posts(SMALL, small.video_id, authors, texts, requests)
    _posts(LARGE, large.video_id, authors, texts, requests)
    _ratings(rated.video_id, requests, threads)
    warnings = astra.warning_recorder.since(mark)
    _out(f"# Data API warnings (scans, in-memory sorts) during the measured requests: {len(warnings)}")
    first, last = results["GET comments page=1 pageSize=100"], results["GET comments page=50 pageSize=100"]
    ratio = last["p50"] / first["p50"]
    same = ratio <= SAME_COST and last["commands"] <= first["commands"] + 1 and last["rows"] <= first["rows"] * 1.5
    _out(
        f"# {LARGE:,} comments, pageSize=100: page 50 p50 {last['p50']:.1f} ms, {last['commands']:.0f} commands, "
        f"{last['rows']:.0f} rows vs page 1 {first['p50']:.1f} ms, {first['commands']:.0f} commands, "
        f"{first['rows']:.0f} rows (p50 x{ratio:.2f}): {'about the same' if same else 'NOT about the same'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "killrvideo-data")
    parser.add_argument("--requests", type=int, default=200, help="requests per measured row")
    parser.add_argument("--threads", type=int, default=8, help="threads of the concurrent rating row")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="kv-bench-") as tmp:
        server, redis = _start_stack(Path(tmp))
        try:
            run(args.data, args.requests, args.threads)
        finally:
            for process in (redis, server):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
