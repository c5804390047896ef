"""Accounts tables, one per query (Cassandra style)."""

from __future__ import annotations

from killrvideo.schema import TableSpec, set_of

USERS = TableSpec(
    name="users",
    columns={
        "user_id": "uuid",
        "email": "text",
        "first_name": "text",
        "last_name": "text",
        "roles": set_of("text"),
        "account_status": "text",
        "created_at": "timestamp",
        "last_login_at": "timestamp",
        "session_version": "int",
        "permissions": set_of("text"),
    },
    partition_by=("user_id",),
    serves="user by id (per-request session/JWT load) and many users by id with $in (names in lists)",
)

USER_CREDENTIALS = TableSpec(
    name="user_credentials",
    columns={"email": "text", "user_id": "uuid", "password_hash": "text", "created_at": "timestamp"},
    partition_by=("email",),
    serves="credentials by normalised email (sign-in, duplicate-email check)",
)

USERS_BY_NAME_PREFIX = TableSpec(
    name="users_by_name_prefix",
    columns={"prefix": "text", "token": "text", "user_id": "uuid"},
    partition_by=("prefix",),
    partition_sort={"token": 1, "user_id": 1},
    serves=(
        "moderator user search: users whose email, first or last name starts with the query "
        "(partition = first 2 normalised characters, clustering range on the full token)"
    ),
)

TABLES = [USERS, USER_CREDENTIALS, USERS_BY_NAME_PREFIX]
