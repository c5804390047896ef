"""Flags, the reports of an item, the duplicate check, cases and the queue rows."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from killrvideo.astra import as_datetime, as_uuid, get_table, keys_in_chunks, maybe_datetime
from moderation.domain import (
    Case,
    ContentType,
    Flag,
    FlagStatus,
    FlagView,
    ReasonCode,
    Report,
    day_bucket,
    month_bucket,
)

ALL = "all"
# Reports of one item read for its detail page (a bounded partition: one row per report).
MAX_REPORTS_READ = 1000


def _maybe_uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else as_uuid(value)


# ---- flags (by id) ---------------------------------------------------------------------------------------


def _flag_from_row(row: Mapping[str, Any]) -> Flag:
    return Flag(
        flag_id=as_uuid(row["flag_id"]),
        content_type=ContentType(row["content_type"]),
        content_id=as_uuid(row["content_id"]),
        user_id=as_uuid(row["user_id"]),
        reason_code=ReasonCode(row["reason_code"]),
        reason_text=row.get("reason_text") or None,
        case_id=as_uuid(row["case_id"]),
        created_at=as_datetime(row["created_at"]),
    )


def flag_insert(flag: Flag) -> None:
    get_table("flags").insert_one(
        {
            "flag_id": flag.flag_id,
            "content_type": flag.content_type.value,
            "content_id": flag.content_id,
            "user_id": flag.user_id,
            "reason_code": flag.reason_code.value,
            "reason_text": flag.reason_text,
            "case_id": flag.case_id,
            "created_at": flag.created_at,
        }
    )


def flag_get(flag_id: uuid.UUID) -> Flag | None:
    row = get_table("flags").find_one({"flag_id": flag_id})
    return None if row is None else _flag_from_row(row)


def flags_get_many(flag_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Flag]:
    table = get_table("flags")
    return {
        flag.flag_id: flag
        for keys in keys_in_chunks(flag_ids)
        for flag in map(_flag_from_row, table.find({"flag_id": keys}, limit=len(keys["$in"])))
    }


# ---- a reporter's own reports (by user and day, newest first) ------------------------------------------


def user_flag_insert(flag: Flag) -> None:
    get_table("flags_by_user").insert_one(
        {
            "user_id": flag.user_id,
            "day": day_bucket(flag.created_at),
            "created_at": flag.created_at,
            "flag_id": flag.flag_id,
        }
    )


def user_flag_ids_day(user_id: uuid.UUID, day: str, limit: int) -> list[uuid.UUID]:
    if limit <= 0:
        return []
    rows = get_table("flags_by_user").find({"user_id": user_id, "day": day}, projection={"flag_id": True}, limit=limit)
    return [as_uuid(row["flag_id"]) for row in rows]


def user_flag_ids_days(user_id: uuid.UUID, days: Sequence[str], limit: int) -> dict[str, list[uuid.UUID]]:
    if not days or limit <= 0:
        return {}
    rows = get_table("flags_by_user").find(
        {"user_id": user_id, "day": {"$in": list(days)}}, projection={"day": True, "flag_id": True}, limit=limit
    )
    grouped: dict[str, list[uuid.UUID]] = defaultdict(list)
    for row in rows:
        grouped[str(row["day"])].append(as_uuid(row["flag_id"]))
    return dict(grouped)


# ---- the reports of an item, and who reported it ---------------------------------------------------------


def report_insert(flag: Flag) -> None:
    get_table("flags_by_content").insert_one(
        {
            "content_type": flag.content_type.value,
            "content_id": flag.content_id,
            "created_at": flag.created_at,
            "flag_id": flag.flag_id,
            "user_id": flag.user_id,
            "reason_code": flag.reason_code.value,
            "case_id": flag.case_id,
            "has_text": bool(flag.reason_text),
        }
    )


def reports_of(content_type: ContentType, content_id: uuid.UUID, *, limit: int = MAX_REPORTS_READ) -> list[Report]:
    rows = get_table("flags_by_content").find(
        {"content_type": content_type.value, "content_id": content_id}, limit=limit
    )
    return [
        Report(
            flag_id=as_uuid(row["flag_id"]),
            user_id=as_uuid(row["user_id"]),
            reason_code=ReasonCode(row["reason_code"]),
            case_id=as_uuid(row["case_id"]),
            created_at=as_datetime(row["created_at"]),
            has_text=bool(row.get("has_text")),
        )
        for row in rows
    ]


def reporter_case_get(content_type: ContentType, content_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID | None:
    """The case in which this user last reported this item (None: never)."""
    row = get_table("flag_reporters").find_one(
        {"content_type": content_type.value, "content_id": content_id, "user_id": user_id}
    )
    return None if row is None else as_uuid(row["case_id"])


def reporter_put(flag: Flag) -> None:
    get_table("flag_reporters").insert_one(
        {
            "content_type": flag.content_type.value,
            "content_id": flag.content_id,
            "user_id": flag.user_id,
            "flag_id": flag.flag_id,
            "case_id": flag.case_id,
        }
    )


# ---- items and cases --------------------------------------------------------------------------------------


def item_case_get(content_type: ContentType, content_id: uuid.UUID) -> uuid.UUID | None:
    row = get_table("flag_items").find_one({"content_type": content_type.value, "content_id": content_id})
    return None if row is None else as_uuid(row["case_id"])


def item_case_put(content_type: ContentType, content_id: uuid.UUID, case_id: uuid.UUID) -> None:
    get_table("flag_items").insert_one(
        {"content_type": content_type.value, "content_id": content_id, "case_id": case_id}
    )


def _case_from_row(row: Mapping[str, Any]) -> Case:
    return Case(
        case_id=as_uuid(row["case_id"]),
        content_type=ContentType(row["content_type"]),
        content_id=as_uuid(row["content_id"]),
        status=FlagStatus(row["status"]),
        report_count=int(row.get("report_count") or 0),
        first_reported_at=as_datetime(row["first_reported_at"]),
        first_flag_id=as_uuid(row["first_flag_id"]),
        updated_at=as_datetime(row["updated_at"]),
        moderator_id=_maybe_uuid(row.get("moderator_id")),
        moderator_notes=row.get("moderator_notes") or None,
        resolved_at=maybe_datetime(row.get("resolved_at")),
    )


def case_get(case_id: uuid.UUID) -> Case | None:
    row = get_table("flag_cases").find_one({"case_id": case_id})
    return None if row is None else _case_from_row(row)


def cases_get_many(case_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Case]:
    table = get_table("flag_cases")
    return {
        case.case_id: case
        for keys in keys_in_chunks(case_ids)
        for case in map(_case_from_row, table.find({"case_id": keys}, limit=len(keys["$in"])))
    }


def case_save(case: Case) -> None:
    get_table("flag_cases").insert_one(
        {
            "case_id": case.case_id,
            "content_type": case.content_type.value,
            "content_id": case.content_id,
            "status": case.status.value,
            "report_count": case.report_count,
            "first_reported_at": case.first_reported_at,
            "first_flag_id": case.first_flag_id,
            "updated_at": case.updated_at,
            "moderator_id": case.moderator_id,
            "moderator_notes": case.moderator_notes,
            "resolved_at": case.resolved_at,
        }
    )


# ---- the queue ------------------------------------------------------------------------------------------


def queue_kinds(case: Case) -> tuple[str, str]:
    return ALL, case.content_type.value


def queue_put(case: Case, first: Flag | None) -> None:
    """Both copies of the case's queue row (an upsert by key: a new report count just overwrites), holding
    what the queue shows of the case and of its first report. Without `first` (not found), the row is
    written without it, and a read of the queue finds that entry's case and flag by id."""
    common: dict[str, Any] = {
        "status": case.status.value,
        "bucket": month_bucket(case.first_reported_at),
        "first_reported_at": case.first_reported_at,
        "case_id": case.case_id,
        "content_type": case.content_type.value,
        "content_id": case.content_id,
        "first_flag_id": case.first_flag_id,
        "report_count": case.report_count,
        "updated_at": case.updated_at,
        "moderator_id": case.moderator_id,
        "moderator_notes": case.moderator_notes,
        "resolved_at": case.resolved_at,
    }
    if first is not None:
        common |= {
            "first_user_id": first.user_id,
            "first_reason_code": first.reason_code.value,
            "first_has_text": first.has_text,
        }
    get_table("flag_queue").insert_many([{**common, "kind": kind} for kind in queue_kinds(case)])


@dataclass(frozen=True)
class QueueRow:
    case_id: uuid.UUID
    # The entry as the queue shows it; None for a row without its first report (written before queue rows
    # held one), whose case and flag are then read by id.
    view: FlagView | None


def _queue_row(row: Mapping[str, Any]) -> QueueRow:
    case_id = as_uuid(row["case_id"])
    if row.get("first_reason_code") is None or row.get("updated_at") is None:
        return QueueRow(case_id, None)
    case = _case_from_row(row)
    first = Flag(
        flag_id=case.first_flag_id,
        content_type=case.content_type,
        content_id=case.content_id,
        user_id=as_uuid(row["first_user_id"]),
        reason_code=ReasonCode(row["first_reason_code"]),
        reason_text=None,
        case_id=case_id,
        # A case opens with its first report: both carry the same instant (services.flags._file).
        created_at=case.first_reported_at,
        has_text=bool(row.get("first_has_text")),
    )
    return QueueRow(case_id, FlagView(first, case))


def queue_delete(case: Case) -> None:
    for kind in queue_kinds(case):
        get_table("flag_queue").delete_one(
            {
                "status": case.status.value,
                "kind": kind,
                "bucket": month_bucket(case.first_reported_at),
                "first_reported_at": case.first_reported_at,
                "case_id": case.case_id,
            }
        )


def queue_read_bucket(status: FlagStatus, kind: str, bucket: str, limit: int) -> list[QueueRow]:
    """One month of a queue, oldest first (a range of one partition)."""
    if limit <= 0:
        return []
    rows = get_table("flag_queue").find({"status": status.value, "kind": kind, "bucket": bucket}, limit=limit)
    return [_queue_row(row) for row in rows]


def queue_read_buckets(status: FlagStatus, kind: str, buckets: Sequence[str], limit: int) -> dict[str, list[QueueRow]]:
    """Whole months in one `$in` read, grouped by month (each partition in clustering order)."""
    if not buckets or limit <= 0:
        return {}
    rows = get_table("flag_queue").find(
        {"status": status.value, "kind": kind, "bucket": {"$in": list(buckets)}}, limit=limit
    )
    grouped: dict[str, list[QueueRow]] = defaultdict(list)
    for row in rows:
        grouped[str(row["bucket"])].append(_queue_row(row))
    return dict(grouped)
