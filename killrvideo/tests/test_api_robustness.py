"""Every API operation, fed malformed input, answers with a clear JSON error and never a 5xx."""

from __future__ import annotations

import re

import pytest

from accounts.domain import Role
from accounts.tests.factories import api_headers, make_user
from killrvideo.api import api

BAD_PATH_VALUES = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "x" * 300, "%00", "..%2F.."]
BAD_QUERIES = ["page=0", "page=abc&pageSize=-5", "pageSize=1000", "limit=9999&intervalDays=2", "query=%00&mode=nope"]
BAD_BODIES = ["", "{", "[]", "null", '{"unexpected": true}', '{"rating": "five", "text": 5, "youtubeUrl": []}']


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


def _assert_clear_error(response, label: str) -> None:
    assert response.status_code < 500, f"{label} -> {response.status_code}: {response.content[:300]!r}"
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("detail"), str), label
        assert body["detail"]
        assert isinstance(body.get("code"), str), label


@pytest.mark.parametrize(("method", "path"), _operations())
def test_operation_survives_malformed_input(client, method, path):
    admin = make_user(role=Role.ADMIN)
    for headers in ({}, api_headers(admin)):
        for value in BAD_PATH_VALUES:
            url = re.sub(r"\{[^}]+\}", value, path)
            for query in BAD_QUERIES:
                target = f"{url}?{query}"
                if method == "GET":
                    _assert_clear_error(client.get(target, **headers), f"GET {target}")
                    continue
                for body in BAD_BODIES:
                    response = client.generic(method, target, body, content_type="application/json", **headers)
                    _assert_clear_error(response, f"{method} {target} {body!r}")
