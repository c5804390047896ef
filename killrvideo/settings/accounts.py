"""Accounts: sign-in lockout, per-IP limits, the user cache and the registration claim."""

from __future__ import annotations

from .environment import env

# Failures from one client on one account before that client is locked out of it.
LOGIN_LOCKOUT_ATTEMPTS = env.int("LOGIN_LOCKOUT_ATTEMPTS", default=5)
# Failures on one account from all clients before only clients with no recent failures may sign in.
LOGIN_ACCOUNT_LOCKOUT_ATTEMPTS = env.int("LOGIN_ACCOUNT_LOCKOUT_ATTEMPTS", default=20)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
SIGNIN_RATE_LIMIT = env.int("SIGNIN_RATE_LIMIT", default=10)
SIGNIN_RATE_WINDOW_SECONDS = env.int("SIGNIN_RATE_WINDOW_SECONDS", default=60)
REGISTER_RATE_LIMIT = env.int("REGISTER_RATE_LIMIT", default=5)
REGISTER_RATE_WINDOW_SECONDS = env.int("REGISTER_RATE_WINDOW_SECONDS", default=3600)
REGISTER_CLAIM_SECONDS = 60  # how long a registration in progress holds its email (Redis SET NX)
USER_CACHE_SECONDS = env.int("USER_CACHE_SECONDS", default=60)  # per-request user load cache, invalidated on change
JWT_ACCESS_TTL_SECONDS = env.int("JWT_ACCESS_TTL_SECONDS", default=3600)
