"""Community pages and the widgets it puts on catalog's and accounts' pages."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
