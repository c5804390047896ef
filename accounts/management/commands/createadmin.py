from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.domain import Role, User
from killrvideo.errors import NotFound, ValidationFailed

ENV = {
    "email": "KILLRVIDEO_ADMIN_EMAIL",
    "password": "KILLRVIDEO_ADMIN_PASSWORD",
    "first_name": "KILLRVIDEO_ADMIN_FIRST_NAME",
    "last_name": "KILLRVIDEO_ADMIN_LAST_NAME",
}


class Command(BaseCommand):
    help = (
        "Create an admin account, or make an existing account admin. Interactive by default; with --noinput "
        "it reads KILLRVIDEO_ADMIN_EMAIL, KILLRVIDEO_ADMIN_PASSWORD, KILLRVIDEO_ADMIN_FIRST_NAME and "
        "KILLRVIDEO_ADMIN_LAST_NAME."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help="Read everything from the environment."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        values = self._from_env() if options["noinput"] else self._prompt()
        try:
            existing = services.user_get_by_email(email=values["email"])
        except NotFound:
            existing = None
        user = existing or self._register(values)
        admin = services.role_grant(user_id=user.user_id, role=Role.ADMIN)
        verb = "is now an admin" if existing else "created as admin"
        self.stdout.write(self.style.SUCCESS(f"{admin.email} {verb} (user id {admin.user_id})."))

    def _register(self, values: dict[str, str]) -> User:
        try:
            return services.user_register(**values)
        except ValidationFailed as exc:
            raise CommandError("; ".join(f"{e['field']}: {e['message']}" for e in exc.errors) or exc.detail) from None

    def _from_env(self) -> dict[str, str]:
        values = {field: os.environ.get(name, "").strip() for field, name in ENV.items()}
        values["first_name"] = values["first_name"] or "Site"
        values["last_name"] = values["last_name"] or "Admin"
        if not values["email"]:
            raise CommandError(f"Set {ENV['email']} (and {ENV['password']} for a new account).")
        return values

    def _prompt(self) -> dict[str, str]:
        email = input("Email: ").strip()
        first_name = input("First name [Site]: ").strip() or "Site"
        last_name = input("Last name [Admin]: ").strip() or "Admin"
        password = getpass.getpass("Password (ignored if the account exists): ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The two passwords do not match.")
        return {"email": email, "first_name": first_name, "last_name": last_name, "password": password}
