"""JSON shapes of the moderation endpoints (field names exactly as in the contract)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from catalog.schemas import PaginationOut
from killrvideo.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE
from killrvideo.schemas import InputSchema
from moderation.domain import (
    MAX_NOTES_LENGTH,
    MAX_REASON_TEXT_LENGTH,
    AuditEntry,
    ContentType,
    FlagStatus,
    FlagView,
    ReasonCode,
)


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    pageSize: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class FlagsQuery(PageQuery):
    status: FlagStatus | None = Field(None, description="queue to list (default: open)")
    contentType: ContentType | None = None


class AuditQuery(PageQuery):
    contentId: uuid.UUID | None = None
    actorId: uuid.UUID | None = Field(None, description="only what this user did (beyond the contract)")


class FlagIn(InputSchema):
    contentType: ContentType
    contentId: uuid.UUID
    reasonCode: ReasonCode
    # Bounded here too so an oversized body is refused before any work; the service says the same in words.
    reasonText: str | None = Field(None, max_length=MAX_REASON_TEXT_LENGTH)


class FlagActionIn(InputSchema):
    status: Literal["under_review", "approved", "rejected"]
    moderatorNotes: str | None = Field(None, max_length=MAX_NOTES_LENGTH)


class FlagOut(Schema):
    flagId: uuid.UUID
    contentType: ContentType
    contentId: uuid.UUID
    reasonCode: ReasonCode
    reasonText: str | None
    reasonMasked: bool
    status: FlagStatus
    userId: uuid.UUID
    createdAt: datetime
    updatedAt: datetime
    moderatorId: uuid.UUID | None
    moderatorNotes: str | None
    resolvedAt: datetime | None
    # Reports in the same case (ten reports of one item are one queue entry); not in the reference shape.
    reportCount: int

    @classmethod
    def of(cls, view: FlagView) -> FlagOut:
        return cls(**cls.fields(view))

    @staticmethod
    def fields(view: FlagView) -> dict[str, Any]:
        """The same values as plain data (killrvideo.schemas.page_json)."""
        flag, case = view.flag, view.case
        return {
            "flagId": flag.flag_id,
            "contentType": flag.content_type.value,
            "contentId": flag.content_id,
            "reasonCode": flag.reason_code.value,
            "reasonText": view.reason_text,
            "reasonMasked": view.reason_masked,
            "status": case.status.value,
            "userId": flag.user_id,
            "createdAt": flag.created_at,
            "updatedAt": max(flag.created_at, case.updated_at),
            "moderatorId": case.moderator_id,
            "moderatorNotes": case.moderator_notes,
            "resolvedAt": case.resolved_at,
            "reportCount": case.report_count,
        }


class FlagPageOut(Schema):
    data: list[FlagOut]
    pagination: PaginationOut


class AuditOut(Schema):
    auditId: uuid.UUID
    action: str
    actorId: uuid.UUID
    contentType: str | None
    contentId: uuid.UUID | None
    flagId: uuid.UUID | None
    details: dict[str, Any]
    createdAt: datetime

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditOut:
        return cls(
            auditId=entry.audit_id,
            action=entry.action.value,
            actorId=entry.actor_id,
            contentType=entry.content_type,
            contentId=entry.content_id,
            flagId=entry.flag_id,
            details=entry.details,
            createdAt=entry.created_at,
        )


class AuditPageOut(Schema):
    data: list[AuditOut]
    pagination: PaginationOut


class RestoreOut(Schema):
    content_id: uuid.UUID
    content_type: ContentType
    status_message: str


class UsersQuery(Schema):
    q: str = Field("", max_length=200)
