"""Community use cases. Other apps import from here (e.g. moderation calls `comment_soft_delete`)."""

from __future__ import annotations
