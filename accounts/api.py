"""Users endpoints of the contract: register, login, me, public profile."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from ninja import Router, Status

from accounts import services
from accounts.auth import JWTAuth, OptionalJWTAuth, Request, issue_token
from accounts.permissions import require_signed_in
from accounts.schemas import LoginIn, LoginOut, PublicUserOut, RegisterIn, RegisterOut, UserOut, UserUpdateIn
from killrvideo.errors import ValidationFailed
from killrvideo.ratelimit import client_ip
from killrvideo.schemas import ErrorOut

router = Router(tags=["users"])

# The services name fields in snake case; the contract's JSON uses these names.
CONTRACT_FIELDS = {"first_name": "firstName", "last_name": "lastName"}


@contextmanager
def contract_field_names() -> Iterator[None]:
    try:
        yield
    except ValidationFailed as exc:
        for error in exc.errors:
            error["field"] = CONTRACT_FIELDS.get(error.get("field", ""), error.get("field"))
        raise


@router.post(
    "/users/register",
    response={201: RegisterOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Create an account (a creator) and sign in",
)
def register_user(request: Request, payload: RegisterIn) -> Status[RegisterOut]:
    with contract_field_names():
        user = services.user_register(
            email=payload.email,
            password=payload.password,
            first_name=payload.firstName,
            last_name=payload.lastName,
            ip=client_ip(request),
        )
    body = RegisterOut(
        userId=user.user_id,
        firstName=user.first_name,
        lastName=user.last_name,
        email=user.email,
        token=issue_token(user),
        user=UserOut.of(user),
    )
    return Status(HTTPStatus.CREATED, body)


@router.post("/users/login", response={200: LoginOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def login_user(request: Request, payload: LoginIn) -> LoginOut:
    user = services.user_authenticate(email=payload.email, password=payload.password, ip=client_ip(request))
    return LoginOut(token=issue_token(user), user=UserOut.of(user))


@router.get("/users/me", auth=JWTAuth(), response={200: UserOut, 401: ErrorOut})
def get_current_user(request: Request) -> UserOut:
    return UserOut.of(require_signed_in(request.auth))  # JWTAuth let only a user through


@router.put("/users/me", auth=JWTAuth(), response={200: UserOut, 401: ErrorOut, 422: ErrorOut})
def update_current_user(request: Request, payload: UserUpdateIn) -> UserOut:
    with contract_field_names():
        user = services.user_update_profile(
            user_id=require_signed_in(request.auth).user_id, first_name=payload.firstName, last_name=payload.lastName
        )
    return UserOut.of(user)


@router.get(
    "/users/{user_id}",
    auth=OptionalJWTAuth(),
    response={200: UserOut | PublicUserOut, 401: ErrorOut, 404: ErrorOut},
    summary="A user's public profile (email and last login only for that user or a moderator)",
)
def get_user(request: Request, user_id: uuid.UUID) -> UserOut | PublicUserOut:
    profile = services.user_profile(actor=request.auth, user_id=user_id)
    return UserOut.of(profile.user) if profile.private else PublicUserOut.of(profile.user)
