from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from discovery import services


class Command(BaseCommand):
    help = "Recount every tag's public videos from the catalog and rebuild the tag suggestions (a full scan)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{services.tag_suggestions_rebuild()} tags suggested")
