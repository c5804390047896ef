"""Form helpers shared by the apps' pages."""

from __future__ import annotations

import re

from django import forms

from killrvideo.errors import ValidationFailed

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class Form(forms.Form):
    """The apps' page forms: labels without Django's trailing colon (cleaner, and what screen readers announce)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def apply_service_errors(form: forms.Form, error: ValidationFailed) -> None:
    """Show a service's field errors next to the matching fields, others at the top of the form.

    Services name fields as API clients do (`youtubeUrl`) or as Python does (`first_name`); forms use snake_case.
    """
    for field, messages in error.field_messages().items():
        name = _CAMEL_BOUNDARY.sub("_", field).lower()
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
