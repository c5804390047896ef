"""The anonymous viewer id: a random id we issue in a signed cookie, so clients cannot mint their own.

Used by the watch page and the view endpoint to tell anonymous viewers apart without creating a session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "kv_viewer"
SALT = "catalog.viewer"
MAX_AGE_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class Viewer:
    viewer_id: str
    issued_now: bool


def viewer_of(request: HttpRequest) -> Viewer:
    """The verified id this client carries, or a new one (to be set on the response with `remember`)."""
    raw = request.get_signed_cookie(COOKIE_NAME, default=None, salt=SALT, max_age=MAX_AGE_SECONDS)
    try:
        return Viewer(uuid.UUID(str(raw)).hex, issued_now=False) if raw else _new()
    except (ValueError, signing.BadSignature):
        return _new()


def _new() -> Viewer:
    return Viewer(uuid.uuid4().hex, issued_now=True)


def remember(response: HttpResponse, viewer: Viewer) -> HttpResponse:
    if viewer.issued_now:
        response.set_signed_cookie(
            COOKIE_NAME,
            viewer.viewer_id,
            salt=SALT,
            max_age=MAX_AGE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
