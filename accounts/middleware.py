from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from accounts import auth


class AuthenticationMiddleware:
    """Puts the signed-in user (loaded through the accounts service, lazily) on `request.user`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: auth.get_session_user(request))  # type: ignore[assignment]
        return self.get_response(request)
