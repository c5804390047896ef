"""Shared parsing for grant_role / revoke_role."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from accounts import services
from accounts.domain import Role, User
from killrvideo.errors import NotFound


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("email", help="The user's email address (any case).")
    parser.add_argument("role", help="viewer, creator, moderator or admin.")


def user_and_role(email: str, role_name: str) -> tuple[User, Role]:
    try:
        role = Role.parse(role_name)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    try:
        user = services.user_get_by_email(email=email)
    except NotFound:
        raise CommandError(f"No user with email {email!r}.") from None
    return user, role
