from __future__ import annotations

from http import HTTPStatus


def test_home_renders_layout_and_empty_state(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    for landmark in ('class="site-header"', 'href="/explore"', 'href="/trending"', 'role="search"', "Sign in"):
        assert landmark in html
    assert "js/htmx.min.js" in html
    assert 'hx-headers=\'{"x-csrftoken":' in html


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "couldn&#x27;t find that page" in response.content.decode() or "find that page" in response.content.decode()


def test_security_headers_are_set(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert generated != "bad id with spaces"
    assert len(generated) == 32


def test_static_files_are_served(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == HTTPStatus.OK
