"""Numbers joined onto listing rows at read time: views, uploader names, and what higher apps add.

Counters change too often to be copied into every listing table, so a page fetches them for its own ids in
one request each (Redis HMGET, then one `$in` point read on `video_views` for ids Redis does not hold).
Apps above the catalog (community's ratings) add their numbers to every card and detail without the catalog
importing them: they register a provider in their AppConfig.ready() with `register_card_fields`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from catalog.domain import Video, VideoSummary
from catalog.repositories import view_counters
from catalog.repositories import views as views_repo

logger = logging.getLogger(__name__)

# ids -> {video id: {field of VideoSummary/Video: value}}; one batched read per provider per page.
CardFieldsProvider = Callable[[list[uuid.UUID]], Mapping[uuid.UUID, Mapping[str, Any]]]
_providers: list[CardFieldsProvider] = []


def register_card_fields(provider: CardFieldsProvider) -> None:
    """Called once per process by a higher app (e.g. community: average_rating, total_ratings_count)."""
    if provider not in _providers:
        _providers.append(provider)


def _extra_fields(video_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    merged: dict[uuid.UUID, dict[str, Any]] = {}
    for provider in _providers:
        for video_id, fields in provider(video_ids).items():
            merged.setdefault(video_id, {}).update(fields)
    return merged


def views_for(video_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    counts = view_counters.views_totals(video_ids)
    missing = [vid for vid in video_ids if vid not in counts]
    if missing:
        durable = views_repo.views_get_many(missing)
        durable = {vid: durable.get(vid, 0) for vid in missing}
        # Cache the durable values (HSETNX: a concurrent increment is never overwritten) so the next page
        # showing these videos needs no Data API read for them.
        view_counters.views_seed_many(durable)
        counts.update(durable)
    return counts


def uploader_names(user_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    from accounts import services as accounts_services  # another app's services, never its repositories
    from accounts.domain import display_name

    names = accounts_services.display_names(user_ids=user_ids)
    return {user_id: display_name(first, last) for user_id, (first, last) in names.items()}


def with_counters(items: list[VideoSummary]) -> list[VideoSummary]:
    if not items:
        return []
    ids = [item.video_id for item in items]
    views, extra = views_for(ids), _extra_fields(ids)
    names = uploader_names([item.user_id for item in items])
    return [
        replace(
            item,
            views=views.get(item.video_id, 0),
            uploader_name=names.get(item.user_id, ""),
            **extra.get(item.video_id, {}),
        )
        for item in items
    ]


def video_with_counters(video: Video) -> Video:
    views, extra = views_for([video.video_id]), _extra_fields([video.video_id])
    return replace(video, views=views.get(video.video_id, 0), **extra.get(video.video_id, {}))
