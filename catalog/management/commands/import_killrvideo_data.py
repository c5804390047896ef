"""manage.py import_killrvideo_data <dir> --password P [--limit N] [--copies K]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from catalog import signals
from catalog.services import importer


class Command(BaseCommand):
    help = (
        "Load the public KillrVideo dataset (git clone https://github.com/KillrVideo/killrvideo-data): users, "
        "the real YouTube videos with transcripts and embeddings, and view counts. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A clone of KillrVideo/killrvideo-data")
        parser.add_argument("--password", required=True, help="Password given to every imported user")
        parser.add_argument("--limit", type=int, default=None, help="Only the first N videos (by YouTube id)")
        parser.add_argument(
            "--copies", type=int, default=1, help="Import each video K times under new ids (benchmark catalogues)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if not (directory / "videos").is_dir() or not (directory / "csv" / "users.csv").is_file():
            raise CommandError(f"{directory} does not look like a clone of KillrVideo/killrvideo-data.")
        if len(options["password"]) < 8:
            raise CommandError("Give a password of at least 8 characters.")
        if options["copies"] < 1 or (options["limit"] is not None and options["limit"] < 1):
            raise CommandError("--copies and --limit must be at least 1.")
        total = len(importer.video_files(directory, options["limit"]))
        with tqdm(total=total, unit="video", desc="Videos", disable=options["verbosity"] == 0) as bar:
            result = importer.import_dataset(
                directory,
                password=options["password"],
                limit=options["limit"],
                copies=options["copies"],
                progress=bar.update,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.users} users and {result.videos_seen} videos ({result.videos_added} new, "
                f"{result.transcripts} transcripts, view counts for {result.view_counts})."
            )
        )
        # The apps above the catalog (comments, ratings, activity) import their part of the dataset.
        youtube_ids = sorted(path.stem for path in importer.video_files(directory, options["limit"]))
        for _, summary in signals.dataset_imported.send(
            sender=Command, directory=directory, youtube_ids=youtube_ids, verbosity=options["verbosity"]
        ):
            if summary:
                self.stdout.write(self.style.SUCCESS(str(summary)))
