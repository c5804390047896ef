"""Benchmark the catalog's hot pages at two catalogue sizes: the cost must not grow with the catalogue.

Starts its own embedded Data API server and Redis in a temporary directory, imports the public dataset
(re-imported under new ids with --copies to reach the sizes), then times the home page, a watch page and
GET /api/v1/videos/latest through Django's test client (in-process; each request does its real Data API and
Redis round trips over loopback). Prints requests/s and p50/p95 per endpoint and size.

Run: python bench/catalog.py [--data ../shared/killrvideo-data] [--requests 200]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, videos per source video, source videos): 500 x 2 = 1,000 and 625 x 32 = 20,000 videos.
SIZES = [("1,000", 500, 2), ("20,000", 625, 32)]


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _start_stack(workdir: Path) -> tuple[object, object]:
    from killrvideo import devservices
    from localdataapi.server import DataAPIServer

    server = DataAPIServer(
        data_dir=str(workdir / "dataapi"), host="127.0.0.1", port=0, username="cassandra", password="cassandra"
    )
    server.start()
    port = devservices.free_port()
    redis = devservices.start_redis(port, str(workdir / "redis"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "killrvideo.settings.test",
            "LOCAL_DATA_API_URL": server.url,
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "ASTRA_DB_KEYSPACE": "killrvideo_bench",
            "RATE_LIMITS_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return server, redis


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def _measure(client: object, path: str, n: int) -> tuple[float, float, float]:
    for _ in range(5):  # warm caches and connections
        client.get(path)  # type: ignore[attr-defined]
    samples = []
    started = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, (path, response.status_code)
    elapsed = time.perf_counter() - started
    return n / elapsed, statistics.median(samples) * 1000, _percentile(samples, 0.95)


def _import(data: Path, limit: int, copies: int) -> float:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command(
        "import_killrvideo_data",
        str(data),
        "--password",
        "bench-password-1",
        "--limit",
        str(limit),
        "--copies",
        str(copies),
        verbosity=0,
    )
    return time.perf_counter() - t0


def run(data: Path, requests: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from catalog import services
    from killrvideo.pagination import PageRequest

    call_command("astra_migrate", verbosity=0)
    _out(f"{'videos':>8} {'endpoint':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for label, limit, copies in SIZES:
        seconds = _import(data, limit, copies)
        latest = services.latest_page(request=PageRequest(1, 1))
        watch = f"/watch/{latest.items[0].video_id}"
        _out(f"# {label}: catalogue has {latest.total} public videos (import took {seconds:.0f}s)")
        client = Client()
        for name, path in (
            ("home /", "/"),
            ("watch /watch/<id>", watch),
            ("GET /api/v1/videos/latest", "/api/v1/videos/latest"),
        ):
            rps, p50, p95 = _measure(client, path, requests)
            _out(f"{label:>8} {name:<28} {rps:8.1f} {p50:8.1f} {p95:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "killrvideo-data")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="kv-bench-") as tmp:
        server, redis = _start_stack(Path(tmp))
        try:
            run(args.data, args.requests)
        finally:
            redis.terminate()  # type: ignore[attr-defined]
            server.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
