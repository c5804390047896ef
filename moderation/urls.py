"""Moderation pages: the dashboard (queue, flag detail, audit, roles) and the report form."""

from __future__ import annotations

from django.urls import URLPattern, path

from moderation.views import dashboard, report

urlpatterns: list[URLPattern] = [
    path("report", report.flag_new, name="flag_new"),
    path("reports", report.my_reports, name="my_reports"),
    path("watch/<uuid:video_id>/report", report.video_report_widget, name="video_report_widget"),
    path("moderation", dashboard.moderation_queue, name="moderation_queue"),
    path("moderation/flags/<uuid:flag_id>", dashboard.moderation_flag, name="moderation_flag"),
    path("moderation/flags/<uuid:flag_id>/action", dashboard.moderation_flag_action, name="moderation_flag_action"),
    path("moderation/flags/<uuid:flag_id>/unmask", dashboard.moderation_flag_unmask, name="moderation_flag_unmask"),
    path(
        "moderation/restore/<str:content_type>/<uuid:content_id>",
        dashboard.moderation_content_restore,
        name="moderation_content_restore",
    ),
    path("moderation/audit", dashboard.moderation_audit, name="moderation_audit"),
    path("moderation/users", dashboard.moderation_users, name="moderation_users"),
    path("moderation/users/<uuid:user_id>/<str:verb>", dashboard.moderation_user_role, name="moderation_user_role"),
]
