"""Password rules: Django's similarity check on our (non-model) users, through the validator and every entry."""

from __future__ import annotations

from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from accounts.passwords import SimilarityValidator
from accounts.tests.factories import TEST_PASSWORD, make_user, signed_in_client, unique_email

PERSON = SimpleNamespace(email="bob.smith@example.com", first_name="Bob!", last_name="-Smith")


@pytest.mark.parametrize(
    ("password", "label"),
    [("bob.smith@example.com", "email address"), ("BobSmith1", "email address"), ("bobbob!", "first name")],
)
def test_similar_passwords_are_refused_with_the_attribute_named(password: str, label: str) -> None:
    with pytest.raises(ValidationError, match=f"too similar to your {label}"):
        SimilarityValidator().validate(password, PERSON)


def test_empty_and_unrelated_passwords_pass_this_rule() -> None:
    SimilarityValidator().validate("", PERSON)  # the length rule reports empty passwords
    SimilarityValidator().validate("Correct-Horse-Battery-42", PERSON)
    SimilarityValidator().validate("bob.smith@example.com", None)


@pytest.mark.parametrize(
    "payload",
    [
        {"firstName": "Bob!", "lastName": "-Smith", "email": "bob.smith@example.com", "password": ""},
        {"firstName": "Bob", "lastName": "Smith", "email": "bobsmith@example.com", "password": "bobsmith@example"},
        {"firstName": "Alexandria", "lastName": "Smith", "email": "a@example.com", "password": "alexandria"},
    ],
)
def test_register_api_answers_422_not_500(client, payload: dict[str, str]) -> None:
    response = client.post("/api/v1/users/register", payload, content_type="application/json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert any(error["field"] == "password" for error in response.json()["errors"])


def test_register_page_shows_the_similarity_inline(client) -> None:
    data = {"first_name": "Bartholomew!", "last_name": "-Smith", "email": unique_email("b"), "password": "bartholomew1"}
    response = client.post("/register", {**data, "password_confirm": data["password"]})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "too similar to your" in response.content.decode()


def test_password_change_page_checks_similarity(client) -> None:
    user = make_user(first_name="Bartholomew", last_name="Smith")
    signed_in_client(client, user)
    form = {"current_password": TEST_PASSWORD, "new_password": "bartholomew", "new_password_confirm": "bartholomew"}
    response = client.post("/profile/password", form)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "too similar to your first name" in response.content.decode()
