"""Videos and listings: frozen dataclasses and enums, no I/O."""

from __future__ import annotations

import enum
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

MAX_TITLE_LENGTH: Final = 150
MAX_DESCRIPTION_LENGTH: Final = 5000
MAX_TAGS: Final = 20
MAX_TAG_LENGTH: Final = 40
_TAG_RE: Final = re.compile(r"[^\w\s+-]", re.UNICODE)


class VideoStatus(enum.StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    READY = "READY"
    ERROR = "ERROR"

    @property
    def is_final(self) -> bool:
        return self in (VideoStatus.READY, VideoStatus.ERROR)


class FailureCode(enum.StrEnum):
    """Why a video ended in ERROR; `METADATA_UNAVAILABLE` is the one an edit (adding a title) can fix."""

    NOT_FOUND = "not_found"
    PRIVATE = "private"
    EMBEDDING_DISABLED = "embedding_disabled"
    INVALID = "invalid"
    METADATA_UNAVAILABLE = "metadata_unavailable"


# Fields the creator typed: processing never overwrites them with fetched values.
CREATOR_FIELDS: Final = frozenset({"name", "description", "tags"})


def fields_given(**values: object) -> frozenset[str]:
    """Which creator fields were given a value (None means "not given")."""
    unknown = set(values) - CREATOR_FIELDS
    if unknown:
        raise ValueError(f"not creator fields: {sorted(unknown)}")
    return frozenset(name for name, value in values.items() if value is not None)


@dataclass(frozen=True)
class Video:
    video_id: uuid.UUID
    user_id: uuid.UUID
    youtube_id: str
    name: str
    description: str
    tags: tuple[str, ...]
    status: VideoStatus
    added_date: datetime
    updated_at: datetime
    status_since: datetime
    thumbnail_url: str = ""
    duration_seconds: int | None = None
    failure_code: str = ""
    failure_reason: str = ""
    retries: int = 0  # metadata fetches retried so far (transient YouTube failures), shown while processing
    creator_fields: frozenset[str] = frozenset()
    deleted: bool = False
    deleted_at: datetime | None = None
    removed_by_moderator: bool = False  # deleted by a moderator, not its owner: only a moderator restores it
    listed: bool = False
    channel_title: str = ""
    views: int = 0
    average_rating: float | None = None
    total_ratings_count: int = 0

    @property
    def is_public(self) -> bool:
        """Shown in public listings: processed and not soft-deleted."""
        return self.status is VideoStatus.READY and not self.deleted

    @property
    def location(self) -> str:
        return f"https://www.youtube.com/watch?v={self.youtube_id}"

    @property
    def embed_url(self) -> str:
        return f"https://www.youtube-nocookie.com/embed/{self.youtube_id}"


@dataclass(frozen=True)
class VideoSummary:
    """What a listing row carries (denormalised), plus counters joined at read time."""

    video_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    description: str
    tags: tuple[str, ...]
    thumbnail_url: str
    added_date: datetime
    status: VideoStatus = VideoStatus.READY
    deleted: bool = False
    duration_seconds: int | None = None
    removed_by_moderator: bool = False  # Studio only: its owner cannot restore it
    views: int = 0
    average_rating: float | None = None
    total_ratings_count: int = 0
    uploader_name: str = ""


@dataclass(frozen=True)
class ListingKey:
    """Names one listing ("latest", "tag:<t>", "user:<id>", "user_all:<id>"): the key of its true total and,
    for a public listing, the `scope` of its month-bucket counts.
    """

    value: str

    @classmethod
    def latest(cls) -> ListingKey:
        return cls("latest")

    @classmethod
    def tag(cls, tag: str) -> ListingKey:
        return cls(f"tag:{tag}")

    @classmethod
    def user(cls, user_id: uuid.UUID) -> ListingKey:
        return cls(f"user:{user_id}")

    @classmethod
    def user_all(cls, user_id: uuid.UUID) -> ListingKey:
        return cls(f"user_all:{user_id}")

    @classmethod
    def user_deleted(cls, user_id: uuid.UUID) -> ListingKey:
        return cls(f"user_deleted:{user_id}")

    def bucket_counter(self, bucket: str) -> str:
        """Counter name of this listing's rows in one month bucket (durable copy: `listing_buckets`)."""
        return f"bucket:{self.value}:{bucket}"


@dataclass(frozen=True)
class Listing:
    """A public listing read by month buckets: every public video, one tag's, or one uploader's."""

    key: ListingKey
    tag: str | None = None
    user_id: uuid.UUID | None = None

    @classmethod
    def latest(cls) -> Listing:
        return cls(ListingKey.latest())

    @classmethod
    def of_tag(cls, tag: str) -> Listing:
        return cls(ListingKey.tag(tag), tag=tag)

    @classmethod
    def of_user(cls, user_id: uuid.UUID) -> Listing:
        return cls(ListingKey.user(user_id), user_id=user_id)


def listings_of(*, user_id: uuid.UUID, tags: Iterable[str]) -> list[Listing]:
    """The public listings a public video belongs to: latest, its uploader's, one per tag."""
    return [Listing.latest(), Listing.of_user(user_id), *(Listing.of_tag(tag) for tag in tags)]


def month_bucket(moment: datetime) -> str:
    """Month bucket of every public listing (see ARCHITECTURE: why months, not days)."""
    return moment.strftime("%Y-%m")


def day_key(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def normalise_tag(raw: str) -> str:
    """NFKC + casefold, single-spaced, no punctuation beyond + and -: one spelling per tag in every table,
    so a tag is found by its link and by `/by-tag/` whatever form of a letter was typed ("İstanbul")."""
    cleaned = _TAG_RE.sub("", unicodedata.normalize("NFKC", raw).casefold()).strip()
    return " ".join(cleaned.split())[:MAX_TAG_LENGTH]


def normalise_tags(raw: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in raw:
        tag = normalise_tag(item)
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)[:MAX_TAGS]


def parse_tag_text(text: str) -> tuple[str, ...]:
    """Tags typed in a form: comma separated."""
    return normalise_tags([part for part in text.split(",")])


def utcnow() -> datetime:
    """Now, at the millisecond precision Astra timestamps keep (so values read back compare equal)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
