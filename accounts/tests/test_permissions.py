"""Role and ownership checks on an Actor (pure: users are plain values here)."""

from __future__ import annotations

import uuid

import pytest

from accounts import permissions
from accounts.domain import AnonymousUser, Permission, Role, User, roles_with_implied
from killrvideo.errors import AuthenticationRequired, PermissionDenied


def _user(role: Role) -> User:
    return User(
        user_id=uuid.uuid4(),
        email=f"{role.label}@example.com",
        first_name="T",
        last_name="U",
        roles=roles_with_implied(role),
    )


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        (Role.VIEWER, Role.CREATOR, False),
        (Role.CREATOR, Role.CREATOR, True),
        (Role.CREATOR, Role.MODERATOR, False),
        (Role.MODERATOR, Role.MODERATOR, True),
        (Role.ADMIN, Role.MODERATOR, True),
    ],
)
def test_require_role(role: Role, needed: Role, allowed: bool) -> None:
    user = _user(role)
    if allowed:
        assert permissions.require_role(user, needed) is user
    else:
        with pytest.raises(PermissionDenied):
            permissions.require_role(user, needed)


def test_require_perm_and_anonymous() -> None:
    with pytest.raises(AuthenticationRequired):
        permissions.require_role(AnonymousUser(), Role.VIEWER)
    with pytest.raises(AuthenticationRequired):
        permissions.require_perm(AnonymousUser(), Permission.UNMASK)
    with pytest.raises(PermissionDenied):
        permissions.require_perm(_user(Role.MODERATOR), Permission.UNMASK)
    admin = _user(Role.ADMIN)
    assert permissions.require_perm(admin, Permission.UNMASK) is admin


def test_owner_or_moderator_and_private_profiles() -> None:
    owner, stranger, moderator = _user(Role.CREATOR), _user(Role.CREATOR), _user(Role.MODERATOR)
    for check in (permissions.is_owner_or_moderator, permissions.sees_private_profile):
        assert check(owner, owner.user_id)
        assert check(moderator, owner.user_id)
        assert not check(stranger, owner.user_id)
        assert not check(AnonymousUser(), owner.user_id)
    assert permissions.require_owner_or_moderator(owner, owner.user_id, what="video") is owner
    with pytest.raises(PermissionDenied, match="video's owner or a moderator"):
        permissions.require_owner_or_moderator(stranger, owner.user_id, what="video")
    with pytest.raises(AuthenticationRequired, match="Sign in to manage this video"):
        permissions.require_owner_or_moderator(AnonymousUser(), owner.user_id, what="video")
