"""Sign-in with per-IP rate limits and a lockout that a stranger cannot turn against someone else.

Failures are counted per (account, client) and per account, in Redis:

- five failures from one client lock *that client* out of that account for `LOGIN_LOCKOUT_SECONDS`, even
  against the right password (brute force from one address stops there);
- many failures on one account from any clients (`LOGIN_ACCOUNT_LOCKOUT_ATTEMPTS`, a distributed attack)
  put it under protection: only a client with no recent failures on it may still sign in with the right
  password, so the real owner is not locked out by somebody else's guesses.

Unknown emails are counted the same way, so the answers never reveal whether an account exists.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

from accounts import repositories
from accounts.domain import AccountStatus, User, normalise_email
from accounts.services import users
from killrvideo import ratelimit, redis
from killrvideo.errors import AuthenticationRequired, NotFound

logger = logging.getLogger(__name__)

INVALID_CREDENTIALS_MESSAGE = "The email or password is not correct."


def locked_message() -> str:
    minutes = max(1, round(settings.LOGIN_LOCKOUT_SECONDS / 60))
    return (
        f"Too many failed sign-in attempts for this account. It is locked for {minutes} minutes; "
        "please try again later."
    )


def _digest(value: str) -> str:
    # Hashed so arbitrary input never ends up in a Redis key.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _counters(email: str, ip: str) -> tuple[str, str]:
    """(failures of this client on this account, failures on this account from anyone)."""
    account = _digest(email)
    return f"signin-fail:{account}:{_digest(ip)}", f"signin-fail:{account}"


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


def _record_failure(client_counter: str, account_counter: str) -> AuthenticationRequired:
    ttl = settings.LOGIN_LOCKOUT_SECONDS
    client_failures = redis.counter_hit(client_counter, ttl)
    account_failures = redis.counter_hit(account_counter, ttl)
    if account_failures == settings.LOGIN_ACCOUNT_LOCKOUT_ATTEMPTS:
        logger.warning("Sign-in protection on for account hash %s: %s failures", account_counter[-8:], account_failures)
    if client_failures >= settings.LOGIN_LOCKOUT_ATTEMPTS:
        logger.warning("Sign-in locked for one client of account hash %s", account_counter[-8:])
        return _locked_error()
    return AuthenticationRequired(INVALID_CREDENTIALS_MESSAGE, code="INVALID_CREDENTIALS")


def user_authenticate(*, email: str, password: str, ip: str) -> User:
    """The signed-in user, or AuthenticationRequired with one message for unknown email and wrong password."""
    ratelimit.hit("signin", ip, limit=settings.SIGNIN_RATE_LIMIT, window_seconds=settings.SIGNIN_RATE_WINDOW_SECONDS)
    normalised = normalise_email(email)
    client_counter, account_counter = _counters(normalised, ip)
    client_failures = redis.counter_get(client_counter)
    if client_failures >= settings.LOGIN_LOCKOUT_ATTEMPTS:
        raise _locked_error()
    user = _check_credentials(normalised, password or "")
    if user is None:
        raise _record_failure(client_counter, account_counter)
    under_attack = redis.counter_get(account_counter) >= settings.LOGIN_ACCOUNT_LOCKOUT_ATTEMPTS
    if under_attack and client_failures:
        raise _locked_error()
    if user.account_status != AccountStatus.ACTIVE:
        raise AuthenticationRequired("This account is disabled. Contact the site team.", code="ACCOUNT_DISABLED")
    redis.counter_reset(client_counter)
    return users.user_set_last_login(user=user)
