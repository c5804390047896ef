from __future__ import annotations

from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Comments with sentiment, star ratings and each user's activity (built on catalog and accounts)."""

    name = "community"

    def ready(self) -> None:
        # Everything community adds to lower apps' pages and cards is registered here, explicitly:
        # widgets (killrvideo.widgets), card fields (catalog.services.register_card_fields), signal receivers.
        pass
