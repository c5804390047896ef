"""Page-number pagination with true totals, as the API contract and the pages both use it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from killrvideo.errors import ValidationFailed

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100


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
        if number > 10_000:
            raise ValidationFailed.for_field("page", "page must be at most 10000.")
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

    def map(self, func: Callable[[T], U]) -> Page[U]:
        return Page(
            items=[func(item) for item in self.items], page=self.page, page_size=self.page_size, total=self.total
        )

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
