"""Users and roles. Frozen dataclasses, no I/O."""

from __future__ import annotations

import enum
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime


class Role(enum.IntEnum):
    """Ordered: each role includes the ones before it."""

    VIEWER = 1
    CREATOR = 2
    MODERATOR = 3
    ADMIN = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"Unknown role {value!r}; use one of viewer, creator, moderator, admin.") from None


class Permission(enum.StrEnum):
    UNMASK = "unmask"

    @classmethod
    def parse(cls, value: str) -> Permission:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(f"Unknown permission {value!r}; use one of {', '.join(cls)}.") from None


# Permissions every holder of a role (and of every role above it) has; admins grant them to others one by one.
ROLE_PERMISSIONS: dict[Permission, Role] = {Permission.UNMASK: Role.ADMIN}


class AccountStatus(enum.StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class User:
    user_id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.VIEWER, Role.CREATOR}))
    account_status: AccountStatus = AccountStatus.ACTIVE
    created_at: datetime | None = None
    last_login_at: datetime | None = None
    # Bumped when the password changes: sessions and tokens made before it stop working.
    session_version: int = 0
    # Granted to this user by an admin, on top of what their role gives (see ROLE_PERMISSIONS).
    permissions: frozenset[Permission] = frozenset()

    is_authenticated = True
    is_anonymous = False

    @property
    def top_role(self) -> Role:
        return max(self.roles, default=Role.VIEWER)

    @property
    def display_name(self) -> str:
        return display_name(self.first_name, self.last_name)

    def has_role(self, role: Role) -> bool:
        return self.top_role >= role

    def has_perm(self, permission: Permission) -> bool:
        return permission in self.permissions or self.has_perm_by_role(permission)

    def has_perm_by_role(self, permission: Permission) -> bool:
        return self.has_role(ROLE_PERMISSIONS[permission])

    @property
    def permission_labels(self) -> list[str]:
        """Every permission held, granted or by role, in a stable order."""
        return [permission.value for permission in Permission if self.has_perm(permission)]

    @property
    def role_labels(self) -> list[str]:
        """Every role held, lowest first, including the ones the top role implies."""
        return [role.label for role in Role if role <= self.top_role]


class AnonymousUser:
    user_id = None
    is_authenticated = False
    is_anonymous = True
    roles: frozenset[Role] = frozenset()
    role_labels: list[str] = []
    permissions: frozenset[Permission] = frozenset()
    permission_labels: list[str] = []

    def has_role(self, role: Role) -> bool:
        return False

    def has_perm(self, permission: Permission) -> bool:
        return False


# --- Pure helpers for emails, passwords and the user-search index (no I/O) ---------------------------------

# Short enough that a one-word search of this length always hits one partition; long enough to spread users.
SEARCH_PREFIX_LENGTH = 2
NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254


def display_name(first_name: str, last_name: str) -> str:
    """How a user is named on the site: their names, or a neutral placeholder when both are blank."""
    return f"{first_name} {last_name}".strip() or "KillrVideo user"


def normalise_email(value: str) -> str:
    """Emails are compared case-insensitively with surrounding whitespace ignored."""
    return (value or "").strip().lower()


def search_token(value: str) -> str:
    """Case- and accent-insensitive form of a word, so "Élodie" is found by "elo"."""
    decomposed = unicodedata.normalize("NFKD", (value or "").strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_tokens_for(*, email: str, first_name: str, last_name: str) -> frozenset[str]:
    """Every token a moderator may search a user by: the whole email and each word of the names."""
    words = f"{first_name} {last_name}".split()
    tokens = {search_token(word) for word in words} | {normalise_email(email)}
    return frozenset(token for token in tokens if len(token) >= SEARCH_PREFIX_LENGTH)


def search_prefix(token: str) -> str:
    return token[:SEARCH_PREFIX_LENGTH]


def roles_with_implied(role: Role) -> frozenset[Role]:
    """A granted role is stored together with every role below it: roles are stored, not inferred."""
    return frozenset(r for r in Role if r <= role)


def roles_at_and_above(role: Role) -> frozenset[Role]:
    return frozenset(r for r in Role if r >= role)


@dataclass(frozen=True)
class Credentials:
    email: str  # normalised
    user_id: uuid.UUID
    password_hash: str
