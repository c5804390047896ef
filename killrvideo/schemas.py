"""Schemas every app's API shares."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import model_validator


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
