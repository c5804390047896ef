"""Reports and decisions: a user reports an item, moderators work the queue, an unmask shows a reason.

Every change of one item's reports and case happens under a per-item Redis lock (`flag-item:<type>:<id>`):
the duplicate check, the report count, the status move between queues and the counters are one step, so
concurrent reports count exactly and two moderators acting at once see each other's decision (the second
one's identical action is a no-op; a different decision on a decided case is 409 ALREADY_RESOLVED).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.conf import settings

from accounts import permissions
from accounts.domain import Permission, Role, User
from accounts.permissions import Actor
from killrvideo import cache, ratelimit, redis
from killrvideo.buckets import bucket_slices
from killrvideo.errors import Conflict, NotFound, ValidationFailed
from killrvideo.pagination import Page, PageRequest
from moderation.domain import (
    ACTION_STATUSES,
    MAX_NOTES_LENGTH,
    MAX_REASON_TEXT_LENGTH,
    AuditAction,
    AuditEntry,
    Case,
    ContentType,
    Flag,
    FlagStatus,
    FlagView,
    ReasonCode,
    Report,
    day_bucket,
    utcnow,
)
from moderation.repositories import audit as audit_repo
from moderation.repositories import counts as counts_repo
from moderation.repositories import flags as repo
from moderation.repositories.flags import ALL
from moderation.services import content, counts
from moderation.services.audit import MAX_CONTENT_ENTRIES, audit_record, day_listing_page

logger = logging.getLogger(__name__)

# Months of a queue read at once to find the page's partitions (more are read while they hold too few rows).
MONTHS_READ = 24
MODERATOR_ONLY = "Only moderators can do this."


def _choice(field: str, value: object, choices: type[ContentType] | type[ReasonCode] | type[FlagStatus]) -> str:
    raw = value.value if isinstance(value, ContentType | ReasonCode | FlagStatus) else str(value or "").strip()
    allowed = [choice.value for choice in choices]
    if raw not in allowed:
        raise ValidationFailed.for_field(field, f"{field} must be one of {', '.join(allowed)}.")
    return raw


def parse_content_type(value: object, field: str = "contentType") -> ContentType:
    return ContentType(_choice(field, value, ContentType))


def parse_status(value: object, field: str = "status") -> FlagStatus:
    return FlagStatus(_choice(field, value, FlagStatus))


def _clean_text(field: str, value: object, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed.for_field(field, f"{field} must be text.")
    cleaned = value.replace("\r\n", "\n").strip()
    if len(cleaned) > limit:
        raise ValidationFailed.for_field(field, f"{field} must be at most {limit} characters.")
    return cleaned or None


def _lock_name(content_type: ContentType, content_id: uuid.UUID) -> str:
    return f"flag-item:{content_type.value}:{content_id}"


# ---- reporting --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    content_type: ContentType
    content_id: uuid.UUID
    reason_code: ReasonCode
    reason_text: str | None


def report_input(
    *, content_type: object, content_id: object, reason_code: object, reason_text: object = None
) -> ReportInput:
    """Every rule a report must meet, checked before anything is read or written."""
    kind = parse_content_type(content_type)
    try:
        item_id = content_id if isinstance(content_id, uuid.UUID) else uuid.UUID(str(content_id))
    except ValueError:
        raise ValidationFailed.for_field("contentId", "contentId must be a UUID.") from None
    reason = ReasonCode(_choice("reasonCode", reason_code, ReasonCode))
    text = _clean_text("reasonText", reason_text, MAX_REASON_TEXT_LENGTH)
    return ReportInput(kind, item_id, reason, text)


def flag_report(
    *, actor: Actor, content_type: object, content_id: object, reason_code: object, reason_text: object = None
) -> FlagView:
    """A signed-in user reports a public video or comment: one open report per user per item (409
    ALREADY_REPORTED), rate limited per user. Joins the item's undecided case, or starts a new one."""
    user = permissions.require_signed_in(actor, "Sign in to report content.")
    given = report_input(
        content_type=content_type, content_id=content_id, reason_code=reason_code, reason_text=reason_text
    )
    content.require_public(given.content_type, given.content_id)
    ratelimit.hit(
        "flag", str(user.user_id), limit=settings.FLAG_RATE_LIMIT, window_seconds=settings.FLAG_RATE_WINDOW_SECONDS
    )
    with redis.lock(_lock_name(given.content_type, given.content_id)):
        case = _current_case(given.content_type, given.content_id)
        if _already_reported(case, given, user):
            raise Conflict("You have already reported this. A moderator will look at it.", code="ALREADY_REPORTED")
        joined = case.status if case is not None and case.is_open else FlagStatus.OPEN
        with _queue_changing(given.content_type, joined):
            flag, new_case = _file(user, given, case)
    audit_record(
        actor_id=user.user_id,
        action=AuditAction.REPORT,
        content_type=flag.content_type.value,
        content_id=flag.content_id,
        flag_id=flag.flag_id,
        details={"reasonCode": flag.reason_code.value, "reportCount": new_case.report_count},
    )
    logger.info("Flag %s on %s %s by %s", flag.flag_id, flag.content_type, flag.content_id, user.user_id)
    return FlagView(flag, new_case)


def _already_reported(case: Case | None, given: ReportInput, user: User) -> bool:
    """One open report per user per item: the reporter row names the case this user last reported in."""
    if case is None or not case.is_open:
        return False
    return repo.reporter_case_get(given.content_type, given.content_id, user.user_id) == case.case_id


def _current_case(content_type: ContentType, content_id: uuid.UUID) -> Case | None:
    case_id = repo.item_case_get(content_type, content_id)
    return None if case_id is None else repo.case_get(case_id)


def _file(user: User, given: ReportInput, case: Case | None) -> tuple[Flag, Case]:
    """Under the item's lock: the flag, its report row, the reporter row, then the case and the queue."""
    now, flag_id = utcnow(), uuid.uuid4()
    opens = case is None or not case.is_open
    if opens:
        new_case = Case(
            case_id=uuid.uuid4(),
            content_type=given.content_type,
            content_id=given.content_id,
            status=FlagStatus.OPEN,
            report_count=1,
            first_reported_at=now,
            first_flag_id=flag_id,
            updated_at=now,
        )
    else:
        assert case is not None
        new_case = replace(case, report_count=case.report_count + 1, updated_at=now)
    flag = Flag(
        flag_id=flag_id,
        content_type=given.content_type,
        content_id=given.content_id,
        user_id=user.user_id,
        reason_code=given.reason_code,
        reason_text=given.reason_text,
        case_id=new_case.case_id,
        created_at=now,
    )
    repo.flag_insert(flag)
    repo.report_insert(flag)
    repo.reporter_put(flag)
    repo.user_flag_insert(flag)
    counts.day_listing_appended(day_bucket(now), counts.reporter_scope(user.user_id))
    repo.case_save(new_case)
    repo.queue_put(new_case, _first_flag(new_case, flag))
    if opens:
        repo.item_case_put(given.content_type, given.content_id, new_case.case_id)
        counts.queue_entered(new_case)
    return flag, new_case


def _first_flag(case: Case, known: Flag) -> Flag | None:
    """The case's first report (its queue rows show it): `known` when it is that one, else read by id."""
    return known if known.flag_id == case.first_flag_id else repo.flag_get(case.first_flag_id)


# ---- reading -----------------------------------------------------------------------------------------------


def _flag(flag_id: uuid.UUID) -> tuple[Flag, Case]:
    flag = repo.flag_get(flag_id)
    case = None if flag is None else repo.case_get(flag.case_id)
    if flag is None or case is None:
        raise NotFound("Flag not found.", code="FLAG_NOT_FOUND")
    return flag, case


def flag_get(*, actor: Actor, flag_id: uuid.UUID) -> FlagView:
    permissions.require_role(actor, Role.MODERATOR, message=MODERATOR_ONLY)
    return FlagView(*_flag(flag_id))


def _queue_scope(status: FlagStatus, kind: str) -> str:
    return f"flag-queue:{status.value}:{kind}"


@contextmanager
def _queue_changing(content_type: ContentType, *statuses: FlagStatus) -> Iterator[None]:
    """Around writes to the queues of these statuses (rows and counts): their cached pages are not read
    again once the writes are done, or once they failed part-way."""
    try:
        yield
    finally:
        cache.changed(*(_queue_scope(status, kind) for status in statuses for kind in (ALL, content_type.value)))


def flags_page(
    *, actor: Actor, request: PageRequest, status: FlagStatus = FlagStatus.OPEN, content_type: ContentType | None = None
) -> Page[FlagView]:
    """One queue (a status, optionally one content type), oldest first, one entry per item with its report
    count, and the true total. Cached until a report or decision changes that queue (killrvideo.cache)."""
    permissions.require_role(actor, Role.MODERATOR, message=MODERATOR_ONLY)
    kind = content_type.value if content_type else ALL
    name = f"flag-queue-page:{status.value}:{kind}:{request.offset}:{request.page_size}"
    total, views = cache.cached(name, [_queue_scope(status, kind)], lambda: _queue_page(status, kind, request))
    return Page(views, request.page, request.page_size, total)


def _queue_page(status: FlagStatus, kind: str, request: PageRequest) -> tuple[int, list[FlagView]]:
    """The months holding the page (whole ones in one `$in`), each entry as its queue row holds it."""
    total = counts.queue_total(status, kind)
    if request.offset >= total:
        return total, []
    months = _months_covering(counts.queue_scope(status, kind), request.offset + request.page_size)
    slices = bucket_slices(months, request.offset, request.page_size)
    whole = [piece for piece in slices if piece.whole]
    together = (
        repo.queue_read_buckets(status, kind, [p.bucket for p in whole], sum(p.count for p in whole))
        if len(whole) > 1
        else {}
    )
    entries: list[repo.QueueRow] = []
    for piece in slices:
        rows = together.get(piece.bucket)
        if rows is None:
            rows = repo.queue_read_bucket(status, kind, piece.bucket, piece.stop)
        entries.extend(rows[piece.start : piece.stop])
    return total, _views_of(entries)


def _months_covering(scope: str, rows_needed: int) -> list[tuple[str, int]]:
    found = counts_repo.queue_buckets_read(scope, MONTHS_READ)
    while found and len(found) % MONTHS_READ == 0 and sum(n for _, n in found) < rows_needed:
        more = counts_repo.queue_buckets_read(scope, MONTHS_READ, after=found[-1][0])
        found.extend(more)
        if len(more) < MONTHS_READ:
            break
    return found


def _views_of(entries: Sequence[repo.QueueRow]) -> list[FlagView]:
    """Each case with its first flag, as its queue row holds them; a row without them (written before queue
    rows held them) has its case and flag read by id: two `$in` reads for all such rows of the page."""
    missing = [entry.case_id for entry in entries if entry.view is None]
    cases = repo.cases_get_many(missing)
    flags = repo.flags_get_many([case.first_flag_id for case in cases.values()])
    views = []
    for entry in entries:
        case = cases.get(entry.case_id)
        flag = flags.get(case.first_flag_id) if case else None
        if entry.view is not None:
            views.append(entry.view)
        elif case is not None and flag is not None:
            views.append(FlagView(flag, case))
    return views


def flags_of_reporter(*, actor: Actor, request: PageRequest) -> Page[FlagView]:
    """The signed-in user's own reports, newest first, each with its case's state (the text stays masked:
    nobody reads free text back without the audited unmask, not even from a list)."""
    user = permissions.require_signed_in(actor, "Sign in to see your reports.")

    def views(flag_ids: list[uuid.UUID]) -> list[FlagView]:
        flags = repo.flags_get_many(flag_ids)
        cases = repo.cases_get_many({flag.case_id for flag in flags.values()})
        return [
            FlagView(flags[flag_id], cases[flags[flag_id].case_id])
            for flag_id in flag_ids
            if flag_id in flags and flags[flag_id].case_id in cases
        ]

    page = day_listing_page(
        counts.reporter_scope(user.user_id),
        request,
        lambda day, limit: repo.user_flag_ids_day(user.user_id, day, limit),
        lambda days, limit: repo.user_flag_ids_days(user.user_id, days, limit),
    )
    return Page(views(list(page.items)), page.page, page.page_size, page.total)


def queue_counts(*, actor: Actor, content_type: ContentType | None = None) -> dict[FlagStatus, int]:
    """Entries per status (the dashboard's tabs)."""
    permissions.require_role(actor, Role.MODERATOR, message=MODERATOR_ONLY)
    kind = content_type.value if content_type else ALL
    return {status: counts.queue_total(status, kind) for status in FlagStatus}


@dataclass(frozen=True)
class FlagDetail:
    view: FlagView
    reports: list[Report]
    history: list[AuditEntry]
    preview: content.ContentPreview


def flag_detail(*, actor: Actor, flag_id: uuid.UUID) -> FlagDetail:
    """The flag, every report of its item (all cases, oldest first), the item's audit history (newest
    first) and a preview of the content, removed or not."""
    moderator = permissions.require_role(actor, Role.MODERATOR, message=MODERATOR_ONLY)
    flag, case = _flag(flag_id)
    return FlagDetail(
        view=FlagView(flag, case),
        reports=repo.reports_of(flag.content_type, flag.content_id),
        history=audit_repo.audit_of_content(flag.content_id, MAX_CONTENT_ENTRIES),
        preview=content.preview(moderator=moderator, content_type=flag.content_type, content_id=flag.content_id),
    )


# ---- decisions ---------------------------------------------------------------------------------------------


def flag_act(*, actor: Actor, flag_id: uuid.UUID, status: object, notes: object = None) -> FlagView:
    """A moderator decides the flag's case: under review, approved (the content is soft-deleted) or rejected.
    The same decision again changes nothing; another decision on a decided case is 409."""
    moderator = permissions.require_role(actor, Role.MODERATOR, message=MODERATOR_ONLY)
    wanted = parse_status(status)
    if wanted not in ACTION_STATUSES:
        raise ValidationFailed.for_field("status", "status must be one of under_review, approved, rejected.")
    cleaned_notes = _clean_text("moderatorNotes", notes, MAX_NOTES_LENGTH)
    flag, _ = _flag(flag_id)
    with redis.lock(_lock_name(flag.content_type, flag.content_id)):
        case = repo.case_get(flag.case_id)
        assert case is not None  # cases are never deleted
        if case.status is wanted:
            return FlagView(flag, case)
        if case.status.is_final:
            raise Conflict(f"This report was already {case.status.label.lower()}.", code="ALREADY_RESOLVED")
        if wanted is FlagStatus.APPROVED:
            content.remove(moderator=moderator, content_type=case.content_type, content_id=case.content_id)
        now = utcnow()
        decided = replace(
            case,
            status=wanted,
            moderator_id=moderator.user_id,
            moderator_notes=cleaned_notes,
            updated_at=now,
            resolved_at=now if wanted.is_final else None,
        )
        with _queue_changing(case.content_type, case.status, wanted):
            repo.case_save(decided)
            repo.queue_delete(case)
            repo.queue_put(decided, _first_flag(decided, flag))
            counts.queue_moved(case, decided)
        audit_record(
            actor_id=moderator.user_id,
            action=AuditAction.for_status(wanted),
            content_type=case.content_type.value,
            content_id=case.content_id,
            flag_id=flag.flag_id,
            details={"from": case.status.value, "to": wanted.value, "notes": cleaned_notes or ""},
        )
    logger.info("Flag %s: case %s %s by %s", flag_id, case.case_id, wanted, moderator.user_id)
    return FlagView(flag, decided)


def flag_unmask(*, actor: Actor, flag_id: uuid.UUID) -> FlagView:
    """The reporter's free text in clear, for moderators holding the `unmask` permission; audited first."""
    permissions.require_role(actor, Role.MODERATOR, message=MODERATOR_ONLY)
    user = permissions.require_perm(actor, Permission.UNMASK)
    flag, case = _flag(flag_id)
    audit_record(
        actor_id=user.user_id,
        action=AuditAction.UNMASK,
        content_type=flag.content_type.value,
        content_id=flag.content_id,
        flag_id=flag.flag_id,
    )
    return FlagView(flag, case, unmasked=True)


def content_restore(*, actor: Actor, content_type: ContentType, content_id: uuid.UUID) -> bool:
    """A moderator brings removed content back everywhere. Idempotent: restoring what is not removed changes
    nothing and writes no audit entry. Returns whether it was restored now."""
    moderator = permissions.require_role(actor, Role.MODERATOR, message="Only moderators can restore content.")
    with redis.lock(_lock_name(content_type, content_id)):
        current = content.preview(moderator=moderator, content_type=content_type, content_id=content_id)
        if current.missing:
            what = "Video" if content_type is ContentType.VIDEO else "Comment"
            raise NotFound(f"{what} not found.", code=f"{content_type.value.upper()}_NOT_FOUND")
        if not current.removed:
            return False
        content.restore(moderator=moderator, content_type=content_type, content_id=content_id)
        audit_record(
            actor_id=moderator.user_id,
            action=AuditAction.RESTORE,
            content_type=content_type.value,
            content_id=content_id,
        )
    return True
