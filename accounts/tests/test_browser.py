"""The account journey in a real headless Chromium against the live server."""

from __future__ import annotations

import re

import pytest

from accounts import services
from accounts.tests.factories import TEST_PASSWORD, unique_email


@pytest.mark.browser
def test_register_edit_profile_sign_out_sign_in_wrong_password(page: object) -> None:
    from playwright.sync_api import expect

    email = unique_email("journey")
    page.goto("/register")
    page.get_by_label("First name").fill("Mary")
    page.get_by_label("Last name").fill("Jackson")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Confirm password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to KillrVideo, Mary!")).to_be_visible()
    expect(page.locator(".user-menu summary")).to_have_text("Mary")

    page.goto("/profile")
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_label("First name").fill("Mary W.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    assert services.user_get_by_email(email=email).first_name == "Mary W."

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile(services.INVALID_CREDENTIALS_MESSAGE))
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in. Welcome back, Mary W.!")).to_be_visible()
