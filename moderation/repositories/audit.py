"""The audit log (by day, newest first), each item's or user's entries (by content id) and each actor's
(by actor and day)."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from killrvideo.astra import as_datetime, as_uuid, get_table
from moderation.domain import AuditAction, AuditEntry, day_bucket


def _maybe_uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else as_uuid(value)


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "created_at": entry.created_at,
        "audit_id": entry.audit_id,
        "action": entry.action.value,
        "actor_id": entry.actor_id,
        "content_type": entry.content_type,
        "content_id": entry.content_id,
        "flag_id": entry.flag_id,
        "details": json.dumps(entry.details, sort_keys=True, default=str),
    }


def _from_row(row: Mapping[str, Any]) -> AuditEntry:
    try:
        details = json.loads(row.get("details") or "{}")
    except ValueError:
        details = {}
    return AuditEntry(
        audit_id=as_uuid(row["audit_id"]),
        action=AuditAction(row["action"]),
        actor_id=as_uuid(row["actor_id"]),
        created_at=as_datetime(row["created_at"]),
        content_type=row.get("content_type") or None,
        content_id=_maybe_uuid(row.get("content_id")),
        flag_id=_maybe_uuid(row.get("flag_id")),
        details=details if isinstance(details, dict) else {},
    )


def audit_insert(entry: AuditEntry) -> None:
    """Appended to the day's partition and, when it has a target, to the target's (insert-only: entries are
    never updated or deleted)."""
    row, day = _row(entry), day_bucket(entry.created_at)
    get_table("audit_log").insert_one({**row, "day": day})
    by_actor = {key: value for key, value in row.items() if key != "actor_id"}
    get_table("audit_by_actor").insert_one({**by_actor, "actor_id": entry.actor_id, "day": day})
    if entry.content_id is not None:
        get_table("audit_by_content").insert_one(row)


def _where(actor_id: uuid.UUID | None) -> tuple[str, dict[str, Any]]:
    """The whole log's table, or one actor's (the same rows under the actor's partition key)."""
    return ("audit_log", {}) if actor_id is None else ("audit_by_actor", {"actor_id": actor_id})


def audit_read_day(day: str, limit: int, *, actor_id: uuid.UUID | None = None) -> list[AuditEntry]:
    if limit <= 0:
        return []
    table, key = _where(actor_id)
    return [_from_row(row) for row in get_table(table).find({**key, "day": day}, limit=limit)]


def audit_read_days(
    days: Sequence[str], limit: int, *, actor_id: uuid.UUID | None = None
) -> dict[str, list[AuditEntry]]:
    if not days or limit <= 0:
        return {}
    table, key = _where(actor_id)
    rows = get_table(table).find({**key, "day": {"$in": list(days)}}, limit=limit)
    grouped: dict[str, list[AuditEntry]] = defaultdict(list)
    for row in rows:
        grouped[str(row["day"])].append(_from_row(row))
    return dict(grouped)


def audit_of_content(content_id: uuid.UUID, limit: int) -> list[AuditEntry]:
    rows = get_table("audit_by_content").find({"content_id": content_id}, limit=limit)
    return [_from_row(row) for row in rows]
