"""The audit log: every report, decision, restore, unmask and role change, append-only.

Written by the moderation services themselves (never by the views), before the action's result is shown:
an unmask is on record before its clear text leaves the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from accounts import permissions
from accounts.domain import Role
from accounts.permissions import Actor
from killrvideo.buckets import bucket_slices
from killrvideo.pagination import Page, PageRequest
from moderation.domain import AuditAction, AuditEntry, day_bucket, utcnow
from moderation.repositories import audit as repo
from moderation.repositories import counts as counts_repo
from moderation.services import counts

# Days of the log read at once to find the page's partitions (more are read while they hold too few rows).
DAYS_READ = 31
# The entries of one item or user: a small, bounded partition read whole for its page and true total.
MAX_CONTENT_ENTRIES = 1000

T = TypeVar("T")


def audit_record(
    *,
    actor_id: uuid.UUID,
    action: AuditAction,
    content_type: str | None = None,
    content_id: uuid.UUID | None = None,
    flag_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        audit_id=uuid.uuid4(),
        action=action,
        actor_id=actor_id,
        created_at=utcnow(),
        content_type=content_type,
        content_id=content_id,
        flag_id=flag_id,
        details=details or {},
    )
    repo.audit_insert(entry)
    counts.day_listing_appended(day_bucket(entry.created_at), counts.AUDIT_SCOPE, counts.actor_scope(actor_id))
    return entry


def audit_page(
    *,
    actor: Actor,
    request: PageRequest,
    content_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
) -> Page[AuditEntry]:
    """Newest first, with the true total: the whole log or one actor's entries by day partitions, or one
    item's or user's entries."""
    permissions.require_role(actor, Role.MODERATOR, message="Only moderators can read the audit log.")
    if content_id is not None:
        entries = repo.audit_of_content(content_id, MAX_CONTENT_ENTRIES)
        if actor_id is not None:
            entries = [entry for entry in entries if entry.actor_id == actor_id]
        end = request.offset + request.page_size
        return Page(entries[request.offset : end], request.page, request.page_size, len(entries))
    scope = counts.AUDIT_SCOPE if actor_id is None else counts.actor_scope(actor_id)
    return day_listing_page(
        scope,
        request,
        lambda day, limit: repo.audit_read_day(day, limit, actor_id=actor_id),
        lambda days, limit: repo.audit_read_days(days, limit, actor_id=actor_id),
    )


def day_listing_page(
    scope: str,
    request: PageRequest,
    read_day: Callable[[str, int], list[T]],
    read_days: Callable[[Sequence[str], int], dict[str, list[T]]],
) -> Page[T]:
    """Page N of a listing partitioned by day, newest first, with its true total: only the days holding the
    page's rows are read (the partial first one, the whole middle ones with one `$in`, the partial last)."""
    total = counts.day_listing_total(scope)
    if request.offset >= total:
        return Page([], request.page, request.page_size, total)
    days = _days_covering(scope, request.offset + request.page_size)
    slices = bucket_slices(days, request.offset, request.page_size)
    whole = [piece for piece in slices if piece.whole]
    together = read_days([p.bucket for p in whole], sum(p.count for p in whole)) if len(whole) > 1 else {}
    items: list[T] = []
    for piece in slices:
        rows = together.get(piece.bucket)
        if rows is None:
            rows = read_day(piece.bucket, piece.stop)
        items.extend(rows[piece.start : piece.stop])
    return Page(items, request.page, request.page_size, total)


def _days_covering(scope: str, rows_needed: int) -> list[tuple[str, int]]:
    found = counts_repo.audit_days_read(scope, DAYS_READ)
    while len(found) % DAYS_READ == 0 and found and sum(n for _, n in found) < rows_needed:
        more = counts_repo.audit_days_read(scope, DAYS_READ, before=found[-1][0])
        found.extend(more)
        if len(more) < DAYS_READ:
            break
    return found
