"""grant_role, revoke_role and createadmin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts import services
from accounts.domain import Role
from accounts.tests.factories import make_user

# Everything here reads or writes users: every test gets a clean store.
pytestmark = pytest.mark.usefixtures("store")


def test_grant_and_revoke_role_by_email_in_any_case() -> None:
    user = make_user()
    out = StringIO()
    call_command("grant_role", user.email.upper(), "moderator", stdout=out)
    assert "viewer, creator, moderator" in out.getvalue()
    assert services.user_get(user_id=user.user_id).top_role == Role.MODERATOR
    call_command("revoke_role", user.email, "creator", stdout=StringIO())
    assert services.user_get(user_id=user.user_id).roles == {Role.VIEWER}


def test_role_commands_reject_unknown_user_or_role() -> None:
    user = make_user()
    with pytest.raises(CommandError, match="Unknown role"):
        call_command("grant_role", user.email, "overlord")
    with pytest.raises(CommandError, match="No user"):
        call_command("grant_role", "ghost@example.com", "admin")


def test_createadmin_from_environment_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    # monkeypatch only sets environment variables here (the automation interface), not our code.
    monkeypatch.setenv("KILLRVIDEO_ADMIN_EMAIL", "Root@Example.com")
    monkeypatch.setenv("KILLRVIDEO_ADMIN_PASSWORD", "Admin-Passphrase-77")
    call_command("createadmin", "--noinput", stdout=StringIO())
    call_command("createadmin", "--noinput", stdout=StringIO())
    admin = services.user_get_by_email(email="root@example.com")
    assert admin.top_role == Role.ADMIN
    assert services.user_authenticate(email="root@example.com", password="Admin-Passphrase-77", ip="9.9.9.9")


def test_createadmin_rejects_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KILLRVIDEO_ADMIN_EMAIL", "weak@example.com")
    monkeypatch.setenv("KILLRVIDEO_ADMIN_PASSWORD", "password")
    with pytest.raises(CommandError, match="password"):
        call_command("createadmin", "--noinput")
    monkeypatch.delenv("KILLRVIDEO_ADMIN_EMAIL")
    with pytest.raises(CommandError, match="KILLRVIDEO_ADMIN_EMAIL"):
        call_command("createadmin", "--noinput")


def test_createadmin_interactive_through_a_terminal(kv_stack) -> None:
    import sys

    import pexpect

    from conftest import ROOT

    child = pexpect.spawn(
        sys.executable, ["manage.py", "createadmin"], cwd=str(ROOT), env=kv_stack.env(), encoding="utf-8", timeout=60
    )
    for prompt, answer in [
        ("Email: ", "TTY-Admin@Example.com "),
        (r"First name \[Site\]: ", "Tia"),
        (r"Last name \[Admin\]: ", ""),
        (r"Password \(ignored if the account exists\): ", "Terminal-Passphrase-42"),
        ("Password again: ", "Terminal-Passphrase-42"),
    ]:
        child.expect(prompt)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    admin = services.user_get_by_email(email="tty-admin@example.com")
    assert admin.top_role == Role.ADMIN
    assert (admin.first_name, admin.last_name) == ("Tia", "Admin")
    assert services.user_authenticate(email="tty-admin@example.com", password="Terminal-Passphrase-42", ip="9.9.9.8")
