"""Text hygiene: control and bidirectional override characters are refused with a clear message."""

from __future__ import annotations

import pytest

from killrvideo import text

BAD = ["nul\x00byte", "bell\x07", "esc\x1b[31m", "rtl\u202eoverride", "isolate\u2066x\u2069", "lone\ud800"]


@pytest.mark.parametrize("value", BAD)
def test_bad_characters_are_named(value: str) -> None:
    assert text.problem(value)
    assert text.problem(value, multiline=True)


def test_line_breaks_only_where_text_spans_lines() -> None:
    assert text.problem("two\nlines") == "must not contain control characters or line breaks"
    assert text.problem("two\nlines\tand a tab", multiline=True) is None
    assert text.problem("Émilie — «quoted» 日本語 🎬") is None
    assert text.problem("arabic \u200f mark") is None  # a right-to-left mark is fine; only overrides are not


@pytest.mark.parametrize("value", BAD)
def test_video_fields_refuse_them(client, creator, value: str) -> None:
    from accounts.tests.factories import api_headers

    for payload in ({"title": value}, {"description": value}, {"tags": ["ok", value]}):
        response = client.post(
            "/api/v1/videos",
            {"youtubeUrl": "https://youtu.be/dQw4w9WgXcQ", **payload},
            content_type="application/json",
            **api_headers(creator),
        )
        if "\ud800" in value:  # not even valid JSON text: refused while parsing
            assert response.status_code == 400
            continue
        assert response.status_code == 422, payload
        assert "characters" in response.json()["detail"]
    from catalog import services
    from killrvideo.pagination import PageRequest

    assert services.studio_page(user_id=creator.user_id, deleted=False, request=PageRequest(1, 10)).total == 0


@pytest.mark.parametrize("value", BAD[:5])
def test_names_refuse_them(client, value: str) -> None:
    response = client.post(
        "/api/v1/users/register",
        {"firstName": value, "lastName": "Ok", "email": "hygiene@example.com", "password": "Correct-Horse-42"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "firstName", "message": f"First name {text.problem(value)}."}
