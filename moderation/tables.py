"""Moderation tables, one per query (Cassandra style): flags by id, the reports of an item, the duplicate
check, cases, the queue per status, and the audit log.

Bounded partitions everywhere:
- the queue is partitioned by (status, kind, month the case was first reported), clustered oldest first, and
  each row is written twice, under kind "all" and under its content type, so every filter is a range read;
- the audit log is partitioned by day, newest first; each entry is also filed under its content id.
Row counts of the queue's and the audit log's partitions are Redis counters written through to
`flag_queue_buckets` / `audit_days` (true totals, and page N reads only the partitions holding it).
"""

from __future__ import annotations

from killrvideo.schema import TableSpec

FLAGS = TableSpec(
    name="flags",
    columns={
        "flag_id": "uuid",
        "content_type": "text",
        "content_id": "uuid",
        "user_id": "uuid",
        "reason_code": "text",
        "reason_text": "text",
        "case_id": "uuid",
        "created_at": "timestamp",
    },
    partition_by=("flag_id",),
    serves="a flag by id (flag detail, unmask, the flag a queue entry links to); the source of truth",
)

FLAGS_BY_CONTENT = TableSpec(
    name="flags_by_content",
    columns={
        "content_type": "text",
        "content_id": "uuid",
        "created_at": "timestamp",
        "flag_id": "uuid",
        "user_id": "uuid",
        "reason_code": "text",
        "case_id": "uuid",
        "has_text": "boolean",
    },
    partition_by=("content_type", "content_id"),
    partition_sort={"created_at": 1, "flag_id": 1},
    serves="every report of one item, oldest first (flag detail: all reports of the item with their reason codes)",
)

FLAG_REPORTERS = TableSpec(
    name="flag_reporters",
    columns={"content_type": "text", "content_id": "uuid", "user_id": "uuid", "flag_id": "uuid", "case_id": "uuid"},
    partition_by=("content_type", "content_id", "user_id"),
    serves="has this user already reported this item in its current case? (a second report is 409)",
)

FLAG_ITEMS = TableSpec(
    name="flag_items",
    columns={"content_type": "text", "content_id": "uuid", "case_id": "uuid"},
    partition_by=("content_type", "content_id"),
    serves="the current case of an item (a new report joins it while undecided, else starts a new one)",
)

FLAG_CASES = TableSpec(
    name="flag_cases",
    columns={
        "case_id": "uuid",
        "content_type": "text",
        "content_id": "uuid",
        "status": "text",
        "report_count": "int",
        "first_reported_at": "timestamp",
        "first_flag_id": "uuid",
        "updated_at": "timestamp",
        "moderator_id": "uuid",
        "moderator_notes": "text",
        "resolved_at": "timestamp",
    },
    partition_by=("case_id",),
    serves="a case by id: status, report count, moderator and notes shared by its flags ($in for a page of flags)",
)

FLAG_QUEUE = TableSpec(
    name="flag_queue",
    columns={
        "status": "text",
        "kind": "text",
        "bucket": "text",
        "first_reported_at": "timestamp",
        "case_id": "uuid",
        "content_type": "text",
        "content_id": "uuid",
        "first_flag_id": "uuid",
        "report_count": "int",
        # What a queue entry shows, so a page is one range read: the case's state and its first report.
        "updated_at": "timestamp",
        "moderator_id": "uuid",
        "moderator_notes": "text",
        "resolved_at": "timestamp",
        "first_user_id": "uuid",
        "first_reason_code": "text",
        "first_has_text": "boolean",
    },
    partition_by=("status", "kind", "bucket"),
    partition_sort={"first_reported_at": 1, "case_id": 1},
    serves=(
        "the moderation queue: cases of one status, oldest first, one partition per (status, kind, month); "
        "kind is 'all' or the content type, so each filter is a range read (/moderation, GET /moderation/flags); "
        "each row holds its case and first report as the queue shows them (rewritten with the case)"
    ),
)

FLAG_QUEUE_BUCKETS = TableSpec(
    name="flag_queue_buckets",
    columns={"scope": "text", "bucket": "text", "total": "bigint"},
    partition_by=("scope",),
    partition_sort={"bucket": 1},
    serves=(
        "which months of a queue ('<status>:<kind>') hold cases and how many, oldest first (jump to the "
        "month of page N); durable copy of the Redis counts"
    ),
)

MODERATION_TOTALS = TableSpec(
    name="moderation_totals",
    columns={"key": "text", "total": "bigint"},
    partition_by=("key",),
    serves="true totals ('queue:<status>:<kind>', 'audit:all'): counts per status; durable copy of Redis",
)

AUDIT_LOG = TableSpec(
    name="audit_log",
    columns={
        "day": "text",
        "created_at": "timestamp",
        "audit_id": "uuid",
        "action": "text",
        "actor_id": "uuid",
        "content_type": "text",
        "content_id": "uuid",
        "flag_id": "uuid",
        "details": "text",
    },
    partition_by=("day",),
    partition_sort={"created_at": -1, "audit_id": 1},
    serves=(
        "the audit log, newest first, one partition per UTC day, append-only (/moderation/audit, GET /moderation/audit)"
    ),
)

AUDIT_BY_CONTENT = TableSpec(
    name="audit_by_content",
    columns={
        "content_id": "uuid",
        "created_at": "timestamp",
        "audit_id": "uuid",
        "action": "text",
        "actor_id": "uuid",
        "content_type": "text",
        "flag_id": "uuid",
        "details": "text",
    },
    partition_by=("content_id",),
    partition_sort={"created_at": -1, "audit_id": 1},
    serves=(
        "the audit entries of one item or user, newest first (flag detail's history, GET /moderation/audit?contentId=)"
    ),
)

AUDIT_BY_ACTOR = TableSpec(
    name="audit_by_actor",
    columns={
        "actor_id": "uuid",
        "day": "text",
        "created_at": "timestamp",
        "audit_id": "uuid",
        "action": "text",
        "content_type": "text",
        "content_id": "uuid",
        "flag_id": "uuid",
        "details": "text",
    },
    partition_by=("actor_id", "day"),
    partition_sort={"created_at": -1, "audit_id": 1},
    serves=(
        "what one moderator (or reporter) did, newest first, one partition per actor and UTC day "
        "(/moderation/audit?actor=, GET /moderation/audit?actorId=)"
    ),
)

FLAGS_BY_USER = TableSpec(
    name="flags_by_user",
    columns={
        "user_id": "uuid",
        "day": "text",
        "created_at": "timestamp",
        "flag_id": "uuid",
    },
    partition_by=("user_id", "day"),
    partition_sort={"created_at": -1, "flag_id": 1},
    serves=(
        "a reporter's own reports, newest first, one partition per user and UTC day; the flags and their "
        "cases are read by $in (/reports, GET /flags/mine)"
    ),
)

AUDIT_DAYS = TableSpec(
    name="audit_days",
    columns={"scope": "text", "day": "text", "total": "bigint"},
    partition_by=("scope",),
    partition_sort={"day": -1},
    serves=(
        "which days of a day-partitioned listing hold rows and how many, newest first (page N reads only its "
        "days); scope 'all' (the audit log), 'actor:<id>' or 'reporter:<id>'; durable copy of the Redis counts"
    ),
)

TABLES = [
    FLAGS,
    FLAGS_BY_CONTENT,
    FLAG_REPORTERS,
    FLAG_ITEMS,
    FLAG_CASES,
    FLAG_QUEUE,
    FLAG_QUEUE_BUCKETS,
    MODERATION_TOTALS,
    AUDIT_LOG,
    AUDIT_BY_CONTENT,
    AUDIT_BY_ACTOR,
    FLAGS_BY_USER,
    AUDIT_DAYS,
]
