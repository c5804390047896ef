from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from discovery.services import search_index


class Command(BaseCommand):
    help = (
        "Re-index every public video for search, drop entries of videos that are no longer public, and queue "
        "the embedding of transcript passages that lack one (a full scan: an operator command)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        indexed, dropped = search_index.search_index_rebuild()
        self.stdout.write(f"{indexed} videos indexed, {dropped} stale entries dropped")
