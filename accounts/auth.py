"""Who is asking: sessions for pages, JWT bearer tokens for the API, and the page decorators.

The role checks themselves live in `accounts.permissions` (no HTTP), which services use."""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from ninja.security import HttpBearer

from accounts import permissions, services
from accounts.domain import AnonymousUser, Role, User
from killrvideo.errors import AuthenticationRequired, NotFound

logger = logging.getLogger(__name__)


class Request(HttpRequest):
    """The request our views and endpoints get: `user` (pages; set by accounts.middleware) and `auth` (API; set
    by ninja from JWTAuth/OptionalJWTAuth) are one of our users or the anonymous user, never Django's."""

    user: User | AnonymousUser  # type: ignore[assignment]
    auth: User | AnonymousUser


SESSION_USER_KEY = "kv_user_id"
SESSION_VERSION_KEY = "kv_session_version"
JWT_ALGORITHM = "HS256"


# --- sessions (pages) --------------------------------------------------------------------------------------


def _active_user(user_id: uuid.UUID) -> User | None:
    try:
        user = services.user_get(user_id=user_id)
    except NotFound:
        return None
    return user if services.is_active(user) else None


def get_session_user(request: HttpRequest) -> User | AnonymousUser:
    raw = request.session.get(SESSION_USER_KEY) if hasattr(request, "session") else None
    if not raw:
        return AnonymousUser()
    try:
        user_id = uuid.UUID(str(raw))
    except ValueError:
        return AnonymousUser()
    user = _active_user(user_id)
    if user is None or request.session.get(SESSION_VERSION_KEY, 0) != user.session_version:
        return AnonymousUser()
    return user


def sign_in(request: HttpRequest, user: User) -> None:
    # A new session key and CSRF token on sign-in defeat session fixation.
    request.session.cycle_key()
    request.session[SESSION_USER_KEY] = str(user.user_id)
    request.session[SESSION_VERSION_KEY] = user.session_version
    rotate_token(request)
    request.user = user  # type: ignore[assignment]


def sign_out(request: HttpRequest) -> None:
    request.session.flush()
    request.user = AnonymousUser()  # type: ignore[assignment]


# --- JWT (API) ---------------------------------------------------------------------------------------------


def _secret() -> str:
    secret = settings.JWT_SECRET or settings.SECRET_KEY
    if not secret:
        raise ImproperlyConfigured("Set JWT_SECRET (or SECRET_KEY) to sign API tokens.")
    return secret


def issue_token(user: User) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user.user_id),
        "roles": user.role_labels,
        "iat": now,
        "exp": now + settings.JWT_ACCESS_TTL_SECONDS,
        "ver": user.session_version,
    }
    return jwt.encode(claims, _secret(), algorithm=JWT_ALGORITHM)


def decode_token(token: str) -> dict[str, Any]:
    """Verified claims; AuthenticationRequired (401) when expired, tampered with or malformed."""
    try:
        return jwt.decode(token, _secret(), algorithms=[JWT_ALGORITHM], options={"require": ["sub", "iat", "exp"]})
    except jwt.ExpiredSignatureError:
        raise AuthenticationRequired("Your session has expired. Please sign in again.", code="TOKEN_EXPIRED") from None
    except jwt.InvalidTokenError:
        raise AuthenticationRequired("The access token is not valid.", code="INVALID_TOKEN") from None


def user_from_token(token: str) -> User:
    claims = decode_token(token)
    try:
        user_id = uuid.UUID(str(claims["sub"]))
    except ValueError:
        raise AuthenticationRequired("The access token is not valid.", code="INVALID_TOKEN") from None
    user = _active_user(user_id)
    if user is None:
        raise AuthenticationRequired("The account behind this token no longer exists.", code="INVALID_TOKEN")
    if claims.get("ver", 0) != user.session_version:
        raise AuthenticationRequired("The password changed since this token was issued.", code="TOKEN_REVOKED")
    return user


class JWTAuth(HttpBearer):
    """Required bearer token. Missing -> 401 UNAUTHORIZED; bad/expired -> 401 INVALID_TOKEN/TOKEN_EXPIRED."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        return user_from_token(token)


class OptionalJWTAuth(JWTAuth):
    """Anonymous callers get `AnonymousUser`; a token that is sent must be valid."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get(self.header):
            return AnonymousUser()
        return super().__call__(request)


View = Callable[..., HttpResponse]


def _to_signin(request: HttpRequest) -> HttpResponse:
    url = f"{reverse('signin')}?{urlencode({'next': request.get_full_path()})}"
    if getattr(request, "htmx", None):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def login_required_page(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _to_signin(request)
        return view(request, *args, **kwargs)

    return wrapper


def signed_in_user(request: Request) -> User:
    """The user of a page behind `login_required_page` / `role_required_page` (anonymous visitors never get
    this far; the check makes that explicit to the type checker and to readers)."""
    return permissions.require_signed_in(request.user)


def role_required_page(role: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return _to_signin(request)
            if not request.user.has_role(role):
                return render(request, "accounts/forbidden.html", {"role": role}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
