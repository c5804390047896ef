"""Loading the public KillrVideo dataset (github.com/KillrVideo/killrvideo-data): users, videos, views.

Idempotent: ids are uuid5 of the dataset's own ids, owners are picked by a stable hash, and a video already
in `videos` is left alone, so totals only count videos this run added. Within a batch, listing rows and
totals are written before the `videos` rows, so a crashed run re-adds (not double-counts) its last batch.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password

from accounts import services as accounts_services
from accounts.domain import AccountStatus
from catalog import embeddings, youtube
from catalog.domain import ListingKey, Video, VideoStatus, normalise_tags
from catalog.repositories import listings as listings_repo
from catalog.repositories import videos as videos_repo
from catalog.repositories import view_counters
from catalog.repositories import views as views_repo
from catalog.services import listings, viewcounts
from catalog.services.listings import summary_of

logger = logging.getLogger(__name__)

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/KillrVideo/killrvideo-data")
BATCH = 64
_THUMB_ID_RE = re.compile(r"/vi/([A-Za-z0-9_-]{11})/")


@dataclass(frozen=True)
class ImportResult:
    users: int
    videos_seen: int
    videos_added: int
    transcripts: int
    view_counts: int


def stable_index(text: str, modulo: int) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % modulo


def video_uuid(youtube_id: str, copy: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, youtube_id if copy == 0 else f"{youtube_id}#copy{copy}")


# ---- users ------------------------------------------------------------------------------------------


def import_users(directory: Path, password: str) -> list[uuid.UUID]:
    """Users from csv/users.csv, all with one password (hashed once). Returns their ids, sorted."""
    password_hash = make_password(password)
    ids = []
    with (directory / "csv" / "users.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            user = accounts_services.user_import(
                user_id=uuid.UUID(row["userid"]),
                email=row["email"],
                first_name=row["firstname"],
                last_name=row["lastname"],
                created_at=_parse_time(row["created_date"]),
                password_hash=password_hash,
                account_status=_account_status(row.get("account_status")),
                last_login_at=_parse_time(row["last_login_date"]) if row.get("last_login_date") else None,
            )
            ids.append(user.user_id)
    return sorted(ids, key=str)


def _account_status(value: str | None) -> AccountStatus:
    try:
        return AccountStatus((value or "active").strip().lower())
    except ValueError:
        return AccountStatus.ACTIVE


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))


# ---- videos -------------------------------------------------------------------------------------------


def video_files(directory: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in (directory / "videos").glob("*.json") if p.name != "_manifest.json")
    return files[:limit] if limit else files


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _video_of(data: dict[str, Any], copy: int, owners: list[uuid.UUID]) -> Video:
    youtube_id = data["video_id"]
    added = _parse_time(data["published_at"])
    added = added.replace(microsecond=0)
    return Video(
        video_id=video_uuid(youtube_id, copy),
        user_id=owners[stable_index(f"{youtube_id}#{copy}", len(owners))],
        youtube_id=youtube_id,
        name=(data.get("title") or youtube_id)[:150],
        description=(data.get("description") or "")[:5000],
        tags=normalise_tags(data.get("tags") or []),
        status=VideoStatus.READY,
        added_date=added,
        updated_at=added,
        status_since=added,
        thumbnail_url=data.get("thumbnail") or youtube.thumbnail_url(youtube_id),
        channel_title=data.get("channel_title") or "",
        listed=True,
    )


def _batches(files: list[Path]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(files), BATCH):
        yield [_load(path) for path in files[start : start + BATCH]]


def import_videos(
    directory: Path, owners: list[uuid.UUID], *, limit: int | None, copies: int, progress: Callable[[int], None]
) -> tuple[int, int, int]:
    """Returns (videos seen, videos added, transcripts written)."""
    seen = added = transcripts = 0
    for batch in _batches(video_files(directory, limit)):
        vectors = embeddings.embed_texts(
            [
                embeddings.video_text(d.get("title") or "", d.get("description") or "", d.get("tags") or [])
                for d in batch
            ]
        )
        transcripts += _write_transcripts(batch)
        for copy in range(copies):
            made = [(_video_of(data, copy, owners), vector) for data, vector in zip(batch, vectors, strict=True)]
            added += _write_new(made)
            seen += len(made)
        progress(len(batch))
    return seen, added, transcripts


def _write_new(made: list[tuple[Video, list[float]]]) -> int:
    existing = videos_repo.videos_get_many([video.video_id for video, _ in made])
    new = [(video, vector) for video, vector in made if video.video_id not in existing]
    if not new:
        return 0
    summaries = [summary_of(video) for video, _ in new]
    listings_repo.studio_put_many(summaries)
    videos_repo.submissions_put_many([video for video, _ in new])
    listings.publish_many(summaries)
    for user_id, delta in Counter(s.user_id for s in summaries).items():
        listings.total_change_raw(ListingKey.user_all(user_id).value, delta)
    videos_repo.videos_insert_many(new)
    return len(new)


def _write_transcripts(batch: list[dict[str, Any]]) -> int:
    rows = []
    for data in batch:
        transcript = data.get("transcript") or {}
        if str(transcript.get("available")).lower() == "true" and transcript.get("text"):
            rows.append(
                {
                    "videoid": video_uuid(data["video_id"], 0),
                    "language_code": transcript.get("language_code") or "",
                    "is_generated": str(transcript.get("is_generated")).lower() == "true",
                    "transcript": transcript["text"],
                }
            )
    videos_repo.transcripts_insert_many(rows)
    return len(rows)


# ---- views ----------------------------------------------------------------------------------------------


def import_views(directory: Path, youtube_ids: list[str]) -> int:
    """Playback stats onto the real videos: via latest_videos.csv's thumbnail bridge, else a stable hash.

    Several dataset ids can land on one video; their views add up. Written as absolute totals (idempotent).
    """
    target = dataset_video_mapper(directory, youtube_ids)
    totals: Counter[uuid.UUID] = Counter()
    with (directory / "csv" / "video_playback_stats.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            totals[target(row["videoid"])] += int(row.get("views") or 0)
    views_repo.views_put_many(dict(totals))
    viewcounts.alltime_merge(dict(totals))  # seeds Trending's "All time" ranking
    view_counters.views_forget(list(totals))  # the next view re-seeds from the imported totals
    return len(totals)


def dataset_video_mapper(directory: Path, youtube_ids: list[str]) -> Callable[[str], uuid.UUID]:
    """The imported video that a video id of the dataset's csv files (playback stats, comments, ratings)
    stands for: the one latest_videos.csv's thumbnail names when it was imported, else a stable hash of the
    id over the imported videos (deterministic, so every import maps an id to the same video)."""
    bridge = _bridge(directory)
    ordered = sorted(youtube_ids)
    known = set(ordered)

    def target(dataset_video_id: str) -> uuid.UUID:
        youtube_id = bridge.get(dataset_video_id)
        if youtube_id not in known:
            youtube_id = ordered[stable_index(dataset_video_id, len(ordered))]
        return video_uuid(youtube_id, 0)

    return target


def _bridge(directory: Path) -> dict[str, str]:
    mapping = {}
    with (directory / "csv" / "latest_videos.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            match = _THUMB_ID_RE.search(row.get("preview_image_location") or "")
            if match:
                mapping[row["videoid"]] = match.group(1)
    return mapping


def import_dataset(
    directory: Path,
    *,
    password: str,
    limit: int | None = None,
    copies: int = 1,
    progress: Callable[[int], None] = lambda _: None,
) -> ImportResult:
    owners = import_users(directory, password)
    seen, added, transcripts = import_videos(directory, owners, limit=limit, copies=copies, progress=progress)
    youtube_ids = [path.stem for path in video_files(directory, limit)]
    view_counts = import_views(directory, youtube_ids)
    logger.info("Imported %d users, %d videos (%d new), %d transcripts", len(owners), seen, added, transcripts)
    return ImportResult(len(owners), seen, added, transcripts, view_counts)
