"""Idempotent upsert of users from the public dataset (used by the dataset importer)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.auth.hashers import identify_hasher, make_password

from accounts import repositories
from accounts.domain import AccountStatus, Credentials, Role, User, normalise_email, roles_with_implied
from accounts.services import validation
from accounts.services.users import forget_cached_user, search_tokens_of
from killrvideo.errors import Conflict, ValidationFailed


def _password_hash(password_hash: str | None, password: str | None) -> str:
    if password_hash:
        try:
            identify_hasher(password_hash)
        except ValueError:
            raise ValidationFailed.for_field("password_hash", "Not a Django password hash.") from None
        return password_hash
    if password:
        return make_password(password)
    raise ValidationFailed.for_field("password", "Give either password_hash or password.")


def user_import(
    *,
    user_id: uuid.UUID,
    email: str,
    first_name: str,
    last_name: str,
    created_at: datetime,
    password_hash: str | None = None,
    password: str | None = None,
    roles: frozenset[Role] | None = None,
    account_status: AccountStatus = AccountStatus.ACTIVE,
    last_login_at: datetime | None = None,
) -> User:
    """Create or overwrite the user with this id. Running it twice leaves the same rows."""
    normalised = normalise_email(email)
    names = validation.names(first_name=first_name, last_name=last_name)
    owner = repositories.credentials_get(normalised)
    if owner is not None and owner.user_id != user_id:
        raise Conflict(f"Email {normalised} belongs to another user.", code="EMAIL_TAKEN")
    hashed = _password_hash(password_hash, password)
    previous = repositories.user_get(user_id)
    user = User(
        user_id=user_id,
        email=normalised,
        first_name=names.first_name,
        last_name=names.last_name,
        roles=roles or (previous.roles if previous else roles_with_implied(Role.CREATOR)),
        account_status=account_status,
        created_at=created_at,
        last_login_at=last_login_at,
        session_version=previous.session_version if previous else 0,
    )
    repositories.user_save(user)
    repositories.credentials_save(Credentials(normalised, user_id, hashed), created_at=created_at)
    repositories.search_tokens_add(user_id, search_tokens_of(user))
    if previous is not None:
        repositories.search_tokens_remove(user_id, search_tokens_of(previous) - search_tokens_of(user))
        if previous.email != normalised:
            repositories.credentials_delete(previous.email)
    forget_cached_user(user_id)
    return user
