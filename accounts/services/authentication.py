"""Sign-in with per-IP rate limits and per-email lockout, both kept atomically in Redis."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache

from accounts import repositories
from accounts.domain import AccountStatus, User, normalise_email
from accounts.services import users
from killrvideo import ratelimit
from killrvideo.errors import AuthenticationRequired, NotFound

logger = logging.getLogger(__name__)

INVALID_CREDENTIALS_MESSAGE = "The email or password is not correct."


def locked_message() -> str:
    minutes = max(1, round(settings.LOGIN_LOCKOUT_SECONDS / 60))
    return (
        f"Too many failed sign-in attempts for this account. It is locked for {minutes} minutes; "
        "please try again later."
    )


def _keys(email: str) -> tuple[str, str]:
    # Hashed so arbitrary input never ends up in a Redis key; applies whether or not the account exists.
    digest = hashlib.sha256(email.encode()).hexdigest()
    return f"login-failures:{digest}", f"login-lock:{digest}"


def is_locked(email: str) -> bool:
    return cache.get(_keys(normalise_email(email))[1]) is not None


def _record_failure(email: str) -> bool:
    """Counts one failure (INCR, atomic across processes); returns True when this failure locks the account."""
    failures_key, lock_key = _keys(email)
    cache.add(failures_key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        count = cache.incr(failures_key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(failures_key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        count = 1
    if count < settings.LOGIN_LOCKOUT_ATTEMPTS:
        return False
    cache.add(lock_key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    cache.delete(failures_key)
    logger.warning("Sign-in locked after %s failures (email hash %s)", count, failures_key[-12:])
    return True


def _locked_error() -> AuthenticationRequired:
    return AuthenticationRequired(locked_message(), code="ACCOUNT_LOCKED")


def _check_credentials(email: str, password: str) -> User | None:
    credentials = repositories.credentials_get(email)
    if credentials is None:
        make_password(password)  # same work as a real check, so timing does not reveal unknown emails
        return None
    if not check_password(password, credentials.password_hash):
        return None
    try:
        return users.user_get(user_id=credentials.user_id)
    except NotFound:  # credentials without a user row: treat like unknown
        logger.error("Credentials for user %s have no users row", credentials.user_id)
        return None


def user_authenticate(*, email: str, password: str, ip: str) -> User:
    """The signed-in user, or AuthenticationRequired with one message for unknown email and wrong password."""
    ratelimit.hit("signin", ip, limit=settings.SIGNIN_RATE_LIMIT, window_seconds=settings.SIGNIN_RATE_WINDOW_SECONDS)
    normalised = normalise_email(email)
    if cache.get(_keys(normalised)[1]) is not None:
        raise _locked_error()
    user = _check_credentials(normalised, password or "")
    if user is None:
        if _record_failure(normalised):
            raise _locked_error()
        raise AuthenticationRequired(INVALID_CREDENTIALS_MESSAGE, code="INVALID_CREDENTIALS")
    if user.account_status != AccountStatus.ACTIVE:
        raise AuthenticationRequired("This account is disabled. Contact the site team.", code="ACCOUNT_DISABLED")
    cache.delete(_keys(normalised)[0])
    return users.user_set_last_login(user=user)
