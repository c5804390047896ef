"""Password rules for our users, which are not Django models (Django's similarity check reads `user._meta`)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator, exceeds_maximum_length_ratio
from django.core.exceptions import ValidationError

LABELS = {"email": "email address", "first_name": "first name", "last_name": "last name"}


class SimilarityValidator(UserAttributeSimilarityValidator):
    """Django's "too similar to your personal information" rule, on any object with the named attributes.

    Parts of a value that are empty (a name like "Bob!" splits into "bob" and "") are skipped, so an empty
    password is reported as too short rather than as similar to nothing.
    """

    DEFAULT_USER_ATTRIBUTES = ("email", "first_name", "last_name")

    def __init__(self, user_attributes: tuple[str, ...] = DEFAULT_USER_ATTRIBUTES, max_similarity: float = 0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password: str, user: object = None) -> None:
        if not user or not password:
            return
        lowered = password.lower()
        for attribute in self.user_attributes:
            value = getattr(user, attribute, None)
            if not value or not isinstance(value, str):
                continue
            if any(self._similar(lowered, part) for part in {*re.split(r"\W+", value.lower()), value.lower()} if part):
                raise ValidationError(
                    f"The password is too similar to your {LABELS.get(attribute, attribute)}.",
                    code="password_too_similar",
                )

    def _similar(self, password: str, part: str) -> bool:
        if exceeds_maximum_length_ratio(password, self.max_similarity, part):
            return False
        return SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity
