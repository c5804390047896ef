"""Ratings endpoints of the contract: the legacy pair `/videos/id/{id}/rating` and `/videos/{id}/ratings`,
both over one store (community.services.ratings)."""

from __future__ import annotations

import uuid
from datetime import datetime
from http import HTTPStatus
from typing import Annotated

from ninja import Field, Router, Schema, Status
from pydantic import Strict

from accounts.auth import JWTAuth, OptionalJWTAuth, Request
from community.domain import Rating
from community.services import ratings as services
from killrvideo.schemas import ErrorOut, InputSchema

router = Router(tags=["ratings"])

READ_ERRORS = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class RatingIn(InputSchema):
    # Strict: a JSON whole number; "5", 2.5 and true are refused (422) rather than coerced.
    rating: Annotated[int, Strict()] = Field(..., ge=1, le=5)


class RatingSummaryOut(Schema):
    videoId: uuid.UUID
    averageRating: float | None
    ratingCount: int


class UserRatingSummaryOut(Schema):
    videoId: uuid.UUID
    averageRating: float | None
    totalRatingsCount: int
    currentUserRating: int | None


class RatingOut(Schema):
    videoid: uuid.UUID
    userid: uuid.UUID
    rating: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, rating: Rating) -> RatingOut:
        return cls(
            videoid=rating.video_id,
            userid=rating.user_id,
            rating=rating.rating,
            created_at=rating.created_at,
            updated_at=rating.updated_at,
        )


@router.get("/videos/id/{video_id}/rating", response={200: RatingSummaryOut, **READ_ERRORS})
def get_video_rating(request: Request, video_id: uuid.UUID) -> RatingSummaryOut:
    summary = services.rating_summary(video_id=video_id)
    return RatingSummaryOut(videoId=video_id, averageRating=summary.average, ratingCount=summary.count)


@router.post("/videos/id/{video_id}/rating", auth=JWTAuth(), response={204: None, **WRITE_ERRORS})
def rate_video_legacy(request: Request, video_id: uuid.UUID, payload: RatingIn) -> Status[None]:
    services.rating_set(actor=request.auth, video_id=video_id, rating=payload.rating)
    return Status(HTTPStatus.NO_CONTENT, None)


@router.get(
    "/videos/{video_id}/ratings",
    auth=OptionalJWTAuth(),
    response={200: UserRatingSummaryOut, 401: ErrorOut, **READ_ERRORS},
)
def get_video_ratings(request: Request, video_id: uuid.UUID) -> UserRatingSummaryOut:
    summary = services.rating_summary(video_id=video_id)
    own = services.rating_of(actor=request.auth, video_id=video_id)
    return UserRatingSummaryOut(
        videoId=video_id,
        averageRating=summary.average,
        totalRatingsCount=summary.count,
        currentUserRating=own.rating if own else None,
    )


@router.post("/videos/{video_id}/ratings", auth=JWTAuth(), response={200: RatingOut, **WRITE_ERRORS})
def rate_video(request: Request, video_id: uuid.UUID, payload: RatingIn) -> RatingOut:
    return RatingOut.of(services.rating_set(actor=request.auth, video_id=video_id, rating=payload.rating))
