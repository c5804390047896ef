"""GET /moderation/audit: the audit log, newest first, or one item's or user's entries."""

from __future__ import annotations

from ninja import Query, Router

from accounts.auth import JWTAuth, Request
from killrvideo.pagination import PageRequest
from killrvideo.schemas import ErrorOut
from moderation import services
from moderation.schemas import AuditOut, AuditPageOut, AuditQuery

router = Router(tags=["moderation"])


@router.get(
    "/moderation/audit", auth=JWTAuth(), response={200: AuditPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
)
def list_audit(request: Request, query: Query[AuditQuery]) -> dict[str, object]:
    page = services.audit_page(
        actor=request.auth,
        request=PageRequest.parse(query.page, query.pageSize),
        content_id=query.contentId,
        actor_id=query.actorId,
    )
    return page.as_api(AuditOut.of)
