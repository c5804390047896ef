from __future__ import annotations

import pytest


@pytest.mark.browser
def test_home_page_loads_in_chromium(page):
    response = page.goto("/")
    assert response.status == 200
    assert page.title().startswith("Home")
    assert page.locator("header.site-header").is_visible()
    assert page.locator("footer").inner_text().count("KillrVideo dataset") == 1
    # htmx loaded from our own static files (no CDN; CSP would block it)
    assert page.evaluate("typeof window.htmx") == "object"


@pytest.mark.browser
def test_api_docs_render_under_the_strict_csp(page):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    assert not violations
