"""Related videos, tag suggestions and For You: frozen dataclasses and pure rules, no I/O."""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from catalog.domain import VideoSummary

PREFIX_LENGTH: Final = 2
MAX_SUGGEST_QUERY: Final = 200
# Upper bound of a clustering range "starts with q": every text starting with q sorts below q + U+10FFFF.
RANGE_END: Final = "\U0010ffff"

# Diversity: a candidate is passed over when its title is a near-duplicate of an already picked one
# (word-set Jaccard >= TITLE_DUPLICATE, numbers ignored: "Talk (2019)" ~ "Talk (2020)").
TITLE_DUPLICATE: Final = 0.6
SIMILAR_TOPIC: Final = 0.75  # similarity (0..1, Astra's (1 + cos) / 2) from which "Similar topic" is said
OVERFETCH: Final = 4


def prefix_of(tag: str) -> str:
    """Partition of a normalised tag: its first two characters (a 1-character tag has its own partition)."""
    return tag[:PREFIX_LENGTH]


@dataclass(frozen=True)
class TagSuggestion:
    tag: str
    videos: int


@dataclass(frozen=True)
class RelatedVideo:
    video: VideoSummary
    score: float
    reason: str


def tag_deltas(old_tags: Iterable[str], old_public: bool, new_tags: Iterable[str], new_public: bool) -> dict[str, int]:
    """+1 for each tag a public video gained (or a video that became public has), -1 for each it lost."""
    before = set(old_tags) if old_public else set()
    after = set(new_tags) if new_public else set()
    return {**{tag: +1 for tag in after - before}, **{tag: -1 for tag in before - after}}


_WORD = re.compile(r"\w+", re.UNICODE)


def title_tokens(title: str) -> frozenset[str]:
    """Words of a title, casefolded, digits dropped: "Cassandra Day 2019 (part 2)" ~ "Cassandra Day 2020"."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return frozenset(word for word in _WORD.findall(text) if not word.isdigit())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def diversify(candidates: Sequence[tuple[VideoSummary, float]], limit: int) -> list[tuple[VideoSummary, float]]:
    """Greedy, deterministic: walk candidates most similar first, skip one whose title is a near-duplicate of
    a picked one (re-runs, part 1/part 2), so one series cannot fill the list. If fewer than `limit` remain,
    the skipped ones fill the tail in their original order (a short list beats an empty one)."""
    picked: list[tuple[VideoSummary, float]] = []
    skipped: list[tuple[VideoSummary, float]] = []
    seen_titles: list[frozenset[str]] = []
    for video, score in candidates:
        tokens = title_tokens(video.name)
        if any(jaccard(tokens, other) >= TITLE_DUPLICATE for other in seen_titles):
            skipped.append((video, score))
            continue
        picked.append((video, score))
        seen_titles.append(tokens)
        if len(picked) == limit:
            break
    chosen = [*picked, *skipped[: max(0, limit - len(picked))]]
    return sorted(chosen, key=lambda pair: -pair[1])


def reason_for(source: VideoSummary, other: VideoSummary, score: float) -> str:
    """A short line saying why a video is related: shared tags first, then same creator, then topic."""
    shared = [tag for tag in source.tags if tag in set(other.tags)]
    if shared:
        return "Shared tags: " + ", ".join(f"#{tag}" for tag in shared[:3])
    if other.user_id == source.user_id:
        return "Same creator"
    return "Similar topic" if score >= SIMILAR_TOPIC else "Related content"


def clamp_score(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


# ---- For You: the preference state and its incremental update (pure; the Celery task stores the result) ----

# How much each action moves the preference vector toward (or away from) the video's embedding.
RATING_WEIGHTS: Final = {5: 1.0, 4: 0.5, 3: 0.0, 2: -0.5, 1: -1.0}
VIEW_WEIGHT: Final = 0.3
COMMENT_WEIGHT: Final = 0.5
# Recency: every contribution halves in weight over this many days (exponential decay, order-independent).
PREFERENCE_HALF_LIFE_DAYS: Final = 30.0
MAX_ANCHORS: Final = 8  # strongest positive interactions kept for "Because you rated X 5★"
RECENT_EVENTS: Final = 64  # applied event ids kept on the row, so a redelivered task is a no-op


class Action(StrEnum):
    RATE = "rate"
    VIEW = "view"
    COMMENT = "comment"


@dataclass(frozen=True)
class PreferenceEvent:
    """One thing a user did to a video, as the Celery task receives it. `event_id` is stable across
    redeliveries of the same message (the receiver makes it), so applying it twice changes nothing."""

    event_id: str
    user_id: uuid.UUID
    video_id: uuid.UUID
    action: Action
    at: datetime
    stars: int = 0  # the new rating (RATE only)
    title: str = ""
    tags: tuple[str, ...] = ()

    def as_message(self) -> dict[str, object]:
        return {
            "event_id": self.event_id,
            "user_id": str(self.user_id),
            "video_id": str(self.video_id),
            "action": self.action.value,
            "at": self.at.isoformat(),
            "stars": self.stars,
            "title": self.title,
            "tags": list(self.tags),
        }

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> PreferenceEvent:
        return cls(
            event_id=str(message["event_id"]),
            user_id=uuid.UUID(str(message["user_id"])),
            video_id=uuid.UUID(str(message["video_id"])),
            action=Action(message["action"]),
            at=datetime.fromisoformat(str(message["at"])),
            stars=int(message.get("stars") or 0),
            title=str(message.get("title") or ""),
            tags=tuple(message.get("tags") or ()),
        )


@dataclass(frozen=True)
class Anchor:
    """A video the user liked, kept to explain recommendations. `weight` is its summed contribution as of
    `at` (it decays like the vector); `stars` is the user's current rating of it (0: not rated)."""

    video_id: uuid.UUID
    title: str
    weight: float
    at: datetime
    stars: int = 0
    viewed: bool = False
    commented: bool = False
    tags: tuple[str, ...] = ()

    def weight_at(self, when: datetime) -> float:
        return self.weight * decay(when - self.at)

    @property
    def reason(self) -> str:
        if self.stars >= 4:
            return f"Because you rated “{self.title}” {self.stars}★"
        if self.commented:
            return f"Because you commented on “{self.title}”"
        return f"Because you watched “{self.title}”"


@dataclass(frozen=True)
class Interaction:
    """What one user did to one video: its row in `interactions_by_user` (exclusion and exact re-rating)."""

    user_id: uuid.UUID
    video_id: uuid.UUID
    rating: int | None = None
    rated_at: datetime | None = None
    viewed_at: datetime | None = None
    commented_at: datetime | None = None


@dataclass(frozen=True)
class Preference:
    """A user's preference state: the decayed sum of weighted video embeddings as of `updated_at`."""

    user_id: uuid.UUID
    vector: tuple[float, ...]
    updated_at: datetime
    version: int = 0
    anchors: tuple[Anchor, ...] = ()
    recent_events: tuple[str, ...] = ()

    @property
    def norm(self) -> float:
        return math.sqrt(sum(x * x for x in self.vector))

    def direction(self) -> list[float] | None:
        """The unit vector to search with, or None when there is no signal yet (only 3★ ratings, say)."""
        norm = self.norm
        return [x / norm for x in self.vector] if norm > 1e-6 else None

    def strongest_anchors(self, when: datetime, limit: int) -> list[Anchor]:
        ranked = sorted(self.anchors, key=lambda a: (-a.weight_at(when), str(a.video_id)))
        return [anchor for anchor in ranked if anchor.weight_at(when) > 0][:limit]


@dataclass(frozen=True)
class Recommendation:
    video: VideoSummary
    score: float
    reason: str


def decay(elapsed: timedelta) -> float:
    """Weight left after `elapsed` (never above 1: a contribution from the future counts as now)."""
    days = max(0.0, elapsed.total_seconds() / 86400)
    return 0.5 ** (days / PREFERENCE_HALF_LIFE_DAYS)


def rating_weight(stars: int | None) -> float:
    return RATING_WEIGHTS.get(stars or 0, 0.0)


def merge_interaction(stored: Interaction | None, event: PreferenceEvent) -> Interaction | None:
    """The interaction row after the event; None when the event is an older rating than the stored one
    (two re-ratings applied out of order: the later one already won)."""
    base = stored or Interaction(user_id=event.user_id, video_id=event.video_id)
    if event.action is Action.RATE:
        if base.rated_at is not None and event.at < base.rated_at:
            return None
        return replace(base, rating=event.stars, rated_at=event.at)
    if event.action is Action.VIEW:
        return replace(base, viewed_at=max(filter(None, (base.viewed_at, event.at))))
    return replace(base, commented_at=max(filter(None, (base.commented_at, event.at))))


def event_delta(stored: Interaction | None, event: PreferenceEvent, reference: datetime) -> float:
    """The event's signed weight as of `reference`. A re-rating adds w(new) and takes back w(previous) as it
    has decayed since it was given, so the vector holds exactly one contribution per rating."""
    if event.action is Action.RATE:
        added = rating_weight(event.stars) * decay(reference - event.at)
        if stored is not None and stored.rating is not None and stored.rated_at is not None:
            added -= rating_weight(stored.rating) * decay(reference - stored.rated_at)
        return added
    weight = VIEW_WEIGHT if event.action is Action.VIEW else COMMENT_WEIGHT
    return weight * decay(reference - event.at)


def apply_event(
    preference: Preference | None,
    stored: Interaction | None,
    event: PreferenceEvent,
    embedding: Sequence[float] | None,
) -> tuple[Preference | None, Interaction | None]:
    """`v <- decay(dt) * v + w * e_video`, on the state as of the later of the row's time and the event's.

    Every contribution is decayed to one reference time, so the result does not depend on the order in which
    events arrive. Returns the new preference (the same object when nothing changes: a duplicate or a stale
    rating) and the interaction row to store (None: leave it as it is)."""
    merged = merge_interaction(stored, event)
    if merged is None:
        return preference, None
    if preference is not None and event.event_id in preference.recent_events:
        return preference, merged  # applied already (a redelivered task); the row write may have been lost
    previous = preference or Preference(user_id=event.user_id, vector=(), updated_at=event.at)
    reference = max(previous.updated_at, event.at)
    delta = event_delta(stored, event, reference)
    vector = _moved(previous.vector, decay(reference - previous.updated_at), delta, embedding)
    new = Preference(
        user_id=event.user_id,
        vector=vector,
        updated_at=reference,
        version=previous.version + 1,
        anchors=_anchors_after(previous.anchors, event, delta, reference),
        recent_events=(*previous.recent_events, event.event_id)[-RECENT_EVENTS:],
    )
    return new, merged


def _moved(vector: Sequence[float], kept: float, delta: float, embedding: Sequence[float] | None) -> tuple[float, ...]:
    if embedding is None:  # not embedded yet: the event still counts for exclusion and reasons
        return tuple(x * kept for x in vector)
    base = vector if vector else [0.0] * len(embedding)
    return tuple(x * kept + delta * e for x, e in zip(base, embedding, strict=True))


def _anchors_after(
    anchors: Sequence[Anchor], event: PreferenceEvent, delta: float, reference: datetime
) -> tuple[Anchor, ...]:
    """The video's anchor gains the event's weight; anchors at or below zero go; the strongest few stay."""
    others = [a for a in anchors if a.video_id != event.video_id]
    old = next((a for a in anchors if a.video_id == event.video_id), None)
    weight = (old.weight_at(reference) if old else 0.0) + delta
    if weight > 1e-6:
        others.append(
            Anchor(
                video_id=event.video_id,
                title=event.title or (old.title if old else ""),
                weight=weight,
                at=reference,
                stars=event.stars if event.action is Action.RATE else (old.stars if old else 0),
                viewed=event.action is Action.VIEW or bool(old and old.viewed),
                commented=event.action is Action.COMMENT or bool(old and old.commented),
                tags=event.tags or (old.tags if old else ()),
            )
        )
    ranked = sorted(others, key=lambda a: (-a.weight_at(reference), str(a.video_id)))
    return tuple(ranked[:MAX_ANCHORS])
