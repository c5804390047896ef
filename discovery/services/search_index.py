"""Keeping the search index in step with the catalogue.

- `search_videos` holds a row per public video (title, description and tags as one text-indexed column, and
  the video's embedding); it follows `catalog.signals.video_changed` (added when a video becomes public or is
  edited, removed when it stops being public).
- `search_passages` holds each transcript as ~60 s passages (text-indexed, with their own embeddings). The
  transcripts come from the dataset import (`catalog.signals.dataset_imported`): the passages' text is
  written during the import, so keyword search over transcripts works at once, and their embeddings are
  computed by the `discovery.embed_passages` Celery task per video (MiniLM does ~30 passages/s on two cores:
  the whole dataset's ~29,000 passages take the worker about a quarter of an hour, not the import).
  Passages of a video that is no longer public stay stored and are dropped at query time (a search result is
  always joined to the video's public card), so a restore needs no re-indexing.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from celery import current_app

from catalog import embeddings
from catalog import services as catalog
from catalog.domain import Video
from catalog.services import importer
from discovery import passages as passage_text
from discovery import repositories as repo

logger = logging.getLogger(__name__)

EMBED_PASSAGES_TASK = "discovery.embed_passages"
_INDEXED_FIELDS = ("name", "description", "tags", "is_public")


def content_of(name: str, description: str, tags: Sequence[str]) -> str:
    """What keyword search reads: title, description, and tags both as written and split into words
    (`apache_cassandra` is also found by "cassandra"). No personal data (names, emails) ever goes in."""
    words = " ".join(tag.replace("_", " ").replace("-", " ") for tag in tags)
    return "\n".join(part for part in (name, description, " ".join(tags), words) if part)


def _video_content(video: Video) -> str:
    return content_of(video.name, video.description, video.tags)


def search_video_index(video: Video) -> None:
    if video.is_public:
        repo.search_video_put(video.video_id, _video_content(video), catalog.video_embedding(video_id=video.video_id))
    else:
        repo.search_video_remove(video.video_id)


def on_video_changed(sender: Any, *, old: Video, new: Video, **_: Any) -> None:
    """catalog.signals.video_changed: index a video when it becomes public or its text changes; drop it when
    it stops being public. Processing steps that change nothing searchable write nothing."""
    if not old.is_public and not new.is_public:
        return
    changed = any(getattr(old, f) != getattr(new, f) for f in _INDEXED_FIELDS)
    if not changed and not (new.is_public and old.status != new.status):
        return
    try:
        search_video_index(new)
    except Exception:
        # The video change is stored already; `manage.py rebuild_search_index` repairs a missed step.
        logger.exception("Could not update the search index for video %s", new.video_id)


def on_video_embedded(sender: Any, *, video_id: uuid.UUID, **_: Any) -> None:
    """catalog.signals.video_embedded: give the video's search row its new vector."""
    try:
        video = catalog.videos_get_many(video_ids=[video_id]).get(video_id)
        if video is not None and video.is_public:
            search_video_index(video)
    except Exception:
        logger.exception("Could not update the search vector of video %s", video_id)


# ---- the dataset's videos and transcripts ---------------------------------------------------------------


def _segments(directory: Path, youtube_id: str) -> list[dict[str, Any]]:
    path = directory / "videos" / f"{youtube_id}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    transcript = data.get("transcript") or {}
    if str(transcript.get("available")).lower() != "true":
        return []
    return [s for s in transcript.get("segments") or [] if isinstance(s, dict)]


def index_imported(directory: Path, youtube_ids: Sequence[str], *, enqueue: bool = True) -> tuple[int, int]:
    """Index the imported videos (their first copy) and write their transcripts' passages (text only; the
    embeddings are enqueued). Idempotent: a video whose passages are stored is not split again.
    Returns (videos indexed, passages written)."""
    ids = {importer.video_uuid(yt, 0): yt for yt in youtube_ids}
    videos = catalog.videos_get_many(video_ids=list(ids))
    public = [video for video in videos.values() if video.is_public]
    repo.search_videos_put_many(
        [(v.video_id, _video_content(v), catalog.video_embedding(video_id=v.video_id)) for v in public]
    )
    written = 0
    for video in public:
        stored = repo.passages_read(video.video_id)
        if stored:
            missing = any(not embedded for _, _, embedded in stored)
        else:
            found = passage_text.passages_of(_segments(directory, ids[video.video_id]))
            repo.passages_put_many(video.video_id, [(p.start, p.text) for p in found])
            written += len(found)
            missing = bool(found)
        if missing and enqueue:
            current_app.send_task(EMBED_PASSAGES_TASK, args=[str(video.video_id)])
    return len(public), written


def passages_embed(video_id: uuid.UUID) -> int:
    """Compute the embeddings a video's passages lack (the Celery task's body; safe to run twice)."""
    pending = [(start, text) for start, text, embedded in repo.passages_read(video_id) if not embedded]
    for offset in range(0, len(pending), embeddings.BATCH_SIZE):
        chunk = pending[offset : offset + embeddings.BATCH_SIZE]
        for (start, _), vector in zip(chunk, embeddings.embed_texts([t for _, t in chunk]), strict=True):
            repo.passage_embedding_set(video_id, start, vector)
    return len(pending)


def on_dataset_imported(sender: Any, *, directory: Path, youtube_ids: Sequence[str], **_: Any) -> str:
    """catalog.signals.dataset_imported: index the imported videos and their transcripts."""
    videos, written = index_imported(Path(directory), youtube_ids)
    return f"Search index: {videos} videos, {written} new transcript passages (embeddings queued for the worker)"


def search_index_rebuild(*, enqueue: bool = True) -> tuple[int, int]:
    """ADMIN ONLY (scans `videos`): re-index every public video, drop rows of videos no longer public, and
    queue the embedding of passages that lack one. Returns (videos indexed, rows dropped)."""
    public = set(catalog.public_video_ids())
    ids = sorted(public, key=str)
    for start in range(0, len(ids), 100):
        videos = catalog.videos_get_many(video_ids=ids[start : start + 100])
        repo.search_videos_put_many(
            [(v.video_id, _video_content(v), catalog.video_embedding(video_id=v.video_id)) for v in videos.values()]
        )
        for video_id in videos:
            if enqueue and any(not embedded for _, _, embedded in repo.passages_read(video_id)):
                current_app.send_task(EMBED_PASSAGES_TASK, args=[str(video_id)])
    stale = [vid for vid in repo.search_video_ids_scan() if vid not in public]
    for video_id in stale:
        repo.search_video_remove(video_id)
    return len(ids), len(stale)
