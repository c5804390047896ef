"""manage.py recount_comments --video ID | --all — rebuild comment counts from the list rows (after a Redis
loss or a bug)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from community.services import recount


class Command(BaseCommand):
    help = (
        "Put a video's comment rows right and recount its and its commenters' comment lists (block counts, "
        "totals, mood) from the rows; --all does every list (a scan of the comments table)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--video", type=uuid.UUID, metavar="ID", help="one video (bounded reads)")
        which.add_argument("--all", action="store_true", help="every video and user (scans `comments`)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = recount.comments_recount(video_id=options["video"])
        self.stdout.write(self.style.SUCCESS(result.summary()))
