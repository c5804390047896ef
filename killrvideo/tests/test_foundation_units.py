from __future__ import annotations

import pytest

from killrvideo import ratelimit
from killrvideo.errors import RateLimited, ValidationFailed
from killrvideo.pagination import Page, PageRequest


@pytest.mark.parametrize(
    ("page", "size", "expected"),
    [(None, None, (1, 10)), ("2", "25", (2, 25)), (3, 100, (3, 100)), ("", "", (1, 10))],
)
def test_page_request_parses(page, size, expected):
    parsed = PageRequest.parse(page, size)
    assert (parsed.page, parsed.page_size) == expected


@pytest.mark.parametrize(("page", "size"), [("0", "10"), ("x", "10"), ("1", "101"), ("1", "-3"), ("1", "1.5")])
def test_page_request_rejects_bad_values(page, size):
    with pytest.raises(ValidationFailed):
        PageRequest.parse(page, size)


def test_page_envelope_has_true_totals():
    envelope = Page(items=[1, 2], page=2, page_size=2, total=5).as_api()
    assert envelope["pagination"] == {"currentPage": 2, "pageSize": 2, "totalItems": 5, "totalPages": 3}


def test_rate_limit_blocks_past_the_limit_with_retry_after():
    for _ in range(3):
        ratelimit.hit("unit", "ip-1", limit=3, window_seconds=60)
    with pytest.raises(RateLimited) as blocked:
        ratelimit.hit("unit", "ip-1", limit=3, window_seconds=60)
    assert 1 <= blocked.value.retry_after <= 60
    ratelimit.hit("unit", "ip-2", limit=3, window_seconds=60)  # other keys are unaffected


def test_service_errors_land_on_the_matching_form_fields():
    from django import forms

    from killrvideo.forms import apply_service_errors

    class VideoForm(forms.Form):
        youtube_url = forms.CharField(required=False)
        first_name = forms.CharField(required=False)

    form = VideoForm(data={})
    assert form.is_valid()
    errors = [
        {"field": "youtubeUrl", "message": "Not a YouTube link."},
        {"field": "first_name", "message": "Too long."},
        {"field": "somethingElse", "message": "General problem."},
    ]
    apply_service_errors(form, ValidationFailed("bad", errors=errors))
    assert form.errors["youtube_url"] == ["Not a YouTube link."]
    assert form.errors["first_name"] == ["Too long."]
    assert form.non_field_errors() == ["General problem."]
