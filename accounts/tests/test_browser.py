"""The account journey in a real headless Chromium against the live server."""

from __future__ import annotations

import re

import pytest

from accounts import services
from accounts.tests.factories import TEST_PASSWORD, unique_email
from killrvideo.tests.browser import screenshot


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
    expect(page.locator(".readonly-value")).to_have_text(email)  # shown as text, not a read-only box
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


@pytest.mark.browser
def test_failed_register_reports_every_problem_and_focuses_the_summary(page: object) -> None:
    from playwright.sync_api import expect

    page.goto("/register")
    password = page.get_by_label("Password", exact=True)
    # The rules sit next to the field and are announced with it.
    rules_id = password.get_attribute("aria-describedby")
    expect(page.locator(f"#{rules_id}")).to_contain_text("At least 8 characters")
    page.get_by_label("First name").fill("Short")
    page.get_by_label("Last name").fill("Password")
    page.get_by_label("Email").fill(unique_email("short"))
    password.fill("abc")
    page.get_by_label("Confirm password").fill("abd")
    page.get_by_role("button", name="Create account").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("too short")
    expect(summary).to_contain_text("do not match")
    screenshot(page, "test_failed_register-errors-desktop")
    # Every id aria-describedby names exists (help text and error list).
    for field in (password, page.get_by_label("Confirm password")):
        for ref in field.get_attribute("aria-describedby").split():
            assert page.locator(f"#{ref}").count() == 1, ref
    # Focus is blue; an error is red: a focused field never looks like a field in error.
    page.get_by_label("First name").focus()
    focused = page.get_by_label("First name").evaluate("e => getComputedStyle(e).outlineColor")
    errored = password.evaluate("e => getComputedStyle(e).borderColor")
    assert focused != errored


@pytest.mark.browser
def test_protected_page_asks_to_sign_in_to_continue_and_signed_in_users_skip_sign_in(page: object) -> None:
    from playwright.sync_api import expect

    from accounts.tests.factories import browser_sign_in, make_user

    page.goto("/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to continue")
    user = make_user()
    browser_sign_in(page, user.email)
    page.goto("/signin?next=/profile")
    assert page.url.endswith("/profile")
    page.goto("/register")
    assert page.url.endswith("/")
