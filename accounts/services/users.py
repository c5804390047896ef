"""User use cases: registration, profile, password, roles and lookups (cached by id)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache

from accounts import permissions, repositories
from accounts.domain import (
    AccountStatus,
    Credentials,
    Permission,
    Role,
    User,
    normalise_email,
    roles_at_and_above,
    roles_with_implied,
    search_tokens_for,
)
from accounts.permissions import Actor
from accounts.services import validation
from killrvideo import cache as kvcache
from killrvideo import ratelimit, redis
from killrvideo.errors import Conflict, NotFound, ValidationFailed

logger = logging.getLogger(__name__)

EMAIL_TAKEN_MESSAGE = "An account with this email address already exists. Sign in instead."


def _cache_key(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


def _names_scope(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


def forget_cached_user(user_id: uuid.UUID) -> None:
    """Call after every write to a user: drops the cached User and bumps its names' version (display_names)."""
    cache.delete(_cache_key(user_id))
    kvcache.changed(_names_scope(user_id))


def _email_key(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()


@contextlib.contextmanager
def _email_claim(email: str) -> Iterator[None]:
    """Atomic claim (Redis SET NX) so two simultaneous registrations of one email cannot both write."""
    name = f"register:{_email_key(email)}"
    if redis.claim(name, "1", settings.REGISTER_CLAIM_SECONDS) is not None:
        raise Conflict(EMAIL_TAKEN_MESSAGE, code="EMAIL_TAKEN")
    try:
        yield
    finally:
        redis.release_claim(name)


def _store_new_user(user: User, password_hash: str) -> None:
    # Users row first: a credentials row must never point at a missing user.
    repositories.user_save(user)
    repositories.credentials_save(
        Credentials(email=user.email, user_id=user.user_id, password_hash=password_hash),
        created_at=user.created_at or datetime.now(UTC),
    )
    repositories.search_tokens_add(user.user_id, search_tokens_of(user))
    forget_cached_user(user.user_id)  # a lookup made before the user existed cached "nobody"


def search_tokens_of(user: User) -> frozenset[str]:
    return search_tokens_for(email=user.email, first_name=user.first_name, last_name=user.last_name)


def user_register(*, email: str, password: str, first_name: str, last_name: str, ip: str | None = None) -> User:
    """Create a `creator`. With `ip`, the per-IP registration limit applies (pages and API pass it)."""
    if ip is not None:
        ratelimit.hit(
            "register", ip, limit=settings.REGISTER_RATE_LIMIT, window_seconds=settings.REGISTER_RATE_WINDOW_SECONDS
        )
    fields = validation.registration(email=email, password=password, first_name=first_name, last_name=last_name)
    with _email_claim(fields.email):
        if repositories.credentials_get(fields.email) is not None:
            raise Conflict(EMAIL_TAKEN_MESSAGE, code="EMAIL_TAKEN")
        user = User(
            user_id=uuid.uuid4(),
            email=fields.email,
            first_name=fields.first_name,
            last_name=fields.last_name,
            roles=roles_with_implied(Role.CREATOR),
            created_at=datetime.now(UTC),
        )
        _store_new_user(user, make_password(password))
    logger.info("Registered user %s", user.user_id)
    return user


def user_get(*, user_id: uuid.UUID) -> User:
    """One primary-key read, cached briefly in Redis (every change below invalidates it)."""
    cached = cache.get(_cache_key(user_id))
    if isinstance(cached, User):
        return cached
    user = repositories.user_get(user_id)
    if user is None:
        raise NotFound("No such user.", code="USER_NOT_FOUND")
    cache.set(_cache_key(user_id), user, timeout=settings.USER_CACHE_SECONDS)
    return user


def _user_get_fresh(user_id: uuid.UUID) -> User:
    user = repositories.user_get(user_id)
    if user is None:
        raise NotFound("No such user.", code="USER_NOT_FOUND")
    return user


def users_get_many(*, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, User]:
    """Users by id (unknown ids are left out): cache first, then `$in` reads on the primary key (100 ids each)."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[uuid.UUID, User] = {}
    cached = cache.get_many([_cache_key(user_id) for user_id in ids])
    for value in cached.values():
        if isinstance(value, User):
            found[value.user_id] = value
    missing = [user_id for user_id in ids if user_id not in found]
    loaded = repositories.users_get_many(missing) if missing else []
    cache.set_many({_cache_key(user.user_id): user for user in loaded}, timeout=settings.USER_CACHE_SECONDS)
    found.update({user.user_id: user for user in loaded})
    return found


def display_names(*, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """(first name, last name) of each user by id (unknown ids are left out), for bylines on lists of cards
    and comments. One round trip when cached: each pair sits under its user's version, which every write to
    the user bumps (forget_cached_user), so a rename shows at once; misses cost one `$in` read per 100."""
    ids = list(dict.fromkeys(user_ids))

    def load(missing: list[int]) -> list[tuple[str, str] | None]:
        users = {user.user_id: user for user in repositories.users_get_many([ids[i] for i in missing])}
        return [(u.first_name, u.last_name) if (u := users.get(ids[i])) else None for i in missing]

    names = kvcache.cached_each([(f"user-names:{user_id}", _names_scope(user_id)) for user_id in ids], load)
    return {user_id: pair for user_id, pair in zip(ids, names, strict=True) if pair is not None}


@dataclass(frozen=True)
class Profile:
    """A user as one actor sees them: `private` says whether email and last sign-in may be shown."""

    user: User
    private: bool
    is_self: bool


def user_profile(*, actor: Actor, user_id: uuid.UUID) -> Profile:
    """The one place that decides who sees a user's private fields (that user and moderators)."""
    user = user_get(user_id=user_id)
    return Profile(
        user=user,
        private=permissions.sees_private_profile(actor, user.user_id),
        is_self=actor.user_id == user.user_id,
    )


def user_get_by_email(*, email: str) -> User:
    credentials = repositories.credentials_get(normalise_email(email))
    if credentials is None:
        raise NotFound("No user with this email address.", code="USER_NOT_FOUND")
    return user_get(user_id=credentials.user_id)


def user_update_profile(*, user_id: uuid.UUID, first_name: str | None = None, last_name: str | None = None) -> User:
    """Change names (the email is fixed). Search tokens are re-indexed: new ones first, stale ones after."""
    current = _user_get_fresh(user_id)
    names = validation.names(
        first_name=current.first_name if first_name is None else first_name,
        last_name=current.last_name if last_name is None else last_name,
    )
    updated = replace(current, first_name=names.first_name, last_name=names.last_name)
    repositories.user_set_names(user_id, first_name=updated.first_name, last_name=updated.last_name)
    old_tokens, new_tokens = search_tokens_of(current), search_tokens_of(updated)
    repositories.search_tokens_add(user_id, new_tokens - old_tokens)
    repositories.search_tokens_remove(user_id, old_tokens - new_tokens)
    forget_cached_user(user_id)
    return updated


def user_change_password(*, user_id: uuid.UUID, current_password: str, new_password: str) -> User:
    """Sets a new password and ends every other session and token (the caller re-signs its own session)."""
    user = _user_get_fresh(user_id)
    credentials = repositories.credentials_get(user.email)
    if credentials is None or not check_password(current_password, credentials.password_hash):
        raise ValidationFailed.for_field(
            "current_password", "Your current password is not correct.", code="WRONG_PASSWORD"
        )
    validation.password(new_password, field="new_password", email=user.email, names=(user.first_name, user.last_name))
    repositories.credentials_set_password(user.email, make_password(new_password))
    updated = replace(user, session_version=user.session_version + 1)
    repositories.user_set_session_version(user_id, updated.session_version)
    forget_cached_user(user_id)
    logger.info("Password changed for user %s", user_id)
    return updated


def role_grant(*, user_id: uuid.UUID, role: Role) -> User:
    """Adds the role and every role below it (stored explicitly)."""
    _user_get_fresh(user_id)
    repositories.user_add_roles(user_id, roles_with_implied(role))
    forget_cached_user(user_id)
    logger.info("Granted role %s to user %s", role.label, user_id)
    return _user_get_fresh(user_id)


def role_revoke(*, user_id: uuid.UUID, role: Role) -> User:
    """Removes the role and every role above it (an admin who loses `moderator` is no longer an admin)."""
    _user_get_fresh(user_id)
    repositories.user_remove_roles(user_id, roles_at_and_above(role))
    forget_cached_user(user_id)
    logger.info("Revoked role %s (and above) from user %s", role.label, user_id)
    return _user_get_fresh(user_id)


def permission_grant(*, user_id: uuid.UUID, permission: Permission) -> User:
    """Gives one user a permission their role does not carry (an admin's decision; see moderation.roles)."""
    _user_get_fresh(user_id)
    repositories.user_add_permission(user_id, permission)
    forget_cached_user(user_id)
    logger.info("Granted permission %s to user %s", permission.value, user_id)
    return _user_get_fresh(user_id)


def permission_revoke(*, user_id: uuid.UUID, permission: Permission) -> User:
    """Takes back a granted permission (what the user's role carries stays)."""
    _user_get_fresh(user_id)
    repositories.user_remove_permission(user_id, permission)
    forget_cached_user(user_id)
    logger.info("Revoked permission %s from user %s", permission.value, user_id)
    return _user_get_fresh(user_id)


def user_set_last_login(*, user: User) -> User:
    when = datetime.now(UTC)
    repositories.user_set_last_login(user.user_id, when)
    forget_cached_user(user.user_id)
    return replace(user, last_login_at=when)


def is_active(user: User) -> bool:
    return user.account_status == AccountStatus.ACTIVE
