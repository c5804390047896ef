"""Accounts use cases. Import from here: `from accounts import services; services.user_get(user_id=...)`."""

from __future__ import annotations

from accounts.services.authentication import INVALID_CREDENTIALS_MESSAGE, locked_message, user_authenticate
from accounts.services.importing import user_import
from accounts.services.search import users_search
from accounts.services.users import (
    EMAIL_TAKEN_MESSAGE,
    Profile,
    display_names,
    is_active,
    permission_grant,
    permission_revoke,
    role_grant,
    role_revoke,
    user_change_password,
    user_get,
    user_get_by_email,
    user_profile,
    user_register,
    user_set_last_login,
    user_update_profile,
    users_get_many,
)

__all__ = [
    "EMAIL_TAKEN_MESSAGE",
    "INVALID_CREDENTIALS_MESSAGE",
    "Profile",
    "display_names",
    "is_active",
    "locked_message",
    "permission_grant",
    "permission_revoke",
    "role_grant",
    "role_revoke",
    "user_authenticate",
    "user_change_password",
    "user_get",
    "user_get_by_email",
    "user_import",
    "user_profile",
    "user_register",
    "user_set_last_login",
    "user_update_profile",
    "users_get_many",
    "users_search",
]
