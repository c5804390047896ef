"""Videos endpoints of the contract."""

from __future__ import annotations

import uuid
from http import HTTPStatus

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from accounts.auth import JWTAuth, OptionalJWTAuth, Request
from catalog import services, viewer_cookie
from catalog.domain import normalise_tag
from catalog.schemas import (
    VideoDetailOut,
    VideoPageOut,
    VideoPreviewIn,
    VideoPreviewOut,
    VideoStatusOut,
    VideoSubmitIn,
    VideoSummaryOut,
    VideoUpdateIn,
)
from catalog.services import videos as video_services
from killrvideo import ratelimit
from killrvideo.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, PageRequest
from killrvideo.schemas import ErrorOut, page_json

router = Router(tags=["videos"])

READ_ERRORS = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    pageSize: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class TrendingQuery(Schema):
    # 1, 7 or 30 (the service says so in words); an enum here so the schema tells clients too.
    intervalDays: int = Field(7, json_schema_extra={"enum": [1, 7, 30]})
    limit: int = Field(10, ge=1, le=10)


def _page(query: PageQuery) -> PageRequest:
    return PageRequest.parse(query.page, query.pageSize)


@router.post("/videos", auth=JWTAuth(), response={202: VideoDetailOut, **WRITE_ERRORS, 429: ErrorOut})
def submit_video(request: Request, payload: VideoSubmitIn) -> Status[VideoDetailOut]:
    submission = services.video_submit(
        actor=request.auth,
        youtube_url=payload.youtubeUrl,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
    )
    return Status(HTTPStatus.ACCEPTED, VideoDetailOut.of(submission.video))


@router.post(
    "/videos/preview", response={200: VideoPreviewOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut}
)
def preview_video(request: Request, payload: VideoPreviewIn) -> VideoPreviewOut:
    ratelimit.hit("video_preview", ratelimit.client_ip(request), limit=30, window_seconds=60)
    return VideoPreviewOut.of(services.video_preview(youtube_url=payload.youtubeUrl))


@router.get(
    "/videos/id/{video_id}", auth=OptionalJWTAuth(), response={200: VideoDetailOut, 401: ErrorOut, **READ_ERRORS}
)
def get_video(request: Request, video_id: uuid.UUID) -> VideoDetailOut:
    return VideoDetailOut.of(video_services.video_get_for(actor=request.auth, video_id=video_id))


@router.put("/videos/id/{video_id}", auth=JWTAuth(), response={200: VideoDetailOut, **WRITE_ERRORS})
def update_video(request: Request, video_id: uuid.UUID, payload: VideoUpdateIn) -> VideoDetailOut:
    video = services.video_edit(
        actor=request.auth, video_id=video_id, title=payload.title, description=payload.description, tags=payload.tags
    )
    return VideoDetailOut.of(video)


@router.delete("/videos/id/{video_id}", auth=JWTAuth(), response={204: None, **WRITE_ERRORS})
def delete_video(request: Request, video_id: uuid.UUID) -> Status[None]:
    services.video_soft_delete(actor=request.auth, video_id=video_id)
    return Status(HTTPStatus.NO_CONTENT, None)


@router.get("/videos/id/{video_id}/status", auth=JWTAuth(), response={200: VideoStatusOut, **WRITE_ERRORS})
def get_video_status(request: Request, video_id: uuid.UUID) -> VideoStatusOut:
    video = services.video_status(actor=request.auth, video_id=video_id)
    return VideoStatusOut(videoId=video.video_id, status=video.status.value, failureReason=video.failure_reason or None)


@router.post(
    "/videos/id/{video_id}/view",
    auth=OptionalJWTAuth(),
    response={204: None, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
)
def record_view(request: Request, response: HttpResponse, video_id: uuid.UUID) -> Status[None]:
    ip = ratelimit.client_ip(request)
    ratelimit.hit("video_view", ip, limit=600, window_seconds=60)
    viewer = viewer_cookie.viewer_of(request)
    services.video_view_record(
        video_id=video_id, actor=request.auth, viewer_id=viewer.viewer_id, ip=ip, issued_now=viewer.issued_now
    )
    viewer_cookie.remember(response, viewer)
    return Status(HTTPStatus.NO_CONTENT, None)


@router.get("/videos/latest", response={200: VideoPageOut, 422: ErrorOut})
def list_latest_videos(request: Request, query: Query[PageQuery]) -> HttpResponse:
    return page_json(services.latest_page(request=_page(query)), VideoSummaryOut.fields)


@router.get("/videos/by-tag/{tag}", response={200: VideoPageOut, 422: ErrorOut})
def list_videos_by_tag(request: Request, tag: str, query: Query[PageQuery]) -> HttpResponse:
    return page_json(services.tag_page(tag=normalise_tag(tag), request=_page(query)), VideoSummaryOut.fields)


@router.get(
    "/videos/by-uploader/{user_id}", auth=OptionalJWTAuth(), response={200: VideoPageOut, 401: ErrorOut, 422: ErrorOut}
)
def list_videos_by_uploader(request: Request, user_id: uuid.UUID, query: Query[PageQuery]) -> HttpResponse:
    return _uploader_page(request, user_id, query)


@router.get(
    "/users/{user_id}/videos", auth=OptionalJWTAuth(), response={200: VideoPageOut, 401: ErrorOut, 422: ErrorOut}
)
def list_user_videos(request: Request, user_id: uuid.UUID, query: Query[PageQuery]) -> HttpResponse:
    return _uploader_page(request, user_id, query)


def _uploader_page(request: Request, user_id: uuid.UUID, query: PageQuery) -> HttpResponse:
    """Public READY videos; the owner also sees their non-READY ones (their Studio listing)."""
    if request.auth.user_id == user_id:
        page = services.studio_page(user_id=user_id, deleted=False, request=_page(query))
    else:
        page = services.uploader_page(user_id=user_id, request=_page(query))
    return page_json(page, VideoSummaryOut.fields)


@router.get("/videos/trending", response={200: list[VideoSummaryOut], 422: ErrorOut})
def list_trending_videos(request: Request, query: Query[TrendingQuery]) -> list[VideoSummaryOut]:
    ranked = services.trending(interval_days=query.intervalDays, limit=query.limit)
    return [VideoSummaryOut.of(summary) for summary, _ in ranked]
