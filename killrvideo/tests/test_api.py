from __future__ import annotations

from http import HTTPStatus


def test_openapi_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == HTTPStatus.OK
    assert schema.json()["info"]["title"] == "KillrVideo API"
    assert client.get("/api/v1/docs").status_code == HTTPStatus.OK


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "Not found.", "code": "NOT_FOUND"}


def test_every_api_operation_declares_an_error_response():
    from killrvideo.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes - {"200", "201", "202", "204"}, f"{method.upper()} {path} declares no error responses"


def test_validation_errors_name_the_fields_clients_sent():
    from killrvideo.api import _field_name

    assert _field_name(("body", "payload", "email")) == "email"
    assert _field_name(("body", "payload", "tags", 0)) == "tags.0"
    assert _field_name(("query", "pageSize")) == "pageSize"
    assert _field_name(("body",)) == "body"
