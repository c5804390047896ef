"""Community pages and the widgets it puts on catalog's and accounts' pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from community.views import activity as activity_views
from community.views import comments as comment_views
from community.views import ratings as rating_views

urlpatterns: list[URLPattern] = []
urlpatterns += [
    path("users/<uuid:user_id>/activity", activity_views.user_activity, name="user_activity"),
    path("users/<uuid:user_id>/activity/widget", activity_views.user_activity_widget, name="user_activity_widget"),
]
urlpatterns += [
    path("watch/<uuid:video_id>/rating", rating_views.video_rating_widget, name="video_rating_widget"),
    path("watch/<uuid:video_id>/rating/set", rating_views.video_rating_submit, name="video_rating_submit"),
]
urlpatterns += [
    path("videos/<uuid:video_id>/comments", comment_views.video_comments_widget, name="video_comments_widget"),
    path("videos/<uuid:video_id>/comments/new", comment_views.video_comment_post, name="video_comment_post"),
    path(
        "videos/<uuid:video_id>/comments/<uuid:comment_id>/delete",
        comment_views.video_comment_delete,
        name="video_comment_delete",
    ),
    path("users/<uuid:user_id>/comments", comment_views.user_comments_widget, name="user_comments_widget"),
]
