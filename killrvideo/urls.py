from __future__ import annotations

from django.urls import include, path

from killrvideo import health
from killrvideo.api import api

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("", include("accounts.urls")),
    path("", include("catalog.urls")),
    path("", include("community.urls")),
    path("", include("discovery.urls")),
    path("", include("moderation.urls")),
]

handler404 = "killrvideo.views.not_found"
handler500 = "killrvideo.views.server_error"
