"""API shapes of the contract: RelatedItem, tag suggestions."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from catalog.schemas import VideoSummaryOut
from discovery.domain import RelatedVideo, TagSuggestion


class RelatedItemOut(VideoSummaryOut):
    score: float
    uploadDate: datetime

    @classmethod
    def of_related(cls, item: RelatedVideo) -> RelatedItemOut:
        summary = VideoSummaryOut.of(item.video)
        return cls(**summary.model_dump(), score=item.score, uploadDate=item.video.added_date)


class TagSuggestionOut(Schema):
    tag: str

    @classmethod
    def of(cls, item: TagSuggestion) -> TagSuggestionOut:
        return cls(tag=item.tag)


class TagSuggestionsOut(Schema):
    suggestions: list[str]
