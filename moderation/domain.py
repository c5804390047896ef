"""Flags, moderation cases and audit entries: frozen dataclasses and enums, no I/O.

Every report of one item (a video or a comment) while it is undecided belongs to one `Case`: the queue
shows cases (ten reports of one video are one entry with a count), and a moderator's action decides the
case, so every report in it shares its status, moderator, notes and resolution time.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

MAX_REASON_TEXT_LENGTH: Final = 500
MAX_NOTES_LENGTH: Final = 1000
MASK: Final = "••••••"


class ContentType(enum.StrEnum):
    VIDEO = "video"
    COMMENT = "comment"


class ReasonCode(enum.StrEnum):
    SPAM = "spam"
    INAPPROPRIATE = "inappropriate"
    HARASSMENT = "harassment"
    COPYRIGHT = "copyright"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_final(self) -> bool:
        return self in (FlagStatus.APPROVED, FlagStatus.REJECTED)


# What a moderator may set (`open` is only where a case starts).
ACTION_STATUSES: Final = (FlagStatus.UNDER_REVIEW, FlagStatus.APPROVED, FlagStatus.REJECTED)


class AuditAction(enum.StrEnum):
    REPORT = "report"
    UNDER_REVIEW = "under_review"
    APPROVE = "approve"
    REJECT = "reject"
    RESTORE = "restore"
    UNMASK = "unmask"
    ASSIGN_MODERATOR = "assign_moderator"
    REVOKE_MODERATOR = "revoke_moderator"
    GRANT_PERMISSION = "grant_permission"
    REVOKE_PERMISSION = "revoke_permission"

    @classmethod
    def for_status(cls, status: FlagStatus) -> AuditAction:
        return {
            FlagStatus.UNDER_REVIEW: cls.UNDER_REVIEW,
            FlagStatus.APPROVED: cls.APPROVE,
            FlagStatus.REJECTED: cls.REJECT,
        }[status]


def utcnow() -> datetime:
    return datetime.now(UTC)


def month_bucket(when: datetime) -> str:
    """The queue's partition bucket: the month a case was first reported, as YYYY-MM."""
    return when.astimezone(UTC).strftime("%Y-%m")


def day_bucket(when: datetime) -> str:
    """The audit log's partition bucket: the day of the entry, as YYYY-MM-DD (UTC)."""
    return when.astimezone(UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Case:
    """The undecided-or-decided state of one item's reports (one queue entry)."""

    case_id: uuid.UUID
    content_type: ContentType
    content_id: uuid.UUID
    status: FlagStatus
    report_count: int
    first_reported_at: datetime
    first_flag_id: uuid.UUID
    updated_at: datetime
    moderator_id: uuid.UUID | None = None
    moderator_notes: str | None = None
    resolved_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return not self.status.is_final


@dataclass(frozen=True)
class Flag:
    """One user's report. Its status, moderator and notes are its case's."""

    flag_id: uuid.UUID
    content_type: ContentType
    content_id: uuid.UUID
    user_id: uuid.UUID
    reason_code: ReasonCode
    reason_text: str | None
    case_id: uuid.UUID
    created_at: datetime
    # Whether it has free text. A queue row keeps only this, not the text: a flag read from the queue has
    # `reason_text` None and `has_text` set; the text itself is read from `flags` (the audited unmask).
    has_text: bool = False

    def __post_init__(self) -> None:
        if self.reason_text:
            object.__setattr__(self, "has_text", True)


@dataclass(frozen=True)
class FlagView:
    """A flag as a response shows it: the report with its case, the free text masked unless `unmasked`."""

    flag: Flag
    case: Case
    unmasked: bool = False

    @property
    def reason_masked(self) -> bool:
        return self.flag.has_text and not self.unmasked

    @property
    def reason_text(self) -> str | None:
        if not self.flag.has_text:
            return None
        return self.flag.reason_text if self.unmasked else MASK


@dataclass(frozen=True)
class Report:
    """One row of an item's reports (the flag detail lists them all, oldest first)."""

    flag_id: uuid.UUID
    user_id: uuid.UUID
    reason_code: ReasonCode
    case_id: uuid.UUID
    created_at: datetime
    has_text: bool


@dataclass(frozen=True)
class AuditEntry:
    audit_id: uuid.UUID
    action: AuditAction
    actor_id: uuid.UUID
    created_at: datetime
    # "video" / "comment", or "user" for a role change (content_id is then the user's id).
    content_type: str | None = None
    content_id: uuid.UUID | None = None
    flag_id: uuid.UUID | None = None
    details: dict[str, Any] = field(default_factory=dict)
