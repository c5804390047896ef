"""`python -m localdataapi`: run the server in the foreground until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType

from threadpoolctl import threadpool_limits

from localdataapi import textindex
from localdataapi.server import DataAPIServer


def _seconds_or_off(ms: str) -> float | None:
    if ms == "off":
        return None
    if not ms.isdigit():
        raise argparse.ArgumentTypeError("milliseconds, or 'off'")
    return int(ms) / 1000


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="localdataapi", description="Astra Data API (Tables) server on SQLite")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument("--data-dir", default="var/dataapi")
    parser.add_argument("--username", default="cassandra")
    parser.add_argument("--password", default="cassandra")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument(
        "--index-idle-ms",
        dest="index_idle",
        type=_seconds_or_off,
        default=textindex.Tuning.idle_seconds,
        help="index queued text this long after a keyspace's last write ('off': only when a lexical read "
        "or the queue's size asks)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    # Each request runs on its own thread, and a vector search is one matrix-vector product over the
    # table's vectors: BLAS threads make it no faster, but they spin between calls, and on a small
    # machine that spinning took CPU from everything else (a new search: 37 ms of server CPU, 7.5 without).
    threadpool_limits(limits=1, user_api="blas")
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = DataAPIServer(
        data_dir=args.data_dir,
        host=args.host,
        port=args.port,
        username=args.username,
        password=args.password,
        index_tuning=textindex.Tuning(idle_seconds=args.index_idle),
    )
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger("localdataapi").info("received signal %d, shutting down", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    server.start()
    while not stop.wait(1.0):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
