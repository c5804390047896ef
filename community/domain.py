"""Comments, ratings and activity: frozen dataclasses and enums, no I/O."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

MAX_COMMENT_LENGTH: Final = 1000
RATING_VALUES: Final = range(1, 6)
# VADER's recommended thresholds on the compound score.
POSITIVE_AT: Final = 0.05
NEGATIVE_AT: Final = -0.05


class Sentiment(enum.StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"

    @classmethod
    def of_score(cls, score: float) -> Sentiment:
        if score >= POSITIVE_AT:
            return cls.POSITIVE
        if score <= NEGATIVE_AT:
            return cls.NEGATIVE
        return cls.NEUTRAL


@dataclass(frozen=True)
class Comment:
    comment_id: uuid.UUID
    video_id: uuid.UUID
    user_id: uuid.UUID
    text: str
    created_at: datetime
    sentiment_score: float | None = None
    sentiment: Sentiment | None = None
    video_bucket: int = 0
    user_bucket: int = 0
    deleted: bool = False
    deleted_at: datetime | None = None
    deleted_by: uuid.UUID | None = None
    # Joined at read time for display (never stored with the comment).
    author_first_name: str = ""
    author_last_name: str = ""

    @property
    def author_name(self) -> str:
        return f"{self.author_first_name} {self.author_last_name}".strip() or "KillrVideo user"


@dataclass(frozen=True)
class CommentMood:
    """How many of a video's visible comments are positive, neutral and negative (the discussion's mood)."""

    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    def count(self, label: Sentiment) -> int:
        return int(getattr(self, label.value))

    def share(self, label: Sentiment) -> int:
        """Whole percent of the comments with this label (0 when there are none)."""
        return round(100 * self.count(label) / self.total) if self.total else 0

    @property
    def breakdown(self) -> list[tuple[str, int, int]]:
        """(label, count, percent) for each label, positive first (what the watch page's summary shows)."""
        return [(label.value, self.count(label), self.share(label)) for label in Sentiment]


@dataclass(frozen=True)
class Rating:
    video_id: uuid.UUID
    user_id: uuid.UUID
    rating: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RatingSummary:
    video_id: uuid.UUID
    count: int
    total: int

    @property
    def average(self) -> float | None:
        """The mean to one decimal, None when nobody has rated."""
        return round(self.total / self.count, 1) if self.count else None

    def damped(self, *, prior_mean: float, prior_weight: float) -> float:
        """Bayesian (damped) average for ranking: few ratings stay near the site-wide mean."""
        return (prior_mean * prior_weight + self.total) / (prior_weight + self.count)


class ActivityType(enum.StrEnum):
    VIEW = "view"
    COMMENT = "comment"
    RATE = "rate"


@dataclass(frozen=True)
class Activity:
    activity_id: uuid.UUID
    user_id: uuid.UUID
    activity_type: ActivityType
    timestamp: datetime
    video_id: uuid.UUID
    video_name: str = ""
    detail: str = ""  # the stars of a rating, the start of a comment
