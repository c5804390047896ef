from __future__ import annotations

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """Search, related videos and the For You feed (built on catalog and community)."""

    name = "discovery"

    def ready(self) -> None:
        # Everything discovery adds to lower apps' pages, and the signals it follows, is registered here.
        from catalog import signals as catalog_signals
        from discovery import services
        from killrvideo import widgets

        widgets.register("watch.sidebar", "video_related_widget", "Related videos")
        catalog_signals.video_changed.connect(services.on_video_changed, dispatch_uid="discovery.tags.changed")
        catalog_signals.dataset_imported.connect(services.on_dataset_imported, dispatch_uid="discovery.tags.import")
