from __future__ import annotations

from django.urls import path

from catalog.views import public, studio

urlpatterns = [
    path("", public.home, name="home"),
    path("explore", public.explore, name="explore"),
    path("trending", public.trending, name="trending"),
    path("tags/<str:tag>", public.tag_detail, name="tag_detail"),
    path("watch/<uuid:video_id>", public.video_watch, name="video_watch"),
    path("users/<uuid:user_id>/videos", public.user_videos, name="user_videos"),
    path("studio", studio.studio, name="studio"),
    path("studio/new", studio.studio_video_new, name="studio_video_new"),
    path("studio/preview", studio.studio_video_preview, name="studio_video_preview"),
    path("studio/videos/<uuid:video_id>", studio.studio_video_status, name="studio_video_status"),
    path("studio/videos/<uuid:video_id>/edit", studio.studio_video_edit, name="studio_video_edit"),
    path("studio/videos/<uuid:video_id>/delete", studio.studio_video_delete, name="studio_video_delete"),
    path("studio/videos/<uuid:video_id>/restore", studio.studio_video_restore, name="studio_video_restore"),
]
