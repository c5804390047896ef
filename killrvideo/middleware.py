from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from killrvideo.logs import request_id_var

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Takes a sane incoming X-Request-ID or makes one; logs and the response carry it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """CSP and the headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class ApiJsonErrorsMiddleware:
    """Under /api/, every error is `{"detail", "code"}` JSON, whoever produced it: Django's URL resolver
    (404, with or without DEBUG), a 405 for a method a path does not take, a 400 for a request Django
    refused (too many fields, a body over the size limit), a debug error page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return self._as_json(response)

    @staticmethod
    def _as_json(response: HttpResponse) -> HttpResponse:
        try:
            status = HTTPStatus(response.status_code)
            detail, code = status.phrase + ".", status.name
        except ValueError:
            detail, code = "Request failed.", f"HTTP_{response.status_code}"
        if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED and response.get("Allow"):
            detail = f"Method not allowed here; use {response['Allow']}."
        replacement = HttpResponse(
            json.dumps({"detail": detail, "code": code}), status=response.status_code, content_type="application/json"
        )
        for header in ("Allow", "Retry-After", "X-Request-ID"):
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement
