"""Account pages: POST-redirect-GET, inline errors with 422, sessions, next handling, role gates."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from accounts import services
from accounts.auth import get_session_user, login_required_page, role_required_page
from accounts.domain import AnonymousUser, Role
from accounts.tests.factories import TEST_PASSWORD, api_headers, make_user, signed_in_client, unique_email
from killrvideo.errors import NotFound

# Everything here reads or writes users: every test gets a clean store.
pytestmark = pytest.mark.usefixtures("store")


def _register_form(**overrides: str) -> dict[str, str]:
    form = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": unique_email("page"),
        "password": TEST_PASSWORD,
        "password_confirm": TEST_PASSWORD,
    }
    return {**form, **overrides}


def _session_user_id(client: Client) -> str | None:
    request = HttpRequest()
    request.session = client.session
    user = get_session_user(request)
    return str(user.user_id) if user.is_authenticated else None


def test_register_page_get_and_success_signs_in(client: Client) -> None:
    assert client.get("/register").status_code == HTTPStatus.OK
    form = _register_form(next="/profile")
    response = client.post("/register", form)
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == "/profile"
    user = services.user_get_by_email(email=form["email"])
    assert _session_user_id(client) == str(user.user_id)
    page = client.get("/profile")
    assert "Welcome to KillrVideo, Ada!" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "password123", "password_confirm": "password123"}, "This password is too common."),
        ({"password_confirm": "something-else-entirely"}, "The two passwords do not match."),
        ({"email": "nope"}, "Enter a valid email address."),
        ({"first_name": "  "}, "This field is required."),
    ],
)
def test_register_page_inline_errors_write_nothing(client: Client, overrides: dict[str, str], message: str) -> None:
    form = _register_form(**overrides)
    response = client.post("/register", form)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert message in response.content.decode()
    assert _session_user_id(client) is None
    if "@" in form["email"]:
        with pytest.raises(NotFound):
            services.user_get_by_email(email=form["email"])


def test_register_page_duplicate_email(client: Client) -> None:
    user = make_user()
    response = client.post("/register", _register_form(email=user.email.upper()))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert services.EMAIL_TAKEN_MESSAGE in response.content.decode()


def test_register_page_rate_limit(client: Client, settings: object) -> None:
    settings.REGISTER_RATE_LIMIT = 1  # type: ignore[attr-defined]
    assert client.post("/register", _register_form()).status_code == HTTPStatus.SEE_OTHER
    response = Client().post("/register", _register_form())
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many requests" in response.content.decode()
    assert int(response["Retry-After"]) >= 1


def test_signin_page_success_rotates_session_and_follows_safe_next(client: Client) -> None:
    user = make_user()
    client.get("/signin")
    response = client.post("/signin", {"email": user.email, "password": TEST_PASSWORD, "next": "/profile"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == "/profile"
    assert _session_user_id(client) == str(user.user_id)


@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com", "javascript:alert(1)"])
def test_signin_page_ignores_unsafe_next(client: Client, next_url: str) -> None:
    user = make_user()
    response = client.post("/signin", {"email": user.email, "password": TEST_PASSWORD, "next": next_url})
    assert response["Location"] == "/"


def test_signin_page_wrong_password_and_lockout(client: Client, settings: object) -> None:
    settings.SIGNIN_RATE_LIMIT = 1000  # type: ignore[attr-defined]
    user = make_user()
    response = client.post("/signin", {"email": user.email, "password": "wrong-password"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert services.INVALID_CREDENTIALS_MESSAGE in response.content.decode()
    for _ in range(4):
        response = client.post("/signin", {"email": user.email, "password": "wrong-password"})
    assert "locked for 15 minutes" in response.content.decode()
    response = client.post("/signin", {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert _session_user_id(client) is None


def test_signin_page_empty_form(client: Client) -> None:
    response = client.post("/signin", {})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "This field is required." in response.content.decode()


def test_signin_page_rate_limit(client: Client, settings: object) -> None:
    settings.SIGNIN_RATE_LIMIT = 2  # type: ignore[attr-defined]
    for _ in range(2):
        client.post("/signin", {"email": "a@example.com", "password": "x"})
    response = client.post("/signin", {"email": "a@example.com", "password": "x"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Retry-After" in response


def test_signout_is_post_only_and_ends_the_session(client: Client) -> None:
    user = make_user()
    signed_in_client(client, user)
    assert client.get("/signout").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post("/signout")
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert _session_user_id(client) is None
    assert "You are signed out." in client.get("/").content.decode()


@pytest.mark.parametrize("path", ["/profile", "/profile/password"])
def test_profile_pages_redirect_anonymous_to_signin(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/signin?next=%2F{path[1:].replace('/', '%2F')}"
    assert client.post(path, {"first_name": "X", "last_name": "Y"}).status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("role", list(Role))
def test_profile_edit_for_each_role(client: Client, role: Role) -> None:
    user = make_user(role=role, first_name="Old")
    signed_in_client(client, user)
    page = client.get("/profile")
    assert page.status_code == HTTPStatus.OK
    assert user.email in page.content.decode()
    response = client.post("/profile", {"first_name": "New", "last_name": "Name", "email": "x@example.com"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    stored = services.user_get(user_id=user.user_id)
    assert (stored.first_name, stored.last_name, stored.email) == ("New", "Name", user.email)
    assert "Your profile has been saved." in client.get("/profile").content.decode()


def test_profile_edit_bad_input_is_422_and_writes_nothing(client: Client) -> None:
    user = make_user(first_name="Old")
    signed_in_client(client, user)
    response = client.post("/profile", {"first_name": "", "last_name": "x" * 101})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "This field is required." in response.content.decode()
    assert services.user_get(user_id=user.user_id).first_name == "Old"


def test_password_change(client: Client) -> None:
    user = make_user()
    signed_in_client(client, user)
    old_session = client.session.session_key
    wrong = client.post(
        "/profile/password",
        {
            "current_password": "nope",
            "new_password": "A-new-Passphrase-9",
            "new_password_confirm": "A-new-Passphrase-9",
        },
    )
    assert wrong.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Your current password is not correct." in wrong.content.decode()
    weak = client.post(
        "/profile/password",
        {"current_password": TEST_PASSWORD, "new_password": "12345678", "new_password_confirm": "12345678"},
    )
    assert weak.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    body = {
        "current_password": TEST_PASSWORD,
        "new_password": "A-new-Passphrase-9",
        "new_password_confirm": "A-new-Passphrase-9",
    }
    other_browser = signed_in_client(Client(), user)
    old_token = api_headers(user)
    assert client.post("/profile/password", body).status_code == HTTPStatus.SEE_OTHER
    assert client.session.session_key != old_session
    assert client.get("/profile").status_code == HTTPStatus.OK  # this session continues
    assert other_browser.get("/profile").status_code == HTTPStatus.FOUND  # others are signed out
    revoked = client.get("/api/v1/users/me", **old_token)
    assert (revoked.status_code, revoked.json()["code"]) == (HTTPStatus.UNAUTHORIZED, "TOKEN_REVOKED")
    assert (
        services.user_authenticate(email=user.email, password="A-new-Passphrase-9", ip="10.1.1.1").user_id
        == user.user_id
    )


@pytest.mark.parametrize("viewer_role", [None, Role.VIEWER, Role.CREATOR, "self", Role.MODERATOR, Role.ADMIN])
def test_user_detail_page(client: Client, viewer_role: Role | str | None) -> None:
    target = make_user(first_name="Katherine", last_name="Johnson")
    if viewer_role == "self":
        signed_in_client(client, target)
    elif viewer_role is not None:
        signed_in_client(client, make_user(role=viewer_role))
    response = client.get(f"/users/{target.user_id}")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Katherine Johnson" in html
    assert "Member since" in html
    sees_email = viewer_role in ("self", Role.MODERATOR, Role.ADMIN)
    assert (target.email in html) is sees_email


def test_user_detail_unknown_user_is_404_and_name_is_escaped(client: Client) -> None:
    assert client.get("/users/4b0e6a56-2f8b-4a44-9a55-0d6c2b2a1f00").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/users/not-a-uuid").status_code == HTTPStatus.NOT_FOUND
    user = make_user(first_name="<script>x</script>")
    html = client.get(f"/users/{user.user_id}").content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_page_decorators(rf: RequestFactory) -> None:
    @role_required_page(Role.MODERATOR)
    def moderators_only(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    @login_required_page
    def members_only(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = rf.get("/moderation?x=1")
    request.user = AnonymousUser()
    assert moderators_only(request)["Location"] == "/signin?next=%2Fmoderation%3Fx%3D1"
    request.user = make_user(role=Role.CREATOR)
    assert moderators_only(request).status_code == HTTPStatus.FORBIDDEN
    assert members_only(request).status_code == HTTPStatus.OK
    request.user = make_user(role=Role.MODERATOR)
    assert moderators_only(request).status_code == HTTPStatus.OK


@pytest.mark.parametrize("role", [None, *Role])
def test_every_account_page_renders_for_anonymous_and_each_role(client: Client, role: Role | None) -> None:
    target = make_user()
    if role is not None:
        signed_in_client(client, make_user(role=role))
    signed_in = role is not None
    expected = {
        "/register": HTTPStatus.FOUND if signed_in else HTTPStatus.OK,  # signed in: on to ?next or home
        "/signin": HTTPStatus.FOUND if signed_in else HTTPStatus.OK,
        "/profile": HTTPStatus.OK if signed_in else HTTPStatus.FOUND,
        "/profile/password": HTTPStatus.OK if signed_in else HTTPStatus.FOUND,
        f"/users/{target.user_id}": HTTPStatus.OK,
    }
    for path, status in expected.items():
        assert client.get(path).status_code == status, path
    assert ("Sign out" in client.get("/signin", follow=True).content.decode()) is signed_in
