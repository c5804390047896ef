"""Schemas every app's API shares."""

from __future__ import annotations

from ninja import Schema


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """The one error body: {"detail", "code"} plus, for validation errors, one entry per field."""

    detail: str
    code: str
    errors: list[FieldErrorOut] | None = None
