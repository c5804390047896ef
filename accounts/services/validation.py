"""Input rules shared by registration, profile edits and password changes. Collects every field error."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.domain import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, normalise_email
from killrvideo import text
from killrvideo.errors import ValidationFailed

NAME_LABELS = {"first_name": "First name", "last_name": "Last name"}


@dataclass(frozen=True)
class Names:
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Registration:
    email: str
    first_name: str
    last_name: str


def _fail(errors: list[dict[str, str]]) -> None:
    if errors:
        detail = " ".join(error["message"] for error in errors)
        raise ValidationFailed(detail, errors=errors)


def _name_errors(**values: str) -> list[dict[str, str]]:
    errors = []
    for field, value in values.items():
        issue = text.problem(value)
        if issue:
            errors.append({"field": field, "message": f"{NAME_LABELS[field]} {issue}."})
        elif not value:
            errors.append({"field": field, "message": f"{NAME_LABELS[field]} is required."})
        elif len(value) > NAME_MAX_LENGTH:
            errors.append(
                {"field": field, "message": f"{NAME_LABELS[field]} must be at most {NAME_MAX_LENGTH} characters."}
            )
    return errors


def _email_errors(email: str) -> list[dict[str, str]]:
    if not email:
        return [{"field": "email", "message": "Email is required."}]
    if len(email) > EMAIL_MAX_LENGTH:
        return [{"field": "email", "message": f"Email must be at most {EMAIL_MAX_LENGTH} characters."}]
    try:
        validate_email(email)
    except ValidationError:
        return [{"field": "email", "message": "Enter a valid email address."}]
    return []


def _password_errors(value: str, *, field: str, email: str, names: tuple[str, str]) -> list[dict[str, str]]:
    # Django's validators (length, common, numeric, similarity to the user's own email and names).
    person = SimpleNamespace(email=email, first_name=names[0], last_name=names[1])
    try:
        # Our validators read attributes, not a model (accounts.passwords.SimilarityValidator).
        password_validation.validate_password(value or "", user=cast(Any, person))
    except ValidationError as exc:
        return [{"field": field, "message": message} for message in exc.messages]
    return []


def names(*, first_name: str, last_name: str) -> Names:
    clean = Names(first_name=(first_name or "").strip(), last_name=(last_name or "").strip())
    _fail(_name_errors(first_name=clean.first_name, last_name=clean.last_name))
    return clean


def password(value: str, *, field: str, email: str, names: tuple[str, str]) -> None:
    _fail(_password_errors(value, field=field, email=email, names=names))


def registration(*, email: str, password: str, first_name: str, last_name: str) -> Registration:
    clean = Registration(
        email=normalise_email(email), first_name=(first_name or "").strip(), last_name=(last_name or "").strip()
    )
    errors = _name_errors(first_name=clean.first_name, last_name=clean.last_name) + _email_errors(clean.email)
    errors += _password_errors(password, field="password", email=clean.email, names=(clean.first_name, clean.last_name))
    _fail(errors)
    return clean
