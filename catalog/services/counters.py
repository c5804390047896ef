"""Numbers joined onto listing rows at read time: views (and, later, ratings), uploader names.

Counters change too often to be copied into every listing table, so a page fetches them for its own ids in
one request each (Redis HMGET, then one `$in` point read on `video_views` for ids Redis does not hold).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from catalog.domain import Video, VideoSummary
from catalog.repositories import view_counters
from catalog.repositories import views as views_repo

logger = logging.getLogger(__name__)


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

    users = accounts_services.users_get_many(user_ids=list(dict.fromkeys(user_ids)))
    return {user_id: user.display_name for user_id, user in users.items()}


def with_counters(items: list[VideoSummary]) -> list[VideoSummary]:
    if not items:
        return []
    views = views_for([item.video_id for item in items])
    names = uploader_names([item.user_id for item in items])
    return [
        replace(item, views=views.get(item.video_id, 0), uploader_name=names.get(item.user_id, "")) for item in items
    ]


def video_with_counters(video: Video) -> Video:
    views = views_for([video.video_id])
    return replace(video, views=views.get(video.video_id, 0))
