"""Comments endpoints of the contract: a video's comments (read, post, delete) and a user's comments."""

from __future__ import annotations

import uuid
from datetime import datetime
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from accounts.auth import JWTAuth, OptionalJWTAuth, Request
from catalog.schemas import PaginationOut
from community import services
from community.domain import MAX_COMMENT_LENGTH, Comment
from killrvideo.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, PageRequest
from killrvideo.schemas import ErrorOut, InputSchema, page_json

router = Router(tags=["comments"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    pageSize: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class CommentIn(InputSchema):
    # The service checks the length after trimming and says so in words (so no maxLength here that would
    # refuse a 1000-character comment followed by a newline).
    text: str = Field(..., description=f"1 to {MAX_COMMENT_LENGTH} characters after trimming")


class CommentOut(Schema):
    commentid: uuid.UUID
    videoid: uuid.UUID
    userid: uuid.UUID
    comment: str
    sentiment_score: float | None
    sentiment: str | None
    firstName: str | None
    lastName: str | None
    createdAt: datetime

    @classmethod
    def of(cls, item: Comment) -> CommentOut:
        return cls(**cls.fields(item))

    @staticmethod
    def fields(item: Comment) -> dict[str, Any]:
        """The same values as plain data (killrvideo.schemas.page_json)."""
        return {
            "commentid": item.comment_id,
            "videoid": item.video_id,
            "userid": item.user_id,
            "comment": item.text,
            "sentiment_score": item.sentiment_score,
            "sentiment": item.sentiment.value if item.sentiment else None,
            "firstName": item.author_first_name or None,
            "lastName": item.author_last_name or None,
            "createdAt": item.created_at,
        }


class CommentPageOut(Schema):
    data: list[CommentOut]
    pagination: PaginationOut


def _page(query: PageQuery) -> PageRequest:
    return PageRequest.parse(query.page, query.pageSize)


@router.get("/videos/{video_id}/comments", auth=OptionalJWTAuth(), response={200: CommentPageOut, **READ_ERRORS})
def list_video_comments(request: Request, video_id: uuid.UUID, query: Query[PageQuery]) -> HttpResponse:
    page = services.video_comments_page(actor=request.auth, video_id=video_id, request=_page(query))
    return page_json(page, CommentOut.fields)


@router.post("/videos/{video_id}/comments", auth=JWTAuth(), response={201: CommentOut, **WRITE_ERRORS, 429: ErrorOut})
def post_video_comment(request: Request, video_id: uuid.UUID, payload: CommentIn) -> Status[CommentOut]:
    comment = services.comment_post(actor=request.auth, video_id=video_id, text=payload.text)
    return Status(HTTPStatus.CREATED, CommentOut.of(comment))


@router.delete("/videos/{video_id}/comments/{comment_id}", auth=JWTAuth(), response={204: None, **WRITE_ERRORS})
def delete_video_comment(request: Request, video_id: uuid.UUID, comment_id: uuid.UUID) -> Status[None]:
    services.comment_soft_delete(actor=request.auth, comment_id=comment_id, video_id=video_id)
    return Status(HTTPStatus.NO_CONTENT, None)


@router.get("/users/{user_id}/comments", response={200: CommentPageOut, 404: ErrorOut, 422: ErrorOut})
def list_user_comments(request: Request, user_id: uuid.UUID, query: Query[PageQuery]) -> HttpResponse:
    return page_json(services.user_comments_page(user_id=user_id, request=_page(query)), CommentOut.fields)
