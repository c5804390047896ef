"""Astra rows <-> accounts domain objects. Every read names a full primary key or a clustering range."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from accounts.domain import (
    AccountStatus,
    Credentials,
    Permission,
    Role,
    User,
    search_prefix,
)
from killrvideo import astra
from killrvideo.astra import as_uuid, maybe_datetime

USERS = "users"
CREDENTIALS = "user_credentials"
NAME_PREFIX = "users_by_name_prefix"
# Above the highest code point in UTF-8 byte order: closes a "starts with" range on a text clustering column.
_RANGE_END = "\U0010ffff"


def _roles_from_row(values: Iterable[str] | None) -> frozenset[Role]:
    roles = set()
    for value in values or ():
        try:
            roles.add(Role.parse(str(value)))
        except ValueError:
            continue  # a role name this version does not know grants nothing
    return frozenset(roles)


def _permissions_from_row(values: Iterable[str] | None) -> frozenset[Permission]:
    held = set()
    for value in values or ():
        try:
            held.add(Permission.parse(str(value)))
        except ValueError:
            continue  # a permission this version does not know grants nothing
    return frozenset(held)


def _user_from_row(row: dict[str, Any]) -> User:
    return User(
        user_id=as_uuid(row["user_id"]),
        email=row.get("email") or "",
        first_name=row.get("first_name") or "",
        last_name=row.get("last_name") or "",
        roles=_roles_from_row(row.get("roles")),
        account_status=AccountStatus(row.get("account_status") or AccountStatus.ACTIVE),
        created_at=maybe_datetime(row.get("created_at")),
        last_login_at=maybe_datetime(row.get("last_login_at")),
        session_version=int(row.get("session_version") or 0),
        permissions=_permissions_from_row(row.get("permissions")),
    )


def _user_to_row(user: User) -> dict[str, Any]:
    return {
        "user_id": user.user_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "roles": {role.label for role in user.roles},
        "account_status": str(user.account_status),
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
        "session_version": user.session_version,
        "permissions": {permission.value for permission in user.permissions},
    }


# --- users -------------------------------------------------------------------------------------------------


def user_save(user: User) -> None:
    """Insert or overwrite the whole row (Data API inserts are upserts)."""
    astra.get_table(USERS).insert_one(_user_to_row(user))


def user_get(user_id: uuid.UUID) -> User | None:
    row = astra.get_table(USERS).find_one({"user_id": user_id})
    return _user_from_row(row) if row else None


def users_get_many(user_ids: Iterable[uuid.UUID]) -> list[User]:
    table = astra.get_table(USERS)
    return [
        _user_from_row(row)
        for keys in astra.keys_in_chunks(user_ids)
        for row in table.find({"user_id": keys}, limit=len(keys["$in"]))
    ]


def user_set_names(user_id: uuid.UUID, *, first_name: str, last_name: str) -> None:
    astra.get_table(USERS).update_one(
        {"user_id": user_id}, {"$set": {"first_name": first_name, "last_name": last_name}}
    )


def user_set_last_login(user_id: uuid.UUID, when: datetime) -> None:
    astra.get_table(USERS).update_one({"user_id": user_id}, {"$set": {"last_login_at": when}})


def user_set_session_version(user_id: uuid.UUID, version: int) -> None:
    astra.get_table(USERS).update_one({"user_id": user_id}, {"$set": {"session_version": version}})


def user_add_roles(user_id: uuid.UUID, roles: Iterable[Role]) -> None:
    # $push on a set adds elements server-side: concurrent grants never overwrite each other.
    labels = sorted(role.label for role in roles)
    astra.get_table(USERS).update_one({"user_id": user_id}, {"$push": {"roles": {"$each": labels}}})


def user_remove_roles(user_id: uuid.UUID, roles: Iterable[Role]) -> None:
    labels = sorted(role.label for role in roles)
    astra.get_table(USERS).update_one({"user_id": user_id}, {"$pullAll": {"roles": labels}})


def user_add_permission(user_id: uuid.UUID, permission: Permission) -> None:
    astra.get_table(USERS).update_one({"user_id": user_id}, {"$push": {"permissions": permission.value}})


def user_remove_permission(user_id: uuid.UUID, permission: Permission) -> None:
    astra.get_table(USERS).update_one({"user_id": user_id}, {"$pullAll": {"permissions": [permission.value]}})


# --- credentials -------------------------------------------------------------------------------------------


def credentials_get(email: str) -> Credentials | None:
    row = astra.get_table(CREDENTIALS).find_one({"email": email})
    if not row:
        return None
    return Credentials(email=row["email"], user_id=as_uuid(row["user_id"]), password_hash=row["password_hash"])


def credentials_save(credentials: Credentials, *, created_at: datetime) -> None:
    astra.get_table(CREDENTIALS).insert_one(
        {
            "email": credentials.email,
            "user_id": credentials.user_id,
            "password_hash": credentials.password_hash,
            "created_at": created_at,
        }
    )


def credentials_set_password(email: str, password_hash: str) -> None:
    astra.get_table(CREDENTIALS).update_one({"email": email}, {"$set": {"password_hash": password_hash}})


# --- user search index -------------------------------------------------------------------------------------


def search_tokens_add(user_id: uuid.UUID, tokens: Iterable[str]) -> None:
    rows = [{"prefix": search_prefix(token), "token": token, "user_id": user_id} for token in tokens]
    if rows:
        astra.get_table(NAME_PREFIX).insert_many(rows)


def search_tokens_remove(user_id: uuid.UUID, tokens: Iterable[str]) -> None:
    table = astra.get_table(NAME_PREFIX)
    for token in tokens:
        table.delete_one({"prefix": search_prefix(token), "token": token, "user_id": user_id})


def search_user_ids(token_prefix: str, *, limit: int) -> list[uuid.UUID]:
    """User ids whose token starts with `token_prefix` (at least SEARCH_PREFIX_LENGTH characters), token order."""
    rows = astra.get_table(NAME_PREFIX).find(
        {
            "prefix": search_prefix(token_prefix),
            "token": {"$gte": token_prefix, "$lt": token_prefix + _RANGE_END},
        },
        limit=limit,
    )
    return [as_uuid(row["user_id"]) for row in rows]


def credentials_delete(email: str) -> None:
    astra.get_table(CREDENTIALS).delete_one({"email": email})
