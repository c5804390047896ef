"""Sign-in lockout: brute force from one client stops, but a stranger cannot lock someone else out."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from django.test import Client

from accounts.tests.factories import TEST_PASSWORD, make_user

LOGIN = "/api/v1/users/login"


def _login(email: str, password: str, ip: str) -> tuple[int, str]:
    response = Client(REMOTE_ADDR=ip).post(
        LOGIN, {"email": email, "password": password}, content_type="application/json"
    )
    return response.status_code, response.json().get("code", "")


@pytest.fixture(autouse=True)
def _generous_ip_limit(settings) -> None:
    settings.SIGNIN_RATE_LIMIT = 1000


def test_five_failures_lock_that_client_out_but_not_the_owner_elsewhere(store) -> None:
    user = make_user()
    codes = [_login(user.email, "wrong-password", "203.0.113.66")[1] for _ in range(5)]
    assert codes == ["INVALID_CREDENTIALS"] * 4 + ["ACCOUNT_LOCKED"]
    assert _login(user.email, TEST_PASSWORD, "203.0.113.66") == (HTTPStatus.UNAUTHORIZED, "ACCOUNT_LOCKED")
    status, _ = _login(user.email, TEST_PASSWORD, "198.51.100.7")  # the owner, from their own address
    assert status == HTTPStatus.OK


def test_a_distributed_attack_protects_the_account_without_locking_the_owner_out(store, settings) -> None:
    settings.LOGIN_ACCOUNT_LOCKOUT_ATTEMPTS = 6
    user = make_user()
    for n in range(6):  # two guesses each from three addresses: none of them is locked by itself
        for _ in range(2):
            assert _login(user.email, "wrong-password", f"203.0.113.{n}")[1] == "INVALID_CREDENTIALS"
    # Under protection, an address that guessed wrong gets no further, even with the right password...
    assert _login(user.email, TEST_PASSWORD, "203.0.113.1") == (HTTPStatus.UNAUTHORIZED, "ACCOUNT_LOCKED")
    # ...while a client with no failures on this account signs in.
    assert _login(user.email, TEST_PASSWORD, "192.0.2.10")[0] == HTTPStatus.OK


def test_the_lock_lapses(store, settings) -> None:
    settings.LOGIN_LOCKOUT_SECONDS = 1
    user = make_user()
    for _ in range(5):
        _login(user.email, "wrong-password", "203.0.113.5")
    assert _login(user.email, TEST_PASSWORD, "203.0.113.5")[1] == "ACCOUNT_LOCKED"
    time.sleep(1.2)
    assert _login(user.email, TEST_PASSWORD, "203.0.113.5")[0] == HTTPStatus.OK
