from __future__ import annotations

from django.urls import URLPattern, path

from discovery import views

urlpatterns: list[URLPattern] = [
    path("watch/<uuid:video_id>/related", views.video_related_widget, name="video_related_widget"),
    path("suggest/tags", views.tag_suggestions, name="tag_suggestions"),
]
