"""Domain errors. Services raise these; the API maps them to {"detail", "code"} and pages to messages."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class DomainError(Exception):
    status: HTTPStatus = HTTPStatus.BAD_REQUEST
    code: str = "BAD_REQUEST"

    def __init__(self, detail: str, *, code: str | None = None, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.errors = errors or []

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.detail, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


class ValidationFailed(DomainError):
    """Input that breaks a rule. `errors` carries one entry per field: {"field", "message"}."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "VALIDATION_ERROR"

    def field_messages(self) -> dict[str, list[str]]:
        messages: dict[str, list[str]] = {}
        for error in self.errors:
            messages.setdefault(str(error.get("field", "__all__")), []).append(str(error.get("message", "")))
        return messages

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> ValidationFailed:
        return cls(message, code=code, errors=[{"field": field, "message": message}])


class AuthenticationRequired(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "UNAUTHORIZED"


class PermissionDenied(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "FORBIDDEN"


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND
    code = "NOT_FOUND"


class Conflict(DomainError):
    status = HTTPStatus.CONFLICT
    code = "CONFLICT"


class RateLimited(DomainError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "RATE_LIMITED"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after = max(1, int(retry_after))


class ServiceUnavailable(DomainError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "SERVICE_UNAVAILABLE"
