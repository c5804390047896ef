from __future__ import annotations

from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Comments with sentiment, star ratings and each user's activity (built on catalog and accounts)."""

    name = "community"

    def ready(self) -> None:
        # Everything community adds to lower apps' pages and cards is registered here, explicitly:
        # widgets (killrvideo.widgets), card fields (catalog.services.register_card_fields), signal receivers.
        from catalog import services as catalog_services
        from catalog import signals as catalog_signals
        from community.services import activity, importing, ratings, visibility
        from killrvideo import widgets

        catalog_signals.view_counted.connect(activity.on_view_counted, dispatch_uid="community.activity.view")
        catalog_signals.video_visibility_changed.connect(
            visibility.on_video_visibility_changed, dispatch_uid="community.comments.visibility"
        )
        widgets.register("user_profile.main", "user_activity_widget", "Your activity", order=300)
        ratings.rating_saved.connect(activity.on_rating_saved, dispatch_uid="community.activity.rating")
        catalog_signals.dataset_imported.connect(importing.on_dataset_imported, dispatch_uid="community.import")
        catalog_services.register_card_fields(ratings.rating_card_fields)
        widgets.register("watch.rating", "video_rating_widget", "Rate this video")
        widgets.register("watch.comments", "video_comments_widget", "Comments")
        widgets.register("user_profile.main", "user_comments_widget", "Comments by {name}", order=200)
