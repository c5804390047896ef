"""Benchmark crash recovery: kill -9 a Celery worker mid-batch and time until another worker has finished it.

Production-like: the default Celery settings (visibility timeout 45 s, a restore sweep every 5 s, acks late),
the Procfile's worker command (prefork, concurrency 2), 40 videos submitted through the service, YouTube
answering each fetch in 1.5 s (the local stand-in). Once a quarter of the batch is READY, the worker's whole
process group (main process and pool children) gets SIGKILL and a second worker starts. No beat runs, so the
videos can only come back through the broker (the rescue job is a slower backstop). Prints, per run: messages
stranded on the killed worker (received, never finished there) and videos PROCESSING at the kill, seconds from
the kill until the second worker received the last stranded message, until the PROCESSING videos were READY and
until the whole batch was, and duplicate executions (a task that found its video already final).

Starts its own embedded Data API server, Redis and YouTube stand-in in a temporary directory.

Run: python bench/worker_crash.py [--runs 3] [--videos 40]
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FETCH_SECONDS = 1.5
QUEUE = "killrvideo"
TASK_LINE = re.compile(
    r"^\[(?P<at>[\d-]+ [\d:,]+): \w+/[\w-]+\] Task catalog\.video_process\[(?P<task>[0-9a-f-]+)\] "
    r"(?P<event>received|succeeded)(?P<rest>.*)$",
    re.MULTILINE,
)
WORKER_COMMAND = ["-m", "celery", "-A", "killrvideo", "worker", "--loglevel", "info", "--concurrency", "2"]


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _start_stack(workdir: Path) -> tuple[object, object, object]:
    from catalog.tests.youtube_standin import start_youtube_standin
    from killrvideo import devservices
    from localdataapi.server import DataAPIServer

    server = DataAPIServer(
        data_dir=str(workdir / "dataapi"), host="127.0.0.1", port=0, username="cassandra", password="cassandra"
    )
    server.start()
    port = devservices.free_port()
    redis = devservices.start_redis(port, str(workdir / "redis"))
    standin = start_youtube_standin()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "killrvideo.settings.test",
            "LOCAL_DATA_API_URL": server.url,
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "ASTRA_DB_KEYSPACE": "killrvideo_bench",
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            "YOUTUBE_DATA_API_BASE_URL": standin.data_api_base_url,
            "YOUTUBE_OEMBED_URL": standin.oembed_url,
            "YOUTUBE_API_KEY": "",
            "RATE_LIMITS_ENABLED": "false",
            "VIDEO_SUBMIT_RATE_LIMIT": "100000",
            "PYTHONPATH": str(ROOT),
        }
    )
    return server, redis, standin


def _spawn_worker(log_path: Path) -> subprocess.Popen[bytes]:
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, *WORKER_COMMAND],
            cwd=ROOT,
            env={**os.environ, "LOG_LEVEL": "INFO"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: one killpg takes the pool children too
        )


def _start_worker(log_path: Path) -> subprocess.Popen[bytes]:
    """A worker that has answered a ping (so it is consuming before the batch is submitted)."""
    from killrvideo.tasks import ping

    worker = _spawn_worker(log_path)
    ping.apply_async(queue=QUEUE).get(timeout=120)
    return worker


def _task_events(log: Path) -> dict[str, dict[str, float]]:
    """Task id -> {"received" | "succeeded": first wall-clock time} from a worker's Celery log."""
    events: dict[str, dict[str, float]] = {}
    for match in TASK_LINE.finditer(log.read_text()):
        stamp = datetime.strptime(match["at"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
        events.setdefault(match["task"], {}).setdefault(match["event"], stamp)
    return events


def _statuses(video_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    from catalog.repositories import videos as repo

    return {vid: video.status.value for vid, video in repo.videos_get_many(video_ids).items()}


def _wait(video_ids: list[uuid.UUID], done: object, timeout: float = 300.0) -> dict[uuid.UUID, str]:
    deadline = time.monotonic() + timeout
    while True:
        statuses = _statuses(video_ids)
        if done(statuses) or time.monotonic() > deadline:  # type: ignore[operator]
            return statuses
        time.sleep(0.25)


def _submit(standin: object, run: int, count: int) -> list[uuid.UUID]:
    from accounts.services import user_register
    from catalog.services.videos import video_submit
    from catalog.tests.youtube_standin import OkVideo, Slow

    user = user_register(email=f"bench-{run}@example.org", password="bench-password-1", first_name="B", last_name="C")
    ids = []
    for n in range(count):
        youtube_id = f"crash{run:02d}{n:04d}"
        standin.set_scenario(youtube_id, Slow(delay_seconds=FETCH_SECONDS, video=OkVideo(title=f"Video {n}")))  # type: ignore[attr-defined]
        ids.append(video_submit(actor=user, youtube_url=f"https://youtu.be/{youtube_id}").video.video_id)
    return ids


def one_run(standin: object, workdir: Path, run: int, count: int) -> dict[str, float]:
    first_log, second_log = workdir / f"run{run}-first.log", workdir / f"run{run}-second.log"
    first = _start_worker(first_log)
    video_ids = _submit(standin, run, count)
    _wait(video_ids, lambda s: list(s.values()).count("READY") >= count // 4)
    os.killpg(first.pid, signal.SIGKILL)
    killed_at, killed_wall = time.monotonic(), time.time()
    first.wait(timeout=10)
    in_flight = [vid for vid, status in _statuses(video_ids).items() if status == "PROCESSING"]
    second = _spawn_worker(second_log)  # started after the kill, not waited for: its boot counts
    try:
        _wait(in_flight, lambda s: all(status == "READY" for status in s.values()))
        in_flight_seconds = time.monotonic() - killed_at
        after = _wait(video_ids, lambda s: all(status == "READY" for status in s.values()))
        batch_seconds = time.monotonic() - killed_at
        assert set(after.values()) == {"READY"}, after
    finally:
        second.terminate()
        second.wait(timeout=30)
    by_first, by_second = _task_events(first_log), _task_events(second_log)
    # Delivered to the killed worker and never finished there: only the visibility timeout brings these back.
    stranded = [task for task, seen in by_first.items() if "received" in seen and "succeeded" not in seen]
    redelivered = [by_second[task]["received"] - killed_wall for task in stranded if task in by_second]
    # A task that found its video already final returns None: it ran twice (finished on the killed worker just
    # before the kill, never acknowledged).
    duplicates = len(
        re.findall(r"Task catalog\.video_process\[[0-9a-f-]+\] succeeded in \S+: None$", second_log.read_text(), re.M)
    )
    return {
        "in_flight": len(in_flight),
        "stranded": len(stranded),
        "redelivered": max(redelivered, default=0.0),
        "in_flight_ready": in_flight_seconds,
        "batch_ready": batch_seconds,
        "duplicates": duplicates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--videos", type=int, default=40)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ["LOG_LEVEL"] = "WARNING"
    with tempfile.TemporaryDirectory(prefix="kv-bench-") as tmp:
        workdir = Path(tmp)
        server, redis, standin = _start_stack(workdir)
        try:
            import django

            django.setup()
            from django.conf import settings
            from django.core.management import call_command

            call_command("astra_migrate", verbosity=0)
            _out(
                f"visibility timeout {settings.CELERY_VISIBILITY_TIMEOUT_SECONDS} s, restore sweep every "
                f"{settings.CELERY_UNACKED_RESTORE_INTERVAL_SECONDS} s; {args.videos} videos, prefork x2, "
                f"{FETCH_SECONDS} s per YouTube fetch"
            )
            _out(
                f"{'run':>4} {'stranded':>9} {'processing':>11} {'redelivered s':>14} {'in-flight READY s':>18} "
                f"{'batch READY s':>14} {'duplicates':>11}"
            )
            results = []
            for run in range(1, args.runs + 1):
                r = one_run(standin, workdir, run, args.videos)
                results.append(r)
                _out(
                    f"{run:>4} {r['stranded']:>9} {r['in_flight']:>11} {r['redelivered']:>14.1f} "
                    f"{r['in_flight_ready']:>18.1f} {r['batch_ready']:>14.1f} {r['duplicates']:>11}"
                )
            for key, label in (("redelivered", "stranded messages redelivered"), ("batch_ready", "batch READY")):
                values = [r[key] for r in results]
                _out(
                    f"{label}: min {min(values):.1f} s, median {statistics.median(values):.1f} s, "
                    f"max {max(values):.1f} s after the kill"
                )
        finally:
            standin.stop()  # type: ignore[attr-defined]
            redis.terminate()  # type: ignore[attr-defined]
            server.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
