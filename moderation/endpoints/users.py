"""Moderator user search and the moderator role: /moderation/users..."""

from __future__ import annotations

import uuid

from ninja import Query, Router

from accounts.auth import JWTAuth, Request
from accounts.domain import Permission
from accounts.schemas import UserOut
from killrvideo.schemas import ErrorOut
from moderation import services
from moderation.schemas import UsersQuery

router = Router(tags=["moderation"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@router.get("/moderation/users", auth=JWTAuth(), response={200: list[UserOut], **ERRORS})
def search_users(request: Request, query: Query[UsersQuery]) -> list[UserOut]:
    return [UserOut.of(user) for user in services.moderation_users_search(actor=request.auth, query=query.q)]


@router.post(
    "/moderation/users/{user_id}/assign-moderator", auth=JWTAuth(), response={200: UserOut, **ERRORS, 404: ErrorOut}
)
def assign_moderator(request: Request, user_id: uuid.UUID) -> UserOut:
    return UserOut.of(services.moderator_assign(actor=request.auth, user_id=user_id))


@router.post(
    "/moderation/users/{user_id}/revoke-moderator", auth=JWTAuth(), response={200: UserOut, **ERRORS, 404: ErrorOut}
)
def revoke_moderator(request: Request, user_id: uuid.UUID) -> UserOut:
    return UserOut.of(services.moderator_revoke(actor=request.auth, user_id=user_id))


@router.post(
    "/moderation/users/{user_id}/grant-unmask",
    auth=JWTAuth(),
    response={200: UserOut, **ERRORS, 404: ErrorOut, 409: ErrorOut},
)
def grant_unmask(request: Request, user_id: uuid.UUID) -> UserOut:
    """Beyond the contract: an admin lets one user unmask report texts; audited."""
    return UserOut.of(services.permission_grant(actor=request.auth, user_id=user_id, permission=Permission.UNMASK))


@router.post(
    "/moderation/users/{user_id}/revoke-unmask", auth=JWTAuth(), response={200: UserOut, **ERRORS, 404: ErrorOut}
)
def revoke_unmask(request: Request, user_id: uuid.UUID) -> UserOut:
    """Beyond the contract: an admin takes a granted `unmask` back (an admin's own comes with the role); audited."""
    return UserOut.of(services.permission_revoke(actor=request.auth, user_id=user_id, permission=Permission.UNMASK))
