"""Measure video search: nDCG@10 and recall@10 on a judged query set, and warm latency through the API.

Starts its own embedded Data API server (a process of its own, as `make run` runs it) and Redis in a temporary
directory, imports the WHOLE public dataset
(the import also builds the search index: this takes many minutes), computes in this process the transcript
passage embeddings the import leaves to the Celery worker (none runs here; a no-op when they are all there), then
sends every query of the judged set (`bench/search_queries.json`) in each mode to
`GET /api/v1/search/videos?query=...&mode=...&page=1&pageSize=10` through Django's test client (in-process; each
request does its real Data API and Redis round trips over loopback). It prints nDCG@10 and recall@10 per kind of
query and mode, overall per mode, whether hybrid is at least as good as the best single mode on every kind, the
queries where it is not (for tuning), and the warm p50/p95 latency of each mode.

The judged set was written by reading the videos of the dataset, independently of the app's search: each query
has a kind (paraphrase, topic, product, transcript) and graded relevant videos by YouTube id (2 = exactly what
the query asks for, 1 = relevant). nDCG@10 uses the grade as the gain with the log2(rank + 1) discount, divided
by the DCG of the ideal ranking of the judged grades; recall@10 = relevant videos in the top 10 / min(10, number
of relevant videos).

Run (from the repository root):
  .venv/bin/python bench/search_eval.py                    # full import, metrics, latency; temp dir removed
  .venv/bin/python bench/search_eval.py --keep             # same, keeps the temp dir and prints its path
  .venv/bin/python bench/search_eval.py --reuse DIR        # restarts the servers over a kept dir: no import
  .venv/bin/python bench/search_eval.py --reuse DIR --modes hybrid --requests 0 --per-query
Options: --data (dataset clone, default ../shared/killrvideo-data), --queries (judged set), --modes (comma
separated, default keyword,semantic,hybrid), --requests (timed requests per mode, default 200; 0 skips the
latency part), --limit N (import only N videos: checks the plumbing, the metrics are then meaningless),
--no-embed (skip the passage embedding step, which otherwise reads every video's passages once even when they
are all embedded), --per-query (a line per query and mode), --json PATH (write every figure as JSON),
--self-check (only test the metric code, no servers).

Reusing a kept directory: the Data API keeps its SQLite files under DIR/dataapi, and Redis (started with
persistence in --keep runs) writes DIR/redis/dump.rdb when it is stopped; both are reopened as they were. A kept
directory reflects the code that imported it: re-import after changing what the import or the index stores.

Exit status 1 if the API answers anything but 200 to a search, or a judged video is missing from the import.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("paraphrase", "topic", "product", "transcript")
MODES = ("keyword", "semantic", "hybrid")
K = 10
KEYSPACE = "killrvideo_search_eval"
MARKER = "search_eval_import.json"  # written into a kept directory once its import has finished
SEARCH_PATH = "/api/v1/search/videos"
HYBRID_P50_MS, HYBRID_P95_MS = 50.0, 120.0  # the targets for warm hybrid search


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---- metrics ------------------------------------------------------------------------------------------------


def dcg(gains: Iterable[float]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))


def _first_occurrences(ranking: Sequence[str]) -> list[str | None]:
    """A video listed twice earns its gain once (the API promises one result per video; a repeat is noise)."""
    seen: set[str] = set()
    out: list[str | None] = []
    for video in ranking:
        out.append(None if video in seen else video)
        seen.add(video)
    return out


def ndcg_at(ranking: Sequence[str], judged: dict[str, int], k: int = K) -> float:
    """Graded nDCG@k: gain = the judged grade, discount log2(rank + 1), ideal = the judged grades sorted."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg(judged.get(video, 0) if video else 0 for video in _first_occurrences(ranking[:k])) / ideal


def recall_at(ranking: Sequence[str], judged: dict[str, int], k: int = K) -> float:
    relevant = {video for video, grade in judged.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / min(k, len(relevant))


def self_check() -> None:
    """The metric code on hand-made rankings (fails loudly: the figures would be wrong otherwise)."""
    judged = {"a": 2, "b": 1}
    assert math.isclose(ndcg_at(["a", "b", "x"], judged), 1.0)
    assert math.isclose(ndcg_at(["x", "y"], judged), 0.0)
    # b then a: (1/log2(2) + 2/log2(3)) / (2/log2(2) + 1/log2(3))
    expected = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    assert math.isclose(ndcg_at(["b", "a"], judged), expected)
    # a at rank 3 only: (2/log2(4)) / ideal
    assert math.isclose(ndcg_at(["x", "y", "a"], judged), 1.0 / (2 + 1 / math.log2(3)))
    # only the top k count
    assert ndcg_at([f"x{i}" for i in range(K)] + ["a"], judged) == 0.0
    assert math.isclose(recall_at(["x", "a"], judged), 0.5)
    assert math.isclose(recall_at(["b", "a"], judged), 1.0)
    # 12 relevant: finding 10 of them in the top 10 is full recall
    many = {f"v{i}": 1 for i in range(12)}
    assert math.isclose(recall_at([f"v{i}" for i in range(10)], many), 1.0)
    assert math.isclose(recall_at([f"v{i}" for i in range(5)], many), 0.5)
    # a repeated video counts once
    assert math.isclose(ndcg_at(["a", "a"], {"a": 2, "b": 2}), 1 / (1 + 1 / math.log2(3)))
    assert math.isclose(recall_at(["a", "a"], {"a": 2, "b": 2}), 0.5)
    # ideal DCG comes from the judged grades, not from what was retrieved
    assert math.isclose(ndcg_at(["b"], judged), 1 / (2 + 1 / math.log2(3)))
    assert math.isclose(ndcg_at([], judged), 0.0)


# ---- judged set ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    id: str
    kind: str
    query: str
    relevant: dict[str, int]
    note: str


def load_queries(path: Path) -> list[Judged]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    queries = [
        Judged(q["id"], q["kind"], q["query"], {str(k): int(g) for k, g in q["relevant"].items()}, q.get("note", ""))
        for q in raw["queries"]
    ]
    problems = [q.id for q in queries if q.kind not in KINDS or not q.relevant or not q.query.strip()]
    problems += [q.id for q in queries if any(g not in (1, 2) for g in q.relevant.values())]
    if len({q.id for q in queries}) != len(queries):
        problems.append("duplicate ids")
    if problems:
        raise SystemExit(f"{path}: bad queries: {', '.join(problems)}")
    return queries


# ---- the stack ----------------------------------------------------------------------------------------------


def _start_stack(workdir: Path, *, persist: bool) -> tuple[Any, Any]:
    """The Data API server in a process of its own, as `make run` runs it (in this process, the bench's
    client threads and the server would share one interpreter lock and the latencies would be the GIL's)."""
    from killrvideo import devservices

    api_port, redis_port = devservices.free_port(), devservices.free_port()
    command = [sys.executable, "-m", "localdataapi", "--port", str(api_port), "--log-level", "WARNING"]
    server = subprocess.Popen([*command, "--data-dir", str(workdir / "dataapi")], cwd=ROOT)
    redis = devservices.start_redis(redis_port, str(workdir / "redis"), persist=persist)
    devservices.wait_for_port(api_port, timeout=120)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "killrvideo.settings.test",
            "LOCAL_DATA_API_URL": f"http://127.0.0.1:{api_port}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "ASTRA_DB_KEYSPACE": KEYSPACE,
            "RATE_LIMITS_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return server, redis


def _stop_stack(server: Any, redis: Any) -> None:
    redis.terminate()  # SIGTERM: a persistent Redis writes its dump before exiting
    try:
        redis.wait(timeout=60)
    except subprocess.TimeoutExpired:  # a Redis that will not stop must not hide the results
        redis.kill()
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()


class _Heartbeat:
    """Prints the elapsed time now and then while a long step (the import) runs without output of its own."""

    def __init__(self, label: str, every: float = 120.0) -> None:
        self.label, self.every = label, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started = time.perf_counter()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            _out(f"  ... {self.label}: {time.perf_counter() - self.started:.0f} s")

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()


def _import(data: Path, limit: int | None) -> float:
    from django.core.management import call_command

    args = [str(data), "--password", "search-eval-password-1"]
    if limit:
        args += ["--limit", str(limit)]
    _out(f"# importing {'the whole dataset' if not limit else f'{limit} videos'} from {data} (and its search index)")
    with _Heartbeat("import") as beat:
        call_command("import_killrvideo_data", *args, verbosity=1, stdout=sys.stdout)
        seconds = time.perf_counter() - beat.started
    _out(f"# import took {seconds:.0f} s ({seconds / 60:.1f} min)")
    return seconds


def _embed_passages(data: Path, limit: int | None) -> float | None:
    """Compute the transcript passage embeddings the import left to the Celery worker (no worker runs here), in
    this process, so semantic search sees every passage. Idempotent: a no-op (one read per video) when done."""
    try:
        from discovery.services import search_index
    except ImportError:
        return None
    embed = getattr(search_index, "passages_embed", None)
    if embed is None:
        _out("# (no discovery.services.search_index.passages_embed: passage embeddings not checked)")
        return None
    from catalog.services.importer import video_files, video_uuid

    youtube_ids = [path.stem for path in video_files(data, limit)]
    started, done = time.perf_counter(), 0
    for n, youtube_id in enumerate(youtube_ids, start=1):
        done += embed(video_uuid(youtube_id, 0))
        if n % 50 == 0 or n == len(youtube_ids):
            elapsed = time.perf_counter() - started
            _out(f"  passage embeddings: {n}/{len(youtube_ids)} videos, {done} passages embedded, {elapsed:.0f} s")
    seconds = time.perf_counter() - started
    _out(f"# passage embeddings took {seconds:.0f} s ({done} computed here)")
    return seconds


# ---- running queries ----------------------------------------------------------------------------------------


@dataclass
class Failure:
    query: str
    mode: str
    status: int
    body: str


@dataclass
class Run:
    failures: list[Failure] = field(default_factory=list)
    rankings: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (query id, mode) -> youtube ids
    totals: dict[tuple[str, str], int] = field(default_factory=dict)
    repeats: int = 0  # result pages that listed one video twice
    first_seconds: dict[str, list[float]] = field(default_factory=dict)  # mode -> each query's first request


def _search_path(query: str, mode: str) -> str:
    return f"{SEARCH_PATH}?{urlencode({'query': query, 'mode': mode, 'page': 1, 'pageSize': K})}"


class YouTubeIds:
    """videoId (uuid string) -> YouTube id, through the catalog service, cached."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, video_id: str) -> str:
        if video_id not in self._cache:
            from catalog import services
            from killrvideo.errors import NotFound

            try:
                self._cache[video_id] = services.video_get(video_id=uuid.UUID(video_id)).youtube_id or video_id
            except (NotFound, ValueError):  # a result we cannot map still counts, as not relevant
                self._cache[video_id] = f"?{video_id}"
        return self._cache[video_id]


def _get(client: Any, path: str) -> tuple[int, Any, str]:
    response = client.get(path)
    text = response.content.decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    return response.status_code, body, text


def run_queries(client: Any, queries: Sequence[Judged], modes: Sequence[str]) -> Run:
    run = Run()
    youtube = YouTubeIds()
    for mode in modes:
        started = time.perf_counter()
        run.first_seconds[mode] = []
        for q in queries:
            t0 = time.perf_counter()
            status, body, text = _get(client, _search_path(q.query, mode))
            run.first_seconds[mode].append(time.perf_counter() - t0)
            if status != 200 or not isinstance(body, dict) or not isinstance(body.get("data"), list):
                run.failures.append(Failure(q.id, mode, status, text[:300]))
                run.rankings[(q.id, mode)] = []
                if status == 404 and len(run.failures) == 1:
                    _out(f"!! GET {SEARCH_PATH} answered 404 {text[:200]!r}: is the search endpoint installed?")
                continue
            ranking = [youtube(str(item.get("videoId"))) for item in body["data"]][:K]
            if len(set(ranking)) < len(ranking):
                run.repeats += 1
            run.rankings[(q.id, mode)] = ranking
            run.totals[(q.id, mode)] = int((body.get("pagination") or {}).get("totalItems") or 0)
        _out(f"# {mode}: {len(queries)} queries in {time.perf_counter() - started:.1f} s (first run, cold)")
    if run.repeats:
        _out(f"!! {run.repeats} result pages listed a video twice (counted once in the metrics)")
    return run


# ---- reporting ----------------------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def scores(queries: Sequence[Judged], run: Run, modes: Sequence[str]) -> dict[tuple[str, str], tuple[float, float]]:
    return {
        (q.id, mode): (
            ndcg_at(run.rankings[(q.id, mode)], q.relevant),
            recall_at(run.rankings[(q.id, mode)], q.relevant),
        )
        for q in queries
        for mode in modes
    }


def report(queries: Sequence[Judged], run: Run, modes: Sequence[str], per_query: bool) -> dict[str, Any]:
    score = scores(queries, run, modes)
    groups: list[tuple[str, list[Judged]]] = [(kind, [q for q in queries if q.kind == kind]) for kind in KINDS]
    groups = [(kind, qs) for kind, qs in groups if qs] + [("overall", list(queries))]
    table: dict[str, dict[str, dict[str, float]]] = {}
    _out()
    _out(f"{'kind':<11} {'n':>3} " + " ".join(f"| {mode + ' nDCG@10':>16} {'R@10':>6} " for mode in modes))
    for kind, qs in groups:
        table[kind] = {}
        cells = []
        for mode in modes:
            nd = _mean([score[(q.id, mode)][0] for q in qs])
            rc = _mean([score[(q.id, mode)][1] for q in qs])
            table[kind][mode] = {"ndcg@10": round(nd, 4), "recall@10": round(rc, 4)}
            cells.append(f"| {nd:16.3f} {rc:6.3f} ")
        if kind == "overall":
            _out("-" * (16 + 26 * len(modes)))
        _out(f"{kind:<11} {len(qs):>3} " + " ".join(cells))

    verdict: dict[str, Any] = {}
    singles = [m for m in modes if m != "hybrid"]
    if "hybrid" in modes and singles:
        _out()
        _out("hybrid against the best single mode (nDCG@10; the issue wants >= on every kind, > overall):")
        for kind, _ in groups:
            best_mode = max(singles, key=lambda m: table[kind][m]["ndcg@10"])
            best, hyb = table[kind][best_mode]["ndcg@10"], table[kind]["hybrid"]["ndcg@10"]
            ok = hyb > best if kind == "overall" else hyb >= best
            verdict[kind] = {"hybrid": hyb, "best_single": best, "best_mode": best_mode, "ok": ok}
            _out(f"  {kind:<11} hybrid {hyb:.3f}  best single {best:.3f} ({best_mode:<8}) {'ok' if ok else 'NOT MET'}")
        worse = [q for q in queries if score[(q.id, "hybrid")][0] < max(score[(q.id, m)][0] for m in singles) - 1e-9]
        _out()
        _out(f"queries where hybrid is worse than the best single mode ({len(worse)}):")
        for q in worse:
            figures = "  ".join(f"{m} {score[(q.id, m)][0]:.2f}" for m in modes)
            _out(f"  {q.id} [{q.kind}] {q.query!r}: {figures}")
            for m in modes:
                _out(f"      {m:<8} {_ranks(run.rankings[(q.id, m)], q.relevant)}")
    if per_query:
        _out()
        _out("per query (nDCG@10 / recall@10, then the judged videos' ranks in the top 10):")
        for q in queries:
            figures = "  ".join(f"{m} {score[(q.id, m)][0]:.2f}/{score[(q.id, m)][1]:.2f}" for m in modes)
            _out(f"  {q.id} [{q.kind}] {q.query!r}: {figures}")
            for m in modes:
                _out(f"      {m:<8} {_ranks(run.rankings[(q.id, m)], q.relevant)}")
    return {
        "table": table,
        "hybrid_vs_best_single": verdict,
        "per_query": {
            q.id: {
                m: {
                    "ndcg@10": round(score[(q.id, m)][0], 4),
                    "recall@10": round(score[(q.id, m)][1], 4),
                    "top10": run.rankings[(q.id, m)],
                    "totalItems": run.totals.get((q.id, m)),
                }
                for m in modes
            }
            for q in queries
        },
    }


def _ranks(ranking: Sequence[str], judged: dict[str, int]) -> str:
    """Which judged videos came back where, e.g. '#1 abc(2) #4 def(1), missed: ghi(2)'."""
    found = [f"#{rank} {video}({judged[video]})" for rank, video in enumerate(ranking, 1) if video in judged]
    missed = [
        f"{video}({grade})" for video, grade in sorted(judged.items(), key=lambda kv: -kv[1]) if video not in ranking
    ]
    shown = missed[:6] + ([f"+{len(missed) - 6} more"] if len(missed) > 6 else [])
    return (" ".join(found) or "none found") + (f"; missed: {' '.join(shown)}" if missed else "")


def _percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile, in ms."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000


def latency(client: Any, queries: Sequence[Judged], modes: Sequence[str], requests: int, run: Run) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    _out()
    _out(
        f"warm latency through the API, model loaded. '1st': each query's first request in that mode, nothing of "
        f"its answer cached (keyword first, then semantic, which embeds each query, then hybrid, which finds the "
        f"query's embedding cached, as the issue's warm figure says). Then {requests} requests per mode cycling "
        f"through {len(queries)} queries after one warm-up request each (the answers cached):"
    )
    _out(f"  {'mode':<14} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'max ms':>8}")
    for mode in modes:
        if run.first_seconds.get(mode):
            figures[f"{mode}_first"] = _latency_row(f"{mode}, 1st", mode, run.first_seconds[mode])
        paths = [_search_path(q.query, mode) for q in queries]
        for path in paths:  # warm: the model, the query embedding cache, connections
            client.get(path)
        samples = []
        for i in range(requests):
            path = paths[i % len(paths)]
            t0 = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - t0)
            if response.status_code != 200:
                run.failures.append(
                    Failure(f"latency#{i}", mode, response.status_code, response.content[:300].decode())
                )
        figures[mode] = _latency_row(f"{mode}, again", mode, samples)
    return figures


def _latency_row(label: str, mode: str, samples: Sequence[float]) -> dict[str, float]:
    """Prints one row of the latency table (with the verdict for hybrid) and returns its figures."""
    p50, p95 = statistics.median(samples) * 1000, _percentile(samples, 0.95)
    mean, worst = _mean(samples) * 1000, max(samples) * 1000
    line = f"  {label:<14} {p50:8.1f} {p95:8.1f} {mean:8.1f} {worst:8.1f}"
    if mode == "hybrid":
        met = p50 <= HYBRID_P50_MS and p95 <= HYBRID_P95_MS
        line += f"   target p50 <= {HYBRID_P50_MS:.0f}, p95 <= {HYBRID_P95_MS:.0f}: {'ok' if met else 'NOT MET'}"
    _out(line)
    return {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "mean_ms": round(mean, 1), "max_ms": round(worst, 1),
            "requests": len(samples)}  # fmt: skip


def _missing_judged(queries: Sequence[Judged]) -> list[str]:
    """Judged YouTube ids that are not in the imported catalogue (a typo in the set, or a --limit import)."""
    from catalog import services
    from catalog.services.importer import video_uuid
    from killrvideo.errors import NotFound

    missing = []
    for youtube_id in sorted({video for q in queries for video in q.relevant}):
        try:
            services.video_get(video_id=video_uuid(youtube_id, 0))
        except NotFound:
            missing.append(youtube_id)
    return missing


# ---- main ---------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, workdir: Path, *, reuse: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    queries = load_queries(args.queries)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or any(m not in MODES for m in modes):
        raise SystemExit(f"--modes takes a comma-separated subset of {','.join(MODES)}")
    counts = {kind: sum(q.kind == kind for q in queries) for kind in KINDS}
    _out(f"# {len(queries)} judged queries from {args.queries}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))

    call_command("astra_migrate", verbosity=0)
    marker = workdir / MARKER
    if reuse:
        info = json.loads(marker.read_text(encoding="utf-8"))
        _out(
            f"# reusing {workdir}: imported {info['imported_at']} ({info['limit'] or 'whole dataset'}), import took "
            f"{info['import_seconds']:.0f} s; no import this time"
        )
        limit, import_seconds, data = info["limit"], None, Path(info["data"])
    else:
        limit, data = args.limit, args.data
        import_seconds = _import(data, limit)
        marker.write_text(
            json.dumps(
                {
                    "imported_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                    "limit": limit,
                    "data": str(args.data),
                    "import_seconds": import_seconds,
                }
            ),
            encoding="utf-8",
        )
    embed_seconds = None if args.no_embed else _embed_passages(data, limit)

    status = 0
    missing = _missing_judged(queries)
    if missing:
        _out(
            f"!! {len(missing)} judged videos are not in the catalogue: {' '.join(missing[:20])}"
            + (" ..." if len(missing) > 20 else "")
        )
        if limit:
            _out("   (expected with --limit: the metrics below are not meaningful)")
        else:
            status = 1

    from discovery.repositories import SEARCH_INDEX
    from discovery.services import search
    from killrvideo import cache

    cache.changed(SEARCH_INDEX)  # answers cached by an earlier run on this directory are not reused
    search.warm_up()  # the model loaded, as a web process does at start (discovery's web_ready)
    client = Client()
    results = run_queries(client, queries, modes)
    figures: dict[str, Any] = {
        "import_seconds": import_seconds,
        "passage_embedding_seconds": embed_seconds,
        "limit": limit,
        "modes": modes,
    }
    if len(results.failures) == len(queries) * len(modes):
        _out(f"!! every search request failed; first answer: {results.failures[0].status} {results.failures[0].body}")
    else:
        figures.update(report(queries, results, modes, args.per_query))
        if args.requests > 0:
            figures["latency"] = latency(client, queries, modes, args.requests, results)
    if results.failures:
        status = 1
        _out()
        _out(f"!! {len(results.failures)} search requests did not answer 200:")
        for failure in results.failures[:10]:
            _out(f"   {failure.query} mode={failure.mode}: {failure.status} {failure.body[:200]}")
    if args.json:
        figures["failures"] = [failure.__dict__ for failure in results.failures]
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        _out(f"# figures written to {args.json}")
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "killrvideo-data")
    parser.add_argument("--queries", type=Path, default=ROOT / "bench" / "search_queries.json")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--requests", type=int, default=200, help="timed requests per mode (0: no latency part)")
    parser.add_argument("--limit", type=int, default=None, help="import only N videos (plumbing checks)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    parser.add_argument("--reuse", type=Path, default=None, help="a directory kept by --keep: skip the import")
    parser.add_argument("--no-embed", action="store_true", help="do not compute missing passage embeddings")
    parser.add_argument("--per-query", action="store_true", help="print every query's figures and ranks")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    parser.add_argument("--self-check", action="store_true", help="only check the metric code")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    self_check()
    if args.self_check:
        _out("metric self-check passed")
        return
    if args.reuse and (args.keep or args.limit):
        raise SystemExit("--reuse keeps the directory it is given and does not import: drop --keep/--limit")
    holder: tempfile.TemporaryDirectory[str] | None = None
    if args.reuse:
        workdir = args.reuse.resolve()
        if not (workdir / MARKER).is_file():
            raise SystemExit(f"{workdir} is not a directory kept by a finished --keep run (no {MARKER})")
    elif args.keep:
        workdir = Path(tempfile.mkdtemp(prefix="kv-search-eval-"))
    else:
        holder = tempfile.TemporaryDirectory(prefix="kv-search-eval-")
        workdir = Path(holder.name)
    keep = bool(args.keep or args.reuse)
    if keep:
        _out(f"# working directory (kept): {workdir}")
    server, redis = _start_stack(workdir, persist=keep)
    # A SIGTERM (a timeout, a killed job) still stops Redis cleanly, so a kept directory keeps its dump.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        status = run(args, workdir, reuse=bool(args.reuse))
    finally:
        _stop_stack(server, redis)
        if holder is not None:
            holder.cleanup()
        else:
            _out(f"# kept {workdir}: rerun with --reuse {workdir}")
    sys.exit(status)


if __name__ == "__main__":
    main()
