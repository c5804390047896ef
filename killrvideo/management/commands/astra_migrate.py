from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from killrvideo import astra, schema


class Command(BaseCommand):
    help = "Create the Data API keyspace, tables, columns and indexes the apps declare (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        target = "Astra DB" if astra.using_astra() else "the embedded Data API server"
        done = schema.migrate()
        for line in done:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Schema up to date on {target} ({len(done)} changes)."))
