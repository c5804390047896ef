"""For You's tables: `user_preferences` (one row per user) and `interactions_by_user` (one partition per user).

Kept apart from `discovery/repositories.py` (tags and the search index) so the two can change independently.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from discovery.domain import Anchor, Interaction, Preference
from killrvideo.astra import as_datetime, as_uuid, get_table, keys_in_chunks


def preference_get(user_id: uuid.UUID) -> Preference | None:
    row = get_table("user_preferences").find_one({"userid": user_id})
    if row is None:
        return None
    vector = row.get("preference")
    return Preference(
        user_id=as_uuid(row["userid"]),
        vector=tuple(float(x) for x in vector) if vector is not None else (),
        updated_at=as_datetime(row["updated_at"]),
        version=int(row.get("version") or 0),
        anchors=tuple(_anchor_of(item) for item in json.loads(row.get("anchors") or "[]")),
        recent_events=tuple(row.get("recent_events") or ()),
    )


def preference_version(user_id: uuid.UUID) -> int | None:
    """The version of the user's row alone (names their cached feed), or None without a row."""
    row = get_table("user_preferences").find_one({"userid": user_id}, projection={"version": True})
    return None if row is None else int(row.get("version") or 0)


def preference_put(preference: Preference) -> None:
    """The whole row (the task holds the user's lock, so nobody else writes it meanwhile)."""
    row: dict[str, Any] = {
        "userid": preference.user_id,
        "updated_at": preference.updated_at,
        "version": preference.version,
        "anchors": json.dumps([_anchor_row(anchor) for anchor in preference.anchors]),
        "recent_events": list(preference.recent_events),
    }
    if preference.direction() is not None:  # an all-zero vector is stored as no vector
        row["preference"] = list(preference.vector)
    get_table("user_preferences").insert_one(row)


def _anchor_row(anchor: Anchor) -> dict[str, Any]:
    return {
        "video": str(anchor.video_id),
        "title": anchor.title,
        "weight": round(anchor.weight, 6),
        "at": anchor.at.isoformat(),
        "stars": anchor.stars,
        "viewed": anchor.viewed,
        "commented": anchor.commented,
        "tags": list(anchor.tags),
    }


def _anchor_of(item: dict[str, Any]) -> Anchor:
    return Anchor(
        video_id=uuid.UUID(item["video"]),
        title=str(item.get("title") or ""),
        weight=float(item["weight"]),
        at=datetime.fromisoformat(item["at"]),
        stars=int(item.get("stars") or 0),
        viewed=bool(item.get("viewed")),
        commented=bool(item.get("commented")),
        tags=tuple(item.get("tags") or ()),
    )


def interaction_get(user_id: uuid.UUID, video_id: uuid.UUID) -> Interaction | None:
    row = get_table("interactions_by_user").find_one({"userid": user_id, "videoid": video_id})
    if row is None:
        return None
    return Interaction(
        user_id=as_uuid(row["userid"]),
        video_id=as_uuid(row["videoid"]),
        rating=row.get("rating"),
        rated_at=_maybe_datetime(row.get("rated_at")),
        viewed_at=_maybe_datetime(row.get("viewed_at")),
        commented_at=_maybe_datetime(row.get("commented_at")),
    )


def interaction_put(interaction: Interaction) -> None:
    get_table("interactions_by_user").insert_one(
        {
            "userid": interaction.user_id,
            "videoid": interaction.video_id,
            "rating": interaction.rating,
            "rated_at": interaction.rated_at,
            "viewed_at": interaction.viewed_at,
            "commented_at": interaction.commented_at,
        }
    )


def interactions_seen(user_id: uuid.UUID, video_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `video_ids` the user has a row for: one partition, clustering `$in`, 100 ids per request."""
    seen: set[uuid.UUID] = set()
    table = get_table("interactions_by_user")
    for keys in keys_in_chunks(video_ids):
        rows = table.find({"userid": user_id, "videoid": keys}, projection={"videoid": True})
        seen.update(as_uuid(row["videoid"]) for row in rows)
    return seen


def _maybe_datetime(value: Any) -> datetime | None:
    return None if value is None else as_datetime(value)
