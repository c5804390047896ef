from __future__ import annotations

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self) -> None:
        from killrvideo import widgets

        # A member's page shows their videos without accounts knowing about the catalog.
        widgets.register("user_profile.main", "user_videos", "Videos by {name}", order=10)
