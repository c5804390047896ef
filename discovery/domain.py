"""Related videos and tag suggestions: frozen dataclasses and pure rules, no I/O."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

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
