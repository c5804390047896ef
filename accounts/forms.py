"""Page forms. Field-level shape checks here; rules (password strength, duplicates) come from the services."""

from __future__ import annotations

from django import forms

from accounts.domain import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH

PASSWORD_MAX_LENGTH = 256


def _password(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _name(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=NAME_MAX_LENGTH, widget=forms.TextInput(attrs={"autocomplete": autocomplete})
    )


class _Form(forms.Form):
    """Labels without Django's trailing colon (cleaner, and what screen readers announce)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class _ConfirmedPasswordMixin:
    password_field = "password"
    confirm_field = "password_confirm"

    def clean(self) -> dict[str, object]:
        data = super().clean()  # type: ignore[misc]
        first, second = data.get(self.password_field), data.get(self.confirm_field)
        if first and second and first != second:
            self.add_error(self.confirm_field, "The two passwords do not match.")  # type: ignore[attr-defined]
        return data


class RegisterForm(_ConfirmedPasswordMixin, _Form):
    first_name = _name("First name", "given-name")
    last_name = _name("Last name", "family-name")
    email = forms.EmailField(
        label="Email", max_length=EMAIL_MAX_LENGTH, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password("Password", "new-password")
    password_confirm = _password("Confirm password", "new-password")


class SignInForm(_Form):
    email = forms.CharField(
        label="Email", max_length=EMAIL_MAX_LENGTH, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password("Password", "current-password")


class ProfileForm(_Form):
    first_name = _name("First name", "given-name")
    last_name = _name("Last name", "family-name")


class PasswordChangeForm(_ConfirmedPasswordMixin, _Form):
    password_field = "new_password"
    confirm_field = "new_password_confirm"

    current_password = _password("Current password", "current-password")
    new_password = _password("New password", "new-password")
    new_password_confirm = _password("Confirm new password", "new-password")
