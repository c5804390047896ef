"""Transcript passages and what a search hit shows: pure functions, no I/O.

A transcript is long (a 40-minute talk is ~30 kB), so it is searched as ~60-second passages built from the
timed segments, each stored with the second it starts at: a hit can then say "at 12:34 — ...the passage..."
and link to that moment.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PASSAGE_SECONDS = 60
EXCERPT_CHARS = 180
_WORD = re.compile(r"[\w']+", re.UNICODE)


@dataclass(frozen=True)
class Passage:
    start: int  # whole seconds from the start of the video
    text: str


def passages_of(segments: Iterable[Mapping[str, Any]], seconds: int = PASSAGE_SECONDS) -> list[Passage]:
    """Consecutive segments grouped into windows of about `seconds`, each starting at its first segment."""
    out: list[Passage] = []
    start: float | None = None
    words: list[str] = []
    for segment in segments:
        text = " ".join(str(segment.get("text") or "").split())
        try:
            at = max(0.0, float(segment.get("start") or 0.0))
        except (TypeError, ValueError):
            continue
        if not text:
            continue
        if start is not None and at - start >= seconds and words:
            out.append(Passage(int(start), " ".join(words)))
            start, words = None, []
        if start is None:
            start = at
        words.append(text)
    if start is not None and words:
        out.append(Passage(int(start), " ".join(words)))
    return out


def timestamp(seconds: int) -> str:
    """12:34 or 1:02:03."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    """A light English suffix strip, only to find which words of a text to highlight (ranking is the store's).
    Memoised: result lists stem every word of every card's title and description, which repeat."""
    word = word.lower().strip("'")
    for suffix in ("ing", "ies", "ied", "es", "ed", "'s", "s", "ly"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def query_stems(query: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(query) if len(w) > 1)


def marked(text: str, stems: frozenset[str]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) runs, so a template can wrap matches in <mark> (and escape all)."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _WORD.finditer(text):
        if _stem(match.group()) in stems:
            if match.start() > last:
                pieces.append((text[last : match.start()], False))
            pieces.append((match.group(), True))
            last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def has_match(text: str, stems: frozenset[str]) -> bool:
    return any(_stem(w) in stems for w in _WORD.findall(text))


def excerpt(text: str, stems: frozenset[str], width: int = EXCERPT_CHARS) -> str:
    """About `width` characters of `text` around its first matching word (the start when none matches),
    cut at word boundaries, with ellipses where it was cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    first = next((m.start() for m in _WORD.finditer(text) if _stem(m.group()) in stems), 0)
    begin = max(0, first - width // 3)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < first else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    return ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")


def matching_tags(tags: Sequence[str], stems: frozenset[str]) -> list[str]:
    """Tags any of whose words matches the query (`apache_cassandra` matches "cassandra")."""
    return [tag for tag in tags if any(_stem(part) in stems for part in re.split(r"[\W_]+", tag) if part)]
