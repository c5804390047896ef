"""Text hygiene for everything people type and others read: names, titles, descriptions, tags, comments.

Control characters (NUL and the rest of Unicode's Cc, except newlines and tabs where text may span lines),
lone surrogates (not encodable, so not storable) and the bidirectional override/isolate characters
(U+202A to U+202E, U+2066 to U+2069, used to make text display differently from what it is) are refused with a
clear message rather than stored.
"""

from __future__ import annotations

import unicodedata

from killrvideo.errors import ValidationFailed

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_CHARACTERS = frozenset("\n\r\t")


def problem(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with the text, in words, or None when it is fine."""
    for char in value:
        if char in BIDI_CONTROLS:
            return "must not contain bidirectional control characters"
        category = unicodedata.category(char)
        if category == "Cc" and not (multiline and char in LINE_CHARACTERS):
            return "must not contain control characters" + ("" if multiline else " or line breaks")
        if category == "Cs":
            return "contains characters that are not valid text"
    return None


def check(field: str, label: str, value: str | None, *, multiline: bool = False) -> None:
    """Raise ValidationFailed for `field` ("Title must not contain control characters.")."""
    if value is None:
        return
    issue = problem(value, multiline=multiline)
    if issue:
        raise ValidationFailed.for_field(field, f"{label} {issue}.", code="INVALID_CHARACTERS")
