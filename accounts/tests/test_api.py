"""The users endpoints of the contract, for every kind of caller."""

from __future__ import annotations

import threading
import time
from http import HTTPStatus

import jwt
import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts import services
from accounts.domain import Role
from accounts.tests.factories import TEST_PASSWORD, api_headers, make_user, unique_email
from killrvideo.errors import NotFound

# Everything here reads or writes users: every test gets a clean store.
pytestmark = pytest.mark.usefixtures("store")

REGISTER = "/api/v1/users/register"
LOGIN = "/api/v1/users/login"
ME = "/api/v1/users/me"


def _register_body(**overrides: str) -> dict[str, str]:
    body = {"firstName": "Ada", "lastName": "Lovelace", "email": unique_email("ada"), "password": TEST_PASSWORD}
    return {**body, **overrides}


def _assert_nothing_written(email: str) -> None:
    with pytest.raises(NotFound):
        services.user_get_by_email(email=email)


def test_register_returns_token_and_creator_user() -> None:
    client = Client(enforce_csrf_checks=True)  # bearer-token API: no CSRF token needed
    body = _register_body(email="  Ada.Lovelace@Example.COM ")
    response = client.post(REGISTER, body, content_type="application/json")
    assert response.status_code == HTTPStatus.CREATED
    data = response.json()
    assert data["email"] == "ada.lovelace@example.com"
    assert data["user"]["roles"] == ["viewer", "creator"]
    assert data["user"]["userId"] == data["userId"]
    assert data["user"]["accountStatus"] == "active"
    assert data["user"]["createdDate"].endswith(("Z", "+00:00"))
    me = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {data['token']}")
    assert me.status_code == HTTPStatus.OK
    assert me.json()["email"] == "ada.lovelace@example.com"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),  # common
        ({"password": "83749201736"}, "password"),  # all digits
        ({"email": "not-an-email"}, "email"),
        ({"firstName": ""}, "firstName"),
        ({"firstName": "   "}, "firstName"),
        ({"lastName": "x" * 101}, "lastName"),
    ],
)
def test_register_rejects_bad_input_and_writes_nothing(client: Client, overrides: dict[str, str], field: str) -> None:
    body = _register_body(**overrides)
    response = client.post(REGISTER, body, content_type="application/json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    data = response.json()
    assert data["code"] == "VALIDATION_ERROR"
    assert any(error["field"] == field for error in data["errors"]), data
    if "@" in body["email"]:
        _assert_nothing_written(body["email"])


def test_register_rejects_missing_and_malformed_bodies(client: Client) -> None:
    cases = {"": 422, "[]": 422, '{"email": 5}': 422, "{": 400}  # 400: not JSON at all
    for raw, status in cases.items():
        response = client.post(REGISTER, raw, content_type="application/json")
        assert response.status_code == status, raw
        assert set(response.json()) >= {"detail", "code"}


def test_register_duplicate_email_is_409_whatever_the_case(client: Client) -> None:
    user = make_user()
    response = client.post(REGISTER, _register_body(email=user.email.upper()), content_type="application/json")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "EMAIL_TAKEN"
    assert services.user_get_by_email(email=user.email).user_id == user.user_id


def test_concurrent_registrations_of_one_email_create_one_user(settings: object) -> None:
    settings.REGISTER_RATE_LIMIT = 100  # type: ignore[attr-defined]
    email, threads_count = unique_email("race"), 8
    barrier = threading.Barrier(threads_count)
    statuses: list[int] = []

    def register() -> None:
        body = _register_body(email=email)
        barrier.wait()
        statuses.append(Client().post(REGISTER, body, content_type="application/json").status_code)

    threads = [threading.Thread(target=register) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [HTTPStatus.CREATED] + [HTTPStatus.CONFLICT] * (threads_count - 1)
    assert len(services.users_search(query=email, limit=20)) == 1


def test_register_rate_limit_per_ip_answers_429_with_retry_after(client: Client, settings: object) -> None:
    settings.REGISTER_RATE_LIMIT = 2  # type: ignore[attr-defined]
    for _ in range(2):
        assert client.post(REGISTER, _register_body(), content_type="application/json").status_code == 201
    body = _register_body()
    response = client.post(REGISTER, body, content_type="application/json")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.json()["code"] == "RATE_LIMITED"
    assert int(response["Retry-After"]) >= 1
    _assert_nothing_written(body["email"])
    other_ip = client.post(REGISTER, _register_body(), content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == HTTPStatus.CREATED


def test_login_returns_token_and_records_last_login(client: Client) -> None:
    user = make_user(role=Role.MODERATOR)
    response = client.post(
        LOGIN, {"email": f" {user.email.upper()} ", "password": TEST_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == HTTPStatus.OK
    data = response.json()
    assert data["user"]["roles"] == ["viewer", "creator", "moderator"]
    assert data["user"]["lastLoginDate"] is not None
    claims = jwt.decode(data["token"], django_settings.JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == str(user.user_id)
    assert claims["roles"] == ["viewer", "creator", "moderator"]
    assert claims["exp"] - claims["iat"] == django_settings.JWT_ACCESS_TTL_SECONDS


def test_login_wrong_password_and_unknown_email_look_the_same(client: Client) -> None:
    user = make_user()
    wrong = client.post(LOGIN, {"email": user.email, "password": "nope-nope-nope"}, content_type="application/json")
    unknown = client.post(LOGIN, {"email": "ghost@example.com", "password": "x"}, content_type="application/json")
    assert wrong.status_code == unknown.status_code == HTTPStatus.UNAUTHORIZED
    assert (
        wrong.json()
        == unknown.json()
        == {"detail": services.INVALID_CREDENTIALS_MESSAGE, "code": "INVALID_CREDENTIALS"}
    )


def _login(client: Client, email: str, password: str) -> dict[str, str]:
    return client.post(LOGIN, {"email": email, "password": password}, content_type="application/json").json()


def test_lockout_after_five_failures_then_expiry(client: Client, settings: object) -> None:
    settings.SIGNIN_RATE_LIMIT = 1000  # type: ignore[attr-defined]
    settings.LOGIN_LOCKOUT_SECONDS = 2  # type: ignore[attr-defined]
    user = make_user()
    codes = [_login(client, user.email, "wrong-password")["code"] for _ in range(5)]
    assert codes == ["INVALID_CREDENTIALS"] * 4 + ["ACCOUNT_LOCKED"]
    locked = client.post(LOGIN, {"email": user.email, "password": TEST_PASSWORD}, content_type="application/json")
    assert locked.status_code == HTTPStatus.UNAUTHORIZED
    assert locked.json()["code"] == "ACCOUNT_LOCKED"
    time.sleep(2.2)  # the lock is a Redis key with a TTL; wait for it to lapse
    assert _login(client, user.email, TEST_PASSWORD)["user"]["userId"] == str(user.user_id)


def test_lockout_applies_to_unknown_emails_with_the_same_message(client: Client, settings: object) -> None:
    settings.SIGNIN_RATE_LIMIT = 1000  # type: ignore[attr-defined]
    user = make_user()
    for email in (user.email, "nobody@example.com"):
        bodies = [_login(client, email, "wrong-password") for _ in range(6)]
        assert [body["code"] for body in bodies[-2:]] == ["ACCOUNT_LOCKED", "ACCOUNT_LOCKED"]
    assert _login(client, user.email, "x")["detail"] == _login(client, "nobody@example.com", "x")["detail"]


def test_successful_login_resets_the_failure_count(client: Client, settings: object) -> None:
    settings.SIGNIN_RATE_LIMIT = 1000  # type: ignore[attr-defined]
    user = make_user()
    for _ in range(4):
        _login(client, user.email, "wrong-password")
    assert "token" in _login(client, user.email, TEST_PASSWORD)
    assert [_login(client, user.email, "wrong")["code"] for _ in range(4)] == ["INVALID_CREDENTIALS"] * 4


def test_login_rate_limit_per_ip(client: Client, settings: object) -> None:
    settings.SIGNIN_RATE_LIMIT = 3  # type: ignore[attr-defined]
    user = make_user()
    for _ in range(3):
        _login(client, "someone@example.com", "bad")
    response = client.post(LOGIN, {"email": user.email, "password": TEST_PASSWORD}, content_type="application/json")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response["Retry-After"]) >= 1
    assert services.user_get(user_id=user.user_id).last_login_at is None


def test_login_bad_body_is_422(client: Client) -> None:
    response = client.post(LOGIN, {"email": "a@b.c"}, content_type="application/json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "VALIDATION_ERROR"


# --- tokens -------------------------------------------------------------------------------------------------


def _token(user_id: str, **claims: object) -> str:
    now = int(time.time())
    body = {"sub": user_id, "roles": ["viewer"], "iat": now, "exp": now + 60, **claims}
    return jwt.encode(body, django_settings.JWT_SECRET, algorithm="HS256")


def test_me_requires_a_valid_token(client: Client) -> None:
    user = make_user()
    good = api_headers(user)["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    head, payload, signature = good.split(".")
    forever = {"sub": str(user.user_id), "iat": 1, "exp": 2**40}
    wrong_key = jwt.encode(forever, "a-different-secret-of-at-least-32-bytes!", algorithm="HS256")
    unsigned = jwt.encode(forever, None, algorithm="none")
    cases = {
        "": "UNAUTHORIZED",
        "Bearer": "INVALID_TOKEN",
        "Basic dXNlcjpwYXNz": "UNAUTHORIZED",
        "Bearer not.a.jwt": "INVALID_TOKEN",
        f"Bearer {head}.{payload}.{signature[::-1]}": "INVALID_TOKEN",  # tampered signature
        f"Bearer {_token(str(user.user_id), exp=int(time.time()) - 5)}": "TOKEN_EXPIRED",
        f"Bearer {wrong_key}": "INVALID_TOKEN",
        f"Bearer {unsigned}": "INVALID_TOKEN",
        f"Bearer {_token('00000000-0000-0000-0000-000000000000')}": "INVALID_TOKEN",  # no such user
        f"Bearer {_token('not-a-uuid')}": "INVALID_TOKEN",
    }
    for header, code in cases.items():
        extra = {"HTTP_AUTHORIZATION": header} if header else {}
        response = client.get(ME, **extra)
        assert response.status_code == HTTPStatus.UNAUTHORIZED, header
        assert response.json()["code"] == code, header
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {good}").status_code == HTTPStatus.OK


def test_tampered_roles_claim_grants_nothing(client: Client) -> None:
    user = make_user(role=Role.VIEWER)
    head, payload, signature = api_headers(user)["HTTP_AUTHORIZATION"].removeprefix("Bearer ").split(".")
    forged_payload = jwt.utils.base64url_encode(
        jwt.api_jws.json.dumps({"sub": str(user.user_id), "roles": ["admin"], "iat": 1, "exp": 2**40}).encode()
    ).decode()
    response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {head}.{forged_payload}.{signature}")
    assert response.status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize("role", list(Role))
def test_me_for_each_role(client: Client, role: Role) -> None:
    user = make_user(role=role)
    response = client.get(ME, **api_headers(user))
    assert response.status_code == HTTPStatus.OK
    assert response.json()["roles"] == [r.label for r in Role if r <= role]


def test_update_me_changes_names_only(client: Client) -> None:
    user = make_user(first_name="Grace", last_name="Hopper")
    response = client.put(
        ME,
        {"firstName": " Amazing ", "email": "hacker@example.com"},
        content_type="application/json",
        **api_headers(user),
    )
    assert response.status_code == HTTPStatus.OK
    assert (response.json()["firstName"], response.json()["lastName"]) == ("Amazing", "Hopper")
    stored = services.user_get(user_id=user.user_id)
    assert (stored.first_name, stored.email) == ("Amazing", user.email)
    assert [u.user_id for u in services.users_search(query="amaz")] == [user.user_id]
    assert services.users_search(query="grace") == []


def test_update_me_bad_input_writes_nothing(client: Client) -> None:
    user = make_user(first_name="Grace")
    for body in ({"firstName": ""}, {"lastName": "   "}, {"firstName": "x" * 101}, {"firstName": 7}):
        response = client.put(ME, body, content_type="application/json", **api_headers(user))
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, body
    assert services.user_get(user_id=user.user_id).first_name == "Grace"


def test_update_me_anonymous_is_401(client: Client) -> None:
    response = client.put(ME, {"firstName": "X"}, content_type="application/json")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "UNAUTHORIZED"


# --- public profile -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "sees_email"),
    [
        (None, False),
        (Role.VIEWER, False),
        (Role.CREATOR, False),
        ("self", True),
        (Role.MODERATOR, True),
        (Role.ADMIN, True),
    ],
)
def test_public_user_hides_email_except_for_self_and_moderators(
    client: Client, caller: Role | str | None, sees_email: bool
) -> None:
    target = make_user()
    headers = {}
    if caller == "self":
        headers = api_headers(target)
    elif caller is not None:
        headers = api_headers(make_user(role=caller))
    response = client.get(f"/api/v1/users/{target.user_id}", **headers)
    assert response.status_code == HTTPStatus.OK
    data = response.json()
    assert data["userId"] == str(target.user_id)
    assert ("email" in data, "lastLoginDate" in data) == (sees_email, sees_email)


def test_public_user_not_found_bad_id_upper_case_id_and_bad_token(client: Client) -> None:
    missing = client.get("/api/v1/users/4b0e6a56-2f8b-4a44-9a55-0d6c2b2a1f00")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert missing.json()["code"] == "USER_NOT_FOUND"
    assert client.get("/api/v1/users/not-a-uuid").status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    user = make_user()
    upper = client.get(f"/api/v1/users/{str(user.user_id).upper()}")
    assert upper.status_code == HTTPStatus.OK
    assert upper.json()["userId"] == str(user.user_id)
    bad = client.get(f"/api/v1/users/{user.user_id}", HTTP_AUTHORIZATION="Bearer garbage")
    assert bad.status_code == HTTPStatus.UNAUTHORIZED


def test_openapi_declares_the_users_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/users/register"]["post"]["responses"]) >= {"201", "409", "422", "429"}
    assert set(paths["/api/v1/users/login"]["post"]["responses"]) >= {"200", "401", "422", "429"}
    assert {"get", "put"} <= set(paths["/api/v1/users/me"])
