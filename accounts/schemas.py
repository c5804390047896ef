"""JSON shapes of the users endpoints (field names exactly as in the contract)."""

from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Schema
from pydantic import Field

from accounts.domain import User
from killrvideo.schemas import InputSchema


# Only types and upper bounds here (they bound the work per request); the rules, with field-by-field
# messages, come from the accounts services so pages and API say the same thing.
class RegisterIn(InputSchema):
    firstName: str = Field(max_length=100)
    lastName: str = Field(max_length=100)
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class LoginIn(InputSchema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class UserUpdateIn(InputSchema):
    firstName: str | None = Field(default=None, max_length=100)
    lastName: str | None = Field(default=None, max_length=100)


class PublicUserOut(Schema):
    """A user as anyone may see them: no email, no last login."""

    userId: uuid.UUID
    firstName: str
    lastName: str
    roles: list[str]
    accountStatus: str
    createdDate: datetime | None

    @classmethod
    def of(cls, user: User) -> PublicUserOut:
        return cls(
            userId=user.user_id,
            firstName=user.first_name,
            lastName=user.last_name,
            roles=user.role_labels,
            accountStatus=str(user.account_status),
            createdDate=user.created_at,
        )


class UserOut(PublicUserOut):
    """The contract's User."""

    email: str
    lastLoginDate: datetime | None
    # Beyond the contract: what the user may do besides their roles (e.g. "unmask"), by grant or by role.
    permissions: list[str]

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            **PublicUserOut.of(user).model_dump(),
            email=user.email,
            lastLoginDate=user.last_login_at,
            permissions=user.permission_labels,
        )


class LoginOut(Schema):
    token: str
    user: UserOut


class RegisterOut(Schema):
    userId: uuid.UUID
    firstName: str
    lastName: str
    email: str
    token: str
    user: UserOut
