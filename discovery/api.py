"""Discovery endpoints of the contract: related videos and tag suggestions (all public)."""

from __future__ import annotations

import uuid

from ninja import Field, Query, Router, Schema

from accounts.auth import Request
from discovery import services
from discovery.domain import MAX_SUGGEST_QUERY
from discovery.schemas import RelatedItemOut, TagSuggestionOut, TagSuggestionsOut
from killrvideo.schemas import ErrorOut

router = Router(tags=["discovery"])


class RelatedQuery(Schema):
    limit: int = Field(5, ge=1, le=20)


class SuggestQuery(Schema):
    query: str = Field(..., min_length=1, max_length=MAX_SUGGEST_QUERY)
    limit: int = Field(10, ge=1, le=25)


@router.get("/videos/id/{video_id}/related", response={200: list[RelatedItemOut], 404: ErrorOut, 422: ErrorOut})
def get_related_videos(request: Request, video_id: uuid.UUID, params: Query[RelatedQuery]) -> list[RelatedItemOut]:
    return [RelatedItemOut.of_related(item) for item in services.related_videos(video_id=video_id, limit=params.limit)]


@router.get("/search/tags/suggest", response={200: list[TagSuggestionOut], 422: ErrorOut})
def suggest_search_tags(request: Request, params: Query[SuggestQuery]) -> list[TagSuggestionOut]:
    return [TagSuggestionOut.of(item) for item in services.tag_suggestions(query=params.query, limit=params.limit)]


@router.get("/tags/suggest", response={200: TagSuggestionsOut, 422: ErrorOut})
def suggest_tags(request: Request, params: Query[SuggestQuery]) -> TagSuggestionsOut:
    found = services.tag_suggestions(query=params.query, limit=params.limit)
    return TagSuggestionsOut(suggestions=[item.tag for item in found])
