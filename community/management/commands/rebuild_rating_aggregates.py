"""manage.py rebuild_rating_aggregates --video ID | --all — rebuild rating counts and sums (`video_ratings`
and the Redis hashes) from `ratings_by_video_user` (after a Redis loss or a bug)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from community.services import recount


class Command(BaseCommand):
    help = (
        "Rebuild a video's rating count and sum (and the site-wide pair) from its ratings; --all does every "
        "video. Both scan ratings_by_video_user (it has no per-video partition)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--video", type=uuid.UUID, metavar="ID", help="one video")
        which.add_argument("--all", action="store_true", help="every video")

    def handle(self, *args: Any, **options: Any) -> None:
        result = recount.rating_aggregates_rebuild(video_id=options["video"])
        self.stdout.write(self.style.SUCCESS(result.summary()))
