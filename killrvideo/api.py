"""The one NinjaAPI at /api/v1. Every app contributes one Router whose paths match the contract exactly."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from accounts.api import router as accounts_router
from catalog.api import router as catalog_router
from community.api import router as community_router
from discovery.api import router as discovery_router
from killrvideo.errors import DomainError, RateLimited
from moderation.api import router as moderation_router

logger = logging.getLogger(__name__)


class StrictJSONParser(Parser):
    """JSON bodies that are text we can store: a lone surrogate ("\\ud800") cannot be encoded, so such a body
    is refused (400) here rather than failing later in a hasher or the store."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # UnicodeEncodeError on lone surrogates
        return cast(dict[str, Any], data)


class KillrVideoAPI(NinjaAPI):
    """States in the OpenAPI schema the errors every operation can answer with: 400 (a request Django
    refuses, a body that is not JSON), 413 (a body over the size limit), 422 (input that fails validation)."""

    COMMON_ERRORS = {
        400: "Bad request: malformed JSON, or too many parameters.",
        413: "The request body is too large.",
        422: "Invalid input; `errors` names each field.",
    }

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, description in self.COMMON_ERRORS.items():
                    # ninja keys responses by int: one key per status, or the JSON would repeat "422".
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, **error}
        return schema


api = KillrVideoAPI(
    parser=StrictJSONParser(),
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


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return error_response(request, 413, f"The request body is too large (at most {limit_kb} KB).", "CONTENT_TOO_LARGE")


@api.exception_handler(TooManyFieldsSent)
def on_too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return error_response(request, 400, f"Too many parameters (at most {limit}).", "TOO_MANY_PARAMETERS")


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return error_response(request, 500, "Something went wrong on our side. Please try again.", "INTERNAL_ERROR")


# One line per app; paths inside each router match the contract exactly.
api.add_router("", accounts_router)
api.add_router("", catalog_router)
api.add_router("", community_router)
api.add_router("", discovery_router)
api.add_router("", moderation_router)
