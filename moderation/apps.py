from __future__ import annotations

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Reports, the moderator dashboard, masked reasons with audited unmasking, and the audit log."""

    name = "moderation"

    def ready(self) -> None:
        from killrvideo import widgets

        # After the stars (order 100): the watch page's "Report" button.
        widgets.register("watch.rating", "video_report_widget", "Report this video", order=900)
