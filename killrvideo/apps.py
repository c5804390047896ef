from __future__ import annotations

from django.apps import AppConfig


class KillrvideoConfig(AppConfig):
    name = "killrvideo"
    verbose_name = "KillrVideo core"
