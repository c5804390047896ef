"""Schemas every app's API shares."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import model_validator

from killrvideo.pagination import Page

T = TypeVar("T")


class InputSchema(Schema):
    """A JSON body: must be an object (ninja would otherwise read attributes off a list and see no fields)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        # ninja may hand the value over wrapped in its DjangoGetter (the parsed JSON is its `_obj`).
        if not isinstance(getattr(value, "_obj", value), dict | cls):
            raise ValueError("Send a JSON object.")
        return value


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """The one error body: {"detail", "code"} plus, for validation errors, one entry per field."""

    detail: str
    code: str
    errors: list[FieldErrorOut] | None = None


def page_json(page: Page[T], fields: Callable[[T], dict[str, Any]]) -> HttpResponse:
    """A page in the contract's `{"data", "pagination"}` envelope, as JSON, for the hot listings: the same
    values and the same encoder ninja would use, without ninja re-reading every field of every item through
    its attribute getter (a third of a 100-item page's CPU). `fields` is the schema's own field builder, so
    the route's declared response schema still describes exactly this; the API tests check the shapes.

    Each item's JSON is memoised per process under the item itself (a frozen dataclass holding every value
    it shows, counters included) and `fields`, so any change is another key and an item seen before costs a
    lookup instead of an encoding; the text is what `json.dumps` of the whole envelope would write."""
    pagination = _encode(page.as_api()["pagination"])
    return _json_response(f'{{"data": [{_items_json(page.items, fields)}], "pagination": {pagination}}}')


def list_json(items: Sequence[T], fields: Callable[[T], dict[str, Any]]) -> HttpResponse:
    """A JSON array of items, as `page_json` writes them."""
    return _json_response(f"[{_items_json(items, fields)}]")


def _items_json(items: Sequence[T], fields: Callable[[T], dict[str, Any]]) -> str:
    try:
        return ", ".join(_item_json(fields, item) for item in items)
    except TypeError:  # an unhashable item: encode without the memo
        return ", ".join(_encode(fields(item)) for item in items)


def _json_response(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@functools.lru_cache(maxsize=8192)
def _item_json(fields: Callable[[Any], dict[str, Any]], item: Any) -> str:
    return _encode(fields(item))


def _encode(value: object) -> str:
    return json.dumps(value, cls=NinjaJSONEncoder)
