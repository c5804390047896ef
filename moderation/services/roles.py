"""Role management by moderators: find users (accounts' prefix search), assign or revoke `moderator`;
admins also grant or revoke single permissions (`unmask`) to other users.

Nobody changes their own roles or permissions, and only an admin changes an admin's (revoking `moderator`
takes `admin` with it). Each change runs under a per-user lock, so two moderators acting at once are
audited once.
"""

from __future__ import annotations

import uuid
from typing import Any

from accounts import permissions
from accounts import services as accounts_services
from accounts.domain import Permission, Role, User
from accounts.permissions import Actor
from killrvideo import redis
from killrvideo.errors import Conflict, PermissionDenied
from moderation.domain import AuditAction
from moderation.services.audit import audit_record

SEARCH_LIMIT = 20


def moderation_users_search(*, actor: Actor, query: str) -> list[User]:
    permissions.require_role(actor, Role.MODERATOR, message="Only moderators can search users.")
    return accounts_services.users_search(query=query, limit=SEARCH_LIMIT)


def _target(actor: Actor, user_id: uuid.UUID) -> tuple[User, User]:
    moderator = permissions.require_role(actor, Role.MODERATOR, message="Only moderators can change roles.")
    if moderator.user_id == user_id:
        raise PermissionDenied("You cannot change your own roles.", code="OWN_ROLES")
    target = accounts_services.user_get(user_id=user_id)
    if target.has_role(Role.ADMIN) and not moderator.has_role(Role.ADMIN):
        raise PermissionDenied("Only an admin can change an admin's roles.", code="FORBIDDEN")
    return moderator, target


def moderator_assign(*, actor: Actor, user_id: uuid.UUID) -> User:
    moderator, target = _target(actor, user_id)
    with redis.lock(f"roles:{user_id}"):
        target = accounts_services.user_get(user_id=user_id)
        if target.has_role(Role.MODERATOR):
            return target
        updated = accounts_services.role_grant(user_id=user_id, role=Role.MODERATOR)
        _audit(moderator, AuditAction.ASSIGN_MODERATOR, target, updated)
    return updated


def moderator_revoke(*, actor: Actor, user_id: uuid.UUID) -> User:
    moderator, target = _target(actor, user_id)
    with redis.lock(f"roles:{user_id}"):
        target = accounts_services.user_get(user_id=user_id)
        if not target.has_role(Role.MODERATOR):
            return target
        updated = accounts_services.role_revoke(user_id=user_id, role=Role.MODERATOR)
        for granted in target.permissions:  # a grant goes with the role it was given for
            updated = accounts_services.permission_revoke(user_id=user_id, permission=granted)
        _audit(moderator, AuditAction.REVOKE_MODERATOR, target, updated)
    return updated


def permission_grant(*, actor: Actor, user_id: uuid.UUID, permission: Permission) -> User:
    admin, target = _permission_target(actor, user_id)
    with redis.lock(f"roles:{user_id}"):
        target = accounts_services.user_get(user_id=user_id)
        if permission in target.permissions:
            return target
        if not target.has_role(Role.MODERATOR):
            raise Conflict(
                "Only moderators can be allowed to unmask reports: make them a moderator first.", code="NOT_A_MODERATOR"
            )
        updated = accounts_services.permission_grant(user_id=user_id, permission=permission)
        _audit(admin, AuditAction.GRANT_PERMISSION, target, updated, permission=permission)
    return updated


def permission_revoke(*, actor: Actor, user_id: uuid.UUID, permission: Permission) -> User:
    """Takes back a grant; an admin's own `unmask` comes with the role and goes only with it."""
    admin, target = _permission_target(actor, user_id)
    with redis.lock(f"roles:{user_id}"):
        target = accounts_services.user_get(user_id=user_id)
        if permission not in target.permissions:
            return target
        updated = accounts_services.permission_revoke(user_id=user_id, permission=permission)
        _audit(admin, AuditAction.REVOKE_PERMISSION, target, updated, permission=permission)
    return updated


def _permission_target(actor: Actor, user_id: uuid.UUID) -> tuple[User, User]:
    admin = permissions.require_role(actor, Role.ADMIN, message="Only admins can grant or revoke permissions.")
    if admin.user_id == user_id:
        raise PermissionDenied("You cannot change your own permissions.", code="OWN_ROLES")
    return admin, accounts_services.user_get(user_id=user_id)


def _audit(
    moderator: User, action: AuditAction, before: User, after: User, *, permission: Permission | None = None
) -> None:
    details: dict[str, Any]
    if permission is None:
        details = {"from": before.role_labels, "to": after.role_labels}
    else:
        details = {"permission": permission.value, "from": before.permission_labels, "to": after.permission_labels}
    audit_record(
        actor_id=moderator.user_id,
        action=action,
        content_type="user",
        content_id=after.user_id,
        details=details,
    )
