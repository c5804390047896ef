"""Errors under /api/ are JSON whoever produces them, and oversized or unencodable input is refused cleanly."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.test import Client, override_settings


def _assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if code:
        assert body["code"] == code
    return body


def test_a_3_mb_body_is_413(client: Client) -> None:
    body = json.dumps({"email": "a@example.com", "password": "x" * (3 * 1024 * 1024)})
    response = client.post("/api/v1/users/login", body, content_type="application/json")
    _assert_json_error(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "CONTENT_TOO_LARGE")


def test_2000_query_parameters_are_400(client: Client) -> None:
    query = "&".join(f"p{n}=1" for n in range(2000))
    _assert_json_error(client.get(f"/api/v1/videos/latest?{query}"), HTTPStatus.BAD_REQUEST, "TOO_MANY_PARAMETERS")


def test_a_method_a_path_does_not_take_is_a_json_405(client: Client) -> None:
    response = client.generic("TRACE", "/api/v1/users/login")
    body = _assert_json_error(response, HTTPStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED")
    assert "POST" in body["detail"]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/videos/latest/", "/api/v2/videos"])
def test_unknown_api_paths_are_json_404_even_with_debug(client: Client, path: str, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        _assert_json_error(client.get(path), HTTPStatus.NOT_FOUND)


def test_a_lone_surrogate_in_a_body_is_400_not_500(client: Client) -> None:
    body = '{"email": "a@example.com", "password": "\\ud800"}'
    _assert_json_error(client.post("/api/v1/users/login", body, content_type="application/json"), 400)


def test_a_body_of_the_wrong_json_type_is_422(client: Client, viewer) -> None:
    from accounts.tests.factories import api_headers

    response = client.put("/api/v1/users/me", "[null, null]", content_type="application/json", **api_headers(viewer))
    _assert_json_error(response, HTTPStatus.UNPROCESSABLE_ENTITY, "VALIDATION_ERROR")


def test_openapi_declares_400_413_422_once_on_every_operation(client: Client) -> None:
    raw = client.get("/api/v1/openapi.json").content.decode()
    schema = json.loads(raw, object_pairs_hook=_no_duplicate_keys)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "413", "422"} <= set(operation["responses"]), f"{method} {path}"


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys: {keys}"
    return dict(pairs)
