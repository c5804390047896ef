"""Operations: liveness and readiness, as JSON."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from http import HTTPStatus

from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from killrvideo import astra
from killrvideo.celery import app as celery_app

logger = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_data_api() -> None:
    astra.ping()


def _check_redis() -> None:
    cache.set("readyz", "1", timeout=5)
    if cache.get("readyz") != "1":
        raise RuntimeError("Redis did not return what was written")


def _check_worker() -> None:
    if not celery_app.control.ping(timeout=1.0, limit=1):
        raise RuntimeError("no Celery worker answered")


CHECKS: dict[str, Callable[[], None]] = {"dataApi": _check_data_api, "redis": _check_redis, "worker": _check_worker}


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
            results[name] = {"status": "up"}
        except Exception as exc:  # a readiness probe reports every failure instead of raising
            logger.warning("readyz: %s is down: %s", name, exc)
            results[name] = {"status": "down", "error": str(exc)[:200]}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ready = all(result["status"] == "up" for result in results.values())
    status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
    return JsonResponse({"status": "ready" if ready else "not_ready", "checks": results}, status=status)
