"""manage.py rebuild_listing_totals — recount listing totals after a Redis loss or an interrupted import."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog.services.maintenance import totals_rebuild


class Command(BaseCommand):
    help = "Recount every listing total (latest, per tag, per user, month buckets) from the videos table."

    def handle(self, *args: Any, **options: Any) -> None:
        totals = totals_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {len(totals)} listing totals."))
