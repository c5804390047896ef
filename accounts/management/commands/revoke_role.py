from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts import services
from accounts.management.commands import _roles


class Command(BaseCommand):
    help = "Revoke a role (and every role above it) from the user with this email."

    def add_arguments(self, parser: CommandParser) -> None:
        _roles.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user, role = _roles.user_and_role(options["email"], options["role"])
        updated = services.role_revoke(user_id=user.user_id, role=role)
        labels = ", ".join(updated.role_labels) if updated.roles else "none"
        self.stdout.write(self.style.SUCCESS(f"{updated.email} now has roles: {labels}"))
