"""Test helpers every app may use: users made through the real services, API headers, signed-in clients."""

from __future__ import annotations

import itertools
import uuid
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.test import Client

from accounts import services
from accounts.auth import issue_token, sign_in
from accounts.domain import Role, User

# Strong enough for Django's validators; tests sign in with it.
TEST_PASSWORD = "Correct-Horse-Battery-42"
_sequence = itertools.count(1)


def unique_email(stem: str = "user") -> str:
    return f"{stem}-{next(_sequence)}-{uuid.uuid4().hex[:8]}@example.com"


def make_user(role: Role = Role.CREATOR, **fields: Any) -> User:
    """A registered user holding exactly `role` (and the roles below it).

    `fields` may set email, password, first_name, last_name.
    """
    user = services.user_register(
        email=fields.get("email") or unique_email(role.label),
        password=fields.get("password", TEST_PASSWORD),
        first_name=fields.get("first_name", "Test"),
        last_name=fields.get("last_name", role.label.capitalize()),
    )
    if role > Role.CREATOR:
        return services.role_grant(user_id=user.user_id, role=role)
    if role < Role.CREATOR:
        return services.role_revoke(user_id=user.user_id, role=Role.CREATOR)
    return user


def api_headers(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def signed_in_client(client: Client, user: User) -> Client:
    """Puts a real session (made by accounts.auth.sign_in) into the test client's cookies."""
    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore()
    sign_in(request, user)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


def browser_sign_in(page: Any, email: str, password: str = TEST_PASSWORD) -> None:
    """Signs a Playwright page in through the real sign-in form."""
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)
