"""Page-number pagination with true totals, as the API contract and the pages both use it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from killrvideo.errors import ValidationFailed

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
# The deepest page a listing serves (the API schema states the same bound, so clients can know it).
MAX_PAGE = 10_000


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @classmethod
    def parse(cls, page: object = 1, page_size: object = DEFAULT_PAGE_SIZE) -> PageRequest:
        """Validate raw query values (strings from forms, ints from ninja)."""
        number = _positive_int("page", page, default=1)
        size = _positive_int("pageSize", page_size, default=DEFAULT_PAGE_SIZE)
        if size > MAX_PAGE_SIZE:
            raise ValidationFailed.for_field("pageSize", f"pageSize must be at most {MAX_PAGE_SIZE}.")
        if number > MAX_PAGE:
            raise ValidationFailed.for_field("page", f"page must be at most {MAX_PAGE}.")
        return cls(page=number, page_size=size)


def _positive_int(field: str, value: object, *, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise ValidationFailed.for_field(field, f"{field} must be a whole number.") from None
    if number < 1:
        raise ValidationFailed.for_field(field, f"{field} must be at least 1.")
    return number


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    page_size: int
    total: int

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size)) if self.page_size else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def out_of_range(self) -> bool:
        """Asked for a page past the last one of a non-empty listing (e.g. an old link, ?page=999)."""
        return self.total > 0 and self.page > self.total_pages

    @property
    def first_index(self) -> int:
        """1-based position of the first item shown ("Showing 13-24 of 727"); 0 when nothing is shown."""
        return (self.page - 1) * self.page_size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.page_size + len(self.items) if self.items else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page links to show: first, last, and `around` pages each side of the current one; None = a gap."""
        last = self.total_pages
        wanted = {1, last, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        shown: list[int | None] = []
        for number in numbers:
            if shown and number - (shown[-1] or 0) == 2:
                shown.append(number - 1)  # a gap of one page is shown as that page, not as "…"
            elif shown and number - (shown[-1] or 0) > 2:
                shown.append(None)
            shown.append(number)
        return shown

    def as_api(self, func: Callable[[T], object] | None = None) -> dict[str, object]:
        """The contract's `{"data": [...], "pagination": {...}}` envelope."""
        data = [func(item) for item in self.items] if func else list(self.items)
        return {
            "data": data,
            "pagination": {
                "currentPage": self.page,
                "pageSize": self.page_size,
                "totalItems": self.total,
                "totalPages": self.total_pages,
            },
        }
