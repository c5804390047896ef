from __future__ import annotations

from http import HTTPStatus

import pytest

from killrvideo import astra


def test_healthz_reports_process_up(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}


@pytest.mark.worker
def test_readyz_reports_every_dependency_up(client, celery_worker):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == HTTPStatus.OK, body
    assert body["status"] == "ready"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "dataApi": "up",
        "redis": "up",
        "worker": "up",
    }


def test_readyz_reports_unreachable_data_api(client, settings):
    settings.LOCAL_DATA_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    astra.reset()
    try:
        response = client.get("/readyz")
    finally:
        astra.reset()
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["dataApi"]["status"] == "down"


@pytest.mark.worker
def test_ping_task_round_trips_through_a_real_worker(celery_worker):
    from killrvideo.tasks import ping

    result = ping.delay().get(timeout=30)
    assert "pong" in result
