"""Discovery endpoints of the contract: search, related videos, tag suggestions (public) and For You."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from accounts.auth import JWTAuth, Request
from discovery import services
from discovery.domain import MAX_SUGGEST_QUERY
from discovery.schemas import (
    RecommendationOut,
    RecommendationPageOut,
    RelatedItemOut,
    SearchPageOut,
    SearchResultOut,
    TagSuggestionOut,
    TagSuggestionsOut,
)
from discovery.services import foryou, search
from killrvideo.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, PageRequest
from killrvideo.schemas import ErrorOut, list_json, page_json

router = Router(tags=["discovery"])


class SearchParams(Schema):
    query: str = Field(..., min_length=1, max_length=search.MAX_QUERY)
    mode: str = Field("hybrid", json_schema_extra={"enum": list(search.MODES)})
    page: int = Field(1, ge=1, le=MAX_PAGE)
    pageSize: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    tag: str = Field("", max_length=50)
    uploaded: str = Field("any", json_schema_extra={"enum": list(search.PERIODS)})
    sort: str = Field("relevance", json_schema_extra={"enum": list(search.SORTS)})


class RelatedQuery(Schema):
    limit: int = Field(5, ge=1, le=20)


class SuggestQuery(Schema):
    query: str = Field(..., min_length=1, max_length=MAX_SUGGEST_QUERY)
    limit: int = Field(10, ge=1, le=25)


@router.get("/search/videos", response={200: SearchPageOut, 422: ErrorOut})
def search_videos(request: Request, params: Query[SearchParams]) -> HttpResponse:
    """Hybrid (default), semantic or keyword search over public videos and their transcripts."""
    query = search.search_query(
        query=params.query, mode=params.mode, tag=params.tag, period=params.uploaded, sort=params.sort
    )
    page = search.videos_search(query=query, request=PageRequest.parse(params.page, params.pageSize))
    return page_json(page, SearchResultOut.result_fields)


@router.get("/videos/id/{video_id}/related", response={200: list[RelatedItemOut], 404: ErrorOut, 422: ErrorOut})
def get_related_videos(request: Request, video_id: uuid.UUID, params: Query[RelatedQuery]) -> HttpResponse:
    return list_json(services.related_videos(video_id=video_id, limit=params.limit), RelatedItemOut.related_fields)


@router.get("/search/tags/suggest", response={200: list[TagSuggestionOut], 422: ErrorOut})
def suggest_search_tags(request: Request, params: Query[SuggestQuery]) -> list[TagSuggestionOut]:
    return [TagSuggestionOut.of(item) for item in services.tag_suggestions(query=params.query, limit=params.limit)]


@router.get("/tags/suggest", response={200: TagSuggestionsOut, 422: ErrorOut})
def suggest_tags(request: Request, params: Query[SuggestQuery]) -> TagSuggestionsOut:
    found = services.tag_suggestions(query=params.query, limit=params.limit)
    return TagSuggestionsOut(suggestions=[item.tag for item in found])


class ForYouQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    pageSize: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/recommendations/foryou",
    auth=JWTAuth(),
    response={200: RecommendationPageOut, 401: ErrorOut, 422: ErrorOut},
)
def get_for_you(request: Request, params: Query[ForYouQuery]) -> HttpResponse:
    """The signed-in user's personalised feed (popular videos until their first action), each with a reason."""
    page = foryou.for_you_page(actor=request.auth, request=PageRequest.parse(params.page, params.pageSize))
    return page_json(page, RecommendationOut.recommendation_fields)
