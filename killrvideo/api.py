"""The one NinjaAPI at /api/v1. Every app contributes one Router whose paths match the contract exactly."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from accounts.api import router as accounts_router
from catalog.api import router as catalog_router
from killrvideo.errors import DomainError, RateLimited

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="KillrVideo API",
    version="1.0.0",
    description="JSON API of KillrVideo; a drop-in backend for the KillrVideo React frontend.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(request: HttpRequest, status: int, detail: str, code: str, **extra: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, exc.as_json(), status=int(exc.status))
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _field_name(error.get("loc", ())), "message": error.get("msg", "")} for error in exc.errors]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:3]) or "Invalid input."
    return error_response(request, 422, f"Invalid input: {summary}", "VALIDATION_ERROR", errors=errors)


def _field_name(location: tuple[object, ...] | list[object]) -> str:
    """("body", "payload", "email") -> "email"; ("query", "page") -> "page": the names clients sent."""
    parts = [str(part) for part in location]
    parts = parts[2:] if parts[:1] == ["body"] and len(parts) > 2 else parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "Authentication required: send a valid bearer token.", "UNAUTHORIZED")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    try:
        code = HTTPStatus(exc.status_code).name
    except ValueError:
        code = f"HTTP_{exc.status_code}"
    return error_response(request, exc.status_code, str(exc), code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "Not found.", "NOT_FOUND")


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return error_response(request, 500, "Something went wrong on our side. Please try again.", "INTERNAL_ERROR")


# One line per app; paths inside each router match the contract exactly.
api.add_router("", accounts_router)
api.add_router("", catalog_router)
