from __future__ import annotations

from django.urls import URLPattern, path

from discovery import views

urlpatterns: list[URLPattern] = [
    path("search", views.search, name="search"),
    path("watch/<uuid:video_id>/related", views.video_related_widget, name="video_related_widget"),
    path("suggest/tags", views.tag_suggestions, name="tag_suggestions"),
    path("for-you", views.for_you, name="for_you"),
    path("explore/popular-tags", views.popular_tags_widget, name="popular_tags_widget"),
]
