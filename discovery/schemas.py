"""API shapes of the contract: search results, RelatedItem, tag suggestions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from catalog.schemas import PaginationOut, VideoSummaryOut
from discovery.domain import Recommendation, RelatedVideo, TagSuggestion
from discovery.services.search import SearchResult


class RelatedItemOut(VideoSummaryOut):
    score: float
    uploadDate: datetime

    @classmethod
    def of_related(cls, item: RelatedVideo) -> RelatedItemOut:
        return cls(**cls.related_fields(item))

    @staticmethod
    def related_fields(item: RelatedVideo) -> dict[str, Any]:
        """The same values as plain data (killrvideo.schemas.list_json)."""
        return {**VideoSummaryOut.fields(item.video), "score": item.score, "uploadDate": item.video.added_date}


class TagSuggestionOut(Schema):
    tag: str

    @classmethod
    def of(cls, item: TagSuggestion) -> TagSuggestionOut:
        return cls(tag=item.tag)


class TagSuggestionsOut(Schema):
    suggestions: list[str]


class MomentOut(Schema):
    start: int  # seconds into the video
    label: str  # "12:34"
    excerpt: str


class SearchResultOut(VideoSummaryOut):
    """VideoSummary (the contract) plus why it matched: its fused score, the tags and transcript moment."""

    score: float
    matchedTags: list[str]
    moment: MomentOut | None

    @classmethod
    def of_result(cls, result: SearchResult) -> SearchResultOut:
        return cls(**cls.result_fields(result))

    @staticmethod
    def result_fields(result: SearchResult) -> dict[str, Any]:
        """The same values as plain data (killrvideo.schemas.page_json)."""
        moment = result.moment
        return {
            **VideoSummaryOut.fields(result.video),
            "score": result.score,
            "matchedTags": list(result.tags),
            "moment": {"start": moment.start, "label": moment.label, "excerpt": moment.excerpt} if moment else None,
        }


class SearchPageOut(Schema):
    data: list[SearchResultOut]
    pagination: PaginationOut


class RecommendationOut(VideoSummaryOut):
    """A VideoSummary plus why it is recommended ("Because you rated “X” 5★", "Popular in #vector")."""

    reason: str

    @classmethod
    def of_recommendation(cls, item: Recommendation) -> RecommendationOut:
        return cls(**cls.recommendation_fields(item))

    @staticmethod
    def recommendation_fields(item: Recommendation) -> dict[str, Any]:
        """The same values as plain data (killrvideo.schemas.page_json)."""
        return {**VideoSummaryOut.fields(item.video), "reason": item.reason}


class RecommendationPageOut(Schema):
    data: list[RecommendationOut]
    pagination: PaginationOut
