"""Reports and the moderator's flag endpoints: POST /flags, the queue, one flag, actions, unmask, restores."""

from __future__ import annotations

import uuid
from http import HTTPStatus

from django.http import HttpResponse
from ninja import Query, Router, Status

from accounts.auth import JWTAuth, Request
from killrvideo.pagination import PageRequest
from killrvideo.schemas import ErrorOut, page_json
from moderation import services
from moderation.domain import ContentType, FlagStatus
from moderation.schemas import FlagActionIn, FlagIn, FlagOut, FlagPageOut, FlagsQuery, PageQuery, RestoreOut

router = Router(tags=["moderation"])

AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@router.post(
    "/flags", auth=JWTAuth(), response={201: FlagOut, **AUTH_ERRORS, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}
)
def create_flag(request: Request, payload: FlagIn) -> Status[FlagOut]:
    view = services.flag_report(
        actor=request.auth,
        content_type=payload.contentType,
        content_id=payload.contentId,
        reason_code=payload.reasonCode,
        reason_text=payload.reasonText,
    )
    return Status(HTTPStatus.CREATED, FlagOut.of(view))


@router.get("/flags/mine", auth=JWTAuth(), response={200: FlagPageOut, 401: ErrorOut, 422: ErrorOut})
def list_my_flags(request: Request, query: Query[PageQuery]) -> dict[str, object]:
    """Beyond the contract: the caller's own reports, newest first, with their state (text masked)."""
    page = services.flags_of_reporter(actor=request.auth, request=PageRequest.parse(query.page, query.pageSize))
    return page.as_api(FlagOut.of)


@router.get("/moderation/flags", auth=JWTAuth(), response={200: FlagPageOut, **AUTH_ERRORS})
def list_flags(request: Request, query: Query[FlagsQuery]) -> HttpResponse:
    page = services.flags_page(
        actor=request.auth,
        request=PageRequest.parse(query.page, query.pageSize),
        status=query.status or FlagStatus.OPEN,
        content_type=query.contentType,
    )
    return page_json(page, FlagOut.fields)


@router.get("/moderation/flags/{flag_id}", auth=JWTAuth(), response={200: FlagOut, **AUTH_ERRORS, 404: ErrorOut})
def get_flag(request: Request, flag_id: uuid.UUID) -> FlagOut:
    return FlagOut.of(services.flag_get(actor=request.auth, flag_id=flag_id))


@router.post(
    "/moderation/flags/{flag_id}/action",
    auth=JWTAuth(),
    response={200: FlagOut, **AUTH_ERRORS, 404: ErrorOut, 409: ErrorOut},
)
def act_on_flag(request: Request, flag_id: uuid.UUID, payload: FlagActionIn) -> FlagOut:
    view = services.flag_act(actor=request.auth, flag_id=flag_id, status=payload.status, notes=payload.moderatorNotes)
    return FlagOut.of(view)


@router.post(
    "/moderation/flags/{flag_id}/unmask", auth=JWTAuth(), response={200: FlagOut, **AUTH_ERRORS, 404: ErrorOut}
)
def unmask_flag(request: Request, flag_id: uuid.UUID) -> FlagOut:
    return FlagOut.of(services.flag_unmask(actor=request.auth, flag_id=flag_id))


def _restore(request: Request, content_type: ContentType, content_id: uuid.UUID) -> RestoreOut:
    services.content_restore(actor=request.auth, content_type=content_type, content_id=content_id)
    return RestoreOut(content_id=content_id, content_type=content_type, status_message="restored")


@router.post(
    "/moderation/videos/{video_id}/restore", auth=JWTAuth(), response={200: RestoreOut, **AUTH_ERRORS, 404: ErrorOut}
)
def restore_video(request: Request, video_id: uuid.UUID) -> RestoreOut:
    return _restore(request, ContentType.VIDEO, video_id)


@router.post(
    "/moderation/comments/{comment_id}/restore",
    auth=JWTAuth(),
    response={200: RestoreOut, **AUTH_ERRORS, 404: ErrorOut},
)
def restore_comment(request: Request, comment_id: uuid.UUID) -> RestoreOut:
    return _restore(request, ContentType.COMMENT, comment_id)
