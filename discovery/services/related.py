"""Related videos: nearest neighbours by embedding among public videos, diversified, each with a reason."""

from __future__ import annotations

import uuid
from dataclasses import replace

from catalog import services as catalog
from catalog.services.listings import summary_of
from discovery.domain import OVERFETCH, RelatedVideo, clamp_score, diversify, reason_for
from killrvideo import cache
from killrvideo.errors import NotFound

MAX_RELATED = 20


def related_videos(*, video_id: uuid.UUID, limit: int = 5) -> list[RelatedVideo]:
    """Up to `limit` public videos most similar to a public one (404 otherwise), most similar first.

    Over-fetches OVERFETCH x limit by vector sort, then drops near-duplicate titles (re-runs of one talk)
    so the list is not one series five times.

    The list depends on every public video, so it is cached under their version (`catalog.ANY_VIDEO`:
    any publish, edit, removal or new embedding computes it afresh); views and ratings are joined live."""
    limit = max(1, min(limit, MAX_RELATED))
    found = cache.cached(f"related:{video_id}:{limit}", [catalog.ANY_VIDEO], lambda: _related(video_id, limit))
    cards = catalog.with_counters([item.video for item in found])
    return [replace(item, video=card) for item, card in zip(found, cards, strict=True)]


def _related(video_id: uuid.UUID, limit: int) -> list[RelatedVideo]:
    source = catalog.video_get(video_id=video_id)
    if not source.is_public:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    vector = catalog.video_embedding(video_id=video_id)
    if vector is None:
        return []
    candidates = catalog.videos_nearest(
        vector=vector, limit=OVERFETCH * limit, exclude=frozenset({video_id}), counters=False
    )
    origin = summary_of(source)
    return [
        RelatedVideo(video=video, score=clamp_score(score), reason=reason_for(origin, video, score))
        for video, score in diversify(candidates, limit)
    ]
