from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("signin", views.signin, name="signin"),
    path("register", views.register, name="register"),
    path("signout", views.signout, name="signout"),
    path("profile", views.profile_edit, name="profile_edit"),
    path("profile/password", views.password_change, name="password_change"),
    path("users/<uuid:user_id>", views.user_detail, name="user_detail"),
]
