"""Page requests and the API page envelope (pure)."""

from __future__ import annotations

import pytest

from killrvideo.errors import ValidationFailed
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
