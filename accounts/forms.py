"""Page forms. Field-level shape checks here; rules (password strength, duplicates) come from the services,
and the password rules are also checked here so the first submit reports every problem at once."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from accounts.domain import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from killrvideo.forms import Form

PASSWORD_MAX_LENGTH = 256


def password_rules() -> str:
    """The rules Django's configured validators enforce, in one line next to the field."""
    minimum = next(
        (v.min_length for v in password_validation.get_default_password_validators() if hasattr(v, "min_length")),
        8,
    )
    return f"At least {minimum} characters; not a common password, not all digits, not similar to your name or email."


def _password(label: str, autocomplete: str, *, rules: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        help_text=password_rules() if rules else "",
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _name(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=NAME_MAX_LENGTH, widget=forms.TextInput(attrs={"autocomplete": autocomplete})
    )


class _ConfirmedPasswordMixin:
    password_field = "password"
    confirm_field = "password_confirm"

    def clean(self) -> dict[str, object]:
        data = super().clean()  # type: ignore[misc]
        first, second = data.get(self.password_field), data.get(self.confirm_field)
        if first:
            self._check_rules(str(first), data)
        if first and second and first != second:
            self.add_error(self.confirm_field, "The two passwords do not match.")  # type: ignore[attr-defined]
        return data

    def _check_rules(self, password: str, data: dict[str, object]) -> None:
        # The same configured validators, on the same attributes, as the accounts service checks.
        person = SimpleNamespace(
            email=data.get("email") or "",
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
        )
        try:
            # Our validators read attributes, not a model (accounts.passwords.SimilarityValidator).
            password_validation.validate_password(password, user=cast(Any, person))
        except ValidationError as exc:
            for message in exc.messages:
                self.add_error(self.password_field, message)  # type: ignore[attr-defined]


class RegisterForm(_ConfirmedPasswordMixin, Form):
    first_name = _name("First name", "given-name")
    last_name = _name("Last name", "family-name")
    email = forms.EmailField(
        label="Email", max_length=EMAIL_MAX_LENGTH, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password("Password", "new-password", rules=True)
    password_confirm = _password("Confirm password", "new-password")


class SignInForm(Form):
    email = forms.CharField(
        label="Email", max_length=EMAIL_MAX_LENGTH, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password("Password", "current-password")


class ProfileForm(Form):
    first_name = _name("First name", "given-name")
    last_name = _name("Last name", "family-name")


class PasswordChangeForm(_ConfirmedPasswordMixin, Form):
    password_field = "new_password"
    confirm_field = "new_password_confirm"

    current_password = _password("Current password", "current-password")
    new_password = _password("New password", "new-password", rules=True)
    new_password_confirm = _password("Confirm new password", "new-password")
