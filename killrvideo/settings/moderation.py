"""Moderation: reports (flags) and the moderator dashboard."""

from __future__ import annotations

from .environment import env

FLAG_RATE_LIMIT = env.int("FLAG_RATE_LIMIT", default=20)  # reports per user per window
FLAG_RATE_WINDOW_SECONDS = env.int("FLAG_RATE_WINDOW_SECONDS", default=3600)
