"""Who may do what: role and ownership checks for every app's services (no HTTP here).

Services take an `Actor` (the signed-in `User` or the `AnonymousUser`) and call these; views and
endpoints only turn the errors into responses.
"""

from __future__ import annotations

import uuid
from typing import TypeGuard

from accounts.domain import AnonymousUser, Permission, Role, User
from killrvideo.errors import AuthenticationRequired, PermissionDenied

Actor = User | AnonymousUser


def is_signed_in(actor: Actor) -> TypeGuard[User]:
    return isinstance(actor, User)


def is_moderator(actor: Actor) -> bool:
    return is_signed_in(actor) and actor.has_role(Role.MODERATOR)


def is_owner_or_moderator(actor: Actor, owner_id: uuid.UUID) -> bool:
    return is_signed_in(actor) and (actor.user_id == owner_id or actor.has_role(Role.MODERATOR))


def sees_private_profile(actor: Actor, user_id: uuid.UUID) -> bool:
    """Email and last sign-in of a user: for that user and for moderators."""
    return is_owner_or_moderator(actor, user_id)


def require_signed_in(actor: Actor, message: str = "Sign in to do this.") -> User:
    if not is_signed_in(actor):
        raise AuthenticationRequired(message)
    return actor


def require_role(actor: Actor, role: Role, *, message: str | None = None, sign_in_message: str | None = None) -> User:
    user = require_signed_in(actor, sign_in_message or "Sign in to do this.")
    if not user.has_role(role):
        raise PermissionDenied(message or f"This needs the {role.label} role.", code="FORBIDDEN")
    return user


def require_perm(actor: Actor, permission: Permission) -> User:
    user = require_signed_in(actor)
    if not user.has_perm(permission):
        raise PermissionDenied(f"This needs the {permission.value} permission.", code="FORBIDDEN")
    return user


def require_owner_or_moderator(actor: Actor, owner_id: uuid.UUID, *, what: str) -> User:
    user = require_signed_in(actor, f"Sign in to manage this {what}.")
    if not is_owner_or_moderator(user, owner_id):
        raise PermissionDenied(f"Only the {what}'s owner or a moderator can do that.")
    return user
