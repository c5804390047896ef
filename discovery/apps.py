from __future__ import annotations

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """Search, related videos and the For You feed (built on catalog and community)."""

    name = "discovery"
