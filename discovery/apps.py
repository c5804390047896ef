from __future__ import annotations

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """Search, related videos and the For You feed (built on catalog and community)."""

    name = "discovery"

    def web_ready(self) -> None:
        """In a web process (killrvideo/wsgi.py): load the sentence model in the background, so the first
        search does not wait seconds for it, and embed queries on EMBEDDING_WEB_THREADS threads."""
        import threading

        from django.conf import settings

        from catalog import embeddings
        from discovery.services import search

        embeddings.set_threads(settings.EMBEDDING_WEB_THREADS)

        threading.Thread(target=search.warm_up, name="search-warm-up", daemon=True).start()

    def ready(self) -> None:
        # Everything discovery adds to lower apps' pages, and the signals it follows, is registered here.
        from catalog import signals as catalog_signals
        from discovery import services
        from discovery.services import search_index
        from killrvideo import widgets

        widgets.register("watch.sidebar", "video_related_widget", "Related videos")
        _connect_for_you()
        catalog_signals.video_changed.connect(services.on_video_changed, dispatch_uid="discovery.tags.changed")
        catalog_signals.dataset_imported.connect(services.on_dataset_imported, dispatch_uid="discovery.tags.import")
        catalog_signals.video_changed.connect(search_index.on_video_changed, dispatch_uid="discovery.search.changed")
        catalog_signals.video_embedded.connect(search_index.on_video_embedded, dispatch_uid="discovery.search.vector")
        catalog_signals.dataset_imported.connect(
            search_index.on_dataset_imported, dispatch_uid="discovery.search.import"
        )


def _connect_for_you() -> None:
    """For You follows each rating, counted view and comment (a Celery task updates the user's state), and
    Explore shows the popular tags."""
    from catalog import signals as catalog_signals
    from community import services as community_services
    from discovery.services import foryou, preferences
    from killrvideo import widgets

    community_services.rating_saved.connect(preferences.on_rating_saved, dispatch_uid="discovery.foryou.rating")
    community_services.comment_posted.connect(preferences.on_comment_posted, dispatch_uid="discovery.foryou.comment")
    catalog_signals.view_counted.connect(preferences.on_view_counted, dispatch_uid="discovery.foryou.view")
    catalog_signals.video_visibility_changed.connect(
        foryou.on_video_visibility_changed, dispatch_uid="discovery.foryou.visibility"
    )
    widgets.register("explore.main", "popular_tags_widget", "Popular tags")
