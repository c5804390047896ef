"""GET /users/{userId}/activity: a user's timeline, for that user and moderators (contract: snake_case
fields, camelCase twins added for clients that read those)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema

from accounts.auth import JWTAuth, Request
from catalog.schemas import PaginationOut
from community.domain import Activity, ActivityType
from community.services import activity as services
from killrvideo.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, PageRequest
from killrvideo.schemas import ErrorOut

router = Router()


class ActivityQuery(Schema):
    activity_type: Literal["view", "comment", "rate"] | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    pageSize: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ActivityOut(Schema):
    activity_id: uuid.UUID
    activity_type: str
    activity_timestamp: datetime
    videoid: uuid.UUID
    activityId: uuid.UUID
    activityType: str
    activityTimestamp: datetime
    videoId: uuid.UUID
    videoName: str | None

    @classmethod
    def of(cls, item: Activity) -> ActivityOut:
        kind = item.activity_type.value
        return cls(
            activity_id=item.activity_id,
            activity_type=kind,
            activity_timestamp=item.timestamp,
            videoid=item.video_id,
            activityId=item.activity_id,
            activityType=kind,
            activityTimestamp=item.timestamp,
            videoId=item.video_id,
            videoName=item.video_name or None,
        )


class ActivityPageOut(Schema):
    data: list[ActivityOut]
    pagination: PaginationOut


@router.get(
    "/users/{user_id}/activity",
    auth=JWTAuth(),
    response={200: ActivityPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def list_user_activity(request: Request, user_id: uuid.UUID, query: Query[ActivityQuery]) -> dict[str, object]:
    page = services.activity_page(
        actor=request.auth,
        user_id=user_id,
        activity_type=ActivityType(query.activity_type) if query.activity_type else None,
        request=PageRequest.parse(query.page, query.pageSize),
    )
    return page.as_api(ActivityOut.of)
