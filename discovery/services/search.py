"""Video search: keyword (the store's BM25), semantic (vector sort) and hybrid (both, fused by rank).

Four ranked lists, each one bounded read of the search index (`discovery/tables.py`):
- keyword over videos: BM25 sort on title + description + tags (`search_videos.content`, english analyzer);
- keyword over transcripts: BM25 sort on ~60 s passages (`search_passages.text`);
- semantic over videos: vector sort of the query's MiniLM embedding against each video's embedding;
- semantic over transcripts: the same against each passage's embedding.
No scoring of ours: each list keeps the store's order. The Data API's lexical match needs every query term
(like `$match`), so a keyword list that comes back short is completed by one list per query word (the same
BM25 sort over transcript passages, each word alone), fused after it. Lists are fused by weighted reciprocal rank fusion
(score = sum of weight / (RRF_K + rank)), one result per video, the best passage of a video kept as its
"moment". Vector hits below a similarity floor are not results (so a nonsense query finds nothing rather than
the least-distant videos). The fused list (at most a few hundred videos) is the result set: filters (tag,
upload date) and the other sorts (newest, most viewed, top rated) apply to it, and its length is the true
total. Results are always joined to the video's public card, so a removed video is never shown.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from catalog import embeddings
from catalog import services as catalog
from catalog.domain import VideoSummary, normalise_tag
from discovery import passages as text
from discovery import repositories as repo
from discovery.repositories import Hit
from killrvideo import cache
from killrvideo.errors import ValidationFailed
from killrvideo.pagination import Page, PageRequest

MODES: Final = ("hybrid", "semantic", "keyword")
SORTS: Final = ("relevance", "newest", "views", "rating")
PERIODS: Final = {"any": None, "week": 7, "month": 31, "year": 366}
MAX_QUERY: Final = 200
CANDIDATES: Final = 50  # per list
WORD_LISTS: Final = 6  # at most this many one-word lists complete a short keyword list
WORD_CANDIDATES: Final = 20
RRF_K: Final = 20
# Astra's similarity is (1 + cosine) / 2; MiniLM puts unrelated English text at cosine ~0..0.2.
VIDEO_FLOOR: Final = 0.62
PASSAGE_FLOOR: Final = 0.64
# List weights per mode, and RRF_K, tuned as global constants on bench/search_queries.json (a grid over
# 3 x 4 x 3 x 3 x 3 weights and K in {20, 60}; see ARCHITECTURE.md): the keyword lists lead when the
# query's words are there (product names, spoken phrases), the vector lists when they are not (paraphrases).
WEIGHTS: Final[dict[str, dict[str, float]]] = {
    "keyword": {"kw_video": 1.0, "kw_passage": 0.7, "kw_word": 0.4},
    "semantic": {"sem_video": 0.6, "sem_passage": 0.7},
    "hybrid": {"kw_video": 1.0, "kw_passage": 0.7, "kw_word": 0.6, "sem_video": 0.6, "sem_passage": 0.7},
}

_WORD = re.compile(r"\w+", re.UNICODE)
_pool = ThreadPoolExecutor(max_workers=12, thread_name_prefix="search")


@dataclass(frozen=True)
class SearchQuery:
    text: str
    mode: str = "hybrid"
    tag: str = ""
    period: str = "any"
    sort: str = "relevance"


@dataclass(frozen=True)
class Moment:
    """A transcript passage that matched: where it starts and an excerpt of it."""

    start: int
    excerpt: str

    @property
    def label(self) -> str:
        return text.timestamp(self.start)


@dataclass(frozen=True)
class SearchResult:
    video: VideoSummary
    score: float
    title: list[tuple[str, bool]] = field(default_factory=list)  # runs of the title, matches marked
    description: list[tuple[str, bool]] = field(default_factory=list)  # an excerpt, matches marked
    tags: list[str] = field(default_factory=list)  # tags matching the query
    moment: Moment | None = None
    semantic: bool = False  # found by meaning (a vector list) rather than by its words only


def clean_query(raw: object) -> str:
    query = " ".join(str(raw or "").split())
    if not query:
        raise ValidationFailed.for_field("query", "Type something to search for.", code="EMPTY_QUERY")
    if len(query) > MAX_QUERY:
        raise ValidationFailed.for_field("query", f"Search for at most {MAX_QUERY} characters.", code="QUERY_TOO_LONG")
    return query


def search_query(
    *, query: object, mode: object = "hybrid", tag: object = "", period: object = "any", sort: object = "relevance"
) -> SearchQuery:
    """Validated search parameters (clear errors naming the bad one)."""
    mode = str(mode or "hybrid")
    if mode not in MODES:
        raise ValidationFailed.for_field("mode", f"mode must be one of {', '.join(MODES)}.", code="INVALID_MODE")
    period = str(period or "any")
    if period not in PERIODS:
        raise ValidationFailed.for_field("uploaded", f"uploaded must be one of {', '.join(PERIODS)}.")
    sort = str(sort or "relevance")
    if sort not in SORTS:
        raise ValidationFailed.for_field("sort", f"sort must be one of {', '.join(SORTS)}.")
    return SearchQuery(clean_query(query), mode, normalise_tag(str(tag or "")), period, sort)


# ---- the query's embedding (cached per process) ----------------------------------------------------------

_VECTOR_CACHE_SIZE = 2048
_vectors: OrderedDict[str, list[float]] = OrderedDict()
_vectors_lock = threading.Lock()


def query_vector(query: str) -> list[float]:
    """MiniLM embedding of the query; the model is loaded once per process and recent queries are cached."""
    key = query.lower()
    with _vectors_lock:
        if key in _vectors:
            _vectors.move_to_end(key)
            return _vectors[key]
    vector = embeddings.embed_query(key)
    with _vectors_lock:
        _vectors[key] = vector
        while len(_vectors) > _VECTOR_CACHE_SIZE:
            _vectors.popitem(last=False)
    return vector


def warm_up() -> None:
    """Load the model now (at process start) rather than on the first search."""
    query_vector("warm up")


# ---- retrieval and fusion --------------------------------------------------------------------------------


def _words(query: str) -> list[str]:
    seen: list[str] = []
    for word in _WORD.findall(query.lower()):
        if len(word) > 2 and word not in seen:
            seen.append(word)
    return seen[:WORD_LISTS]


def _lists(query: str, mode: str) -> dict[str, list[Hit]]:
    """Each list the mode uses, fetched in parallel (each is one Data API read)."""
    jobs: dict[str, Callable[[], list[Hit]]] = {}
    if mode in ("keyword", "hybrid"):
        jobs["kw_video"] = lambda: repo.search_videos_lexical(query, CANDIDATES)
        jobs["kw_passage"] = lambda: repo.passages_lexical(query, CANDIDATES)
    if mode in ("semantic", "hybrid"):
        vector = query_vector(query)
        jobs["sem_video"] = lambda: [
            h for h in repo.search_videos_nearest(vector, CANDIDATES) if h.score >= VIDEO_FLOOR
        ]
        jobs["sem_passage"] = lambda: [h for h in repo.passages_nearest(vector, CANDIDATES) if h.score >= PASSAGE_FLOOR]
    futures = {name: _pool.submit(job) for name, job in jobs.items()}
    lists = {name: future.result() for name, future in futures.items()}
    words = _words(query)
    short = mode != "semantic" and len(words) > 1
    if short and len({h.video_id for name in ("kw_video", "kw_passage") for h in lists[name]}) < CANDIDATES // 5:
        lists["kw_word"] = [hit for hits in _word_lists(words) for hit in hits]
    return lists


def _word_lists(words: list[str]) -> list[list[Hit]]:
    """The one-word passage lists, each cached under the search index's version: queries share their words
    far more than their whole text, so a new query mostly finds its words' lists cached (one round trip for
    all) and reads only the others, in parallel."""

    def read(missing: list[int]) -> list[list[Hit]]:
        jobs = [_pool.submit(repo.passages_lexical, words[i], WORD_CANDIDATES) for i in missing]
        return [job.result() for job in jobs]

    return cache.cached_each([(f"search-word:{word}:{WORD_CANDIDATES}", repo.SEARCH_INDEX) for word in words], read)


@dataclass
class _Fused:
    score: float = 0.0
    moment: Hit | None = None
    moment_rank: float = float("inf")
    semantic: bool = False


def fuse(lists: dict[str, list[Hit]], weights: dict[str, float]) -> OrderedDict[uuid.UUID, _Fused]:
    """Weighted reciprocal rank fusion, one entry per video, best first; a video's rank in a passage list is
    that of its best passage, which becomes its moment (the best-ranked passage over all lists)."""
    fused: dict[uuid.UUID, _Fused] = {}
    for name, hits in lists.items():
        weight = weights.get(name, 0.0)
        if not weight:
            continue
        rank = 0
        seen: set[uuid.UUID] = set()
        for hit in hits:
            if hit.video_id in seen:
                continue
            seen.add(hit.video_id)
            rank += 1
            entry = fused.setdefault(hit.video_id, _Fused())
            entry.score += weight / (RRF_K + rank)
            entry.semantic = entry.semantic or name.startswith("sem_")
            if hit.start is not None and rank / weight < entry.moment_rank:
                entry.moment, entry.moment_rank = hit, rank / weight
    return OrderedDict(sorted(fused.items(), key=lambda kv: (-kv[1].score, str(kv[0]))))


# ---- the use case ----------------------------------------------------------------------------------------

_SORT_KEYS: dict[str, Callable[[SearchResult], tuple[object, ...]]] = {
    "newest": lambda r: (-r.video.added_date.timestamp(), -r.score),
    "views": lambda r: (-r.video.views, -r.score),
    "rating": lambda r: (-(r.video.average_rating or 0.0), -r.video.total_ratings_count, -r.score),
}


def _keep(card: VideoSummary, query: SearchQuery, since: datetime | None) -> bool:
    if query.tag and query.tag not in card.tags:
        return False
    return since is None or card.added_date >= since


def _result(card: VideoSummary, entry: _Fused, stems: frozenset[str]) -> SearchResult:
    passage = entry.moment.text if entry.moment is not None else None
    title, description, tags, excerpt = _highlights(card.name, card.description, tuple(card.tags), passage, stems)
    return SearchResult(
        video=card,
        score=round(entry.score, 6),
        title=list(title),
        description=list(description),
        tags=list(tags),
        moment=Moment(entry.moment.start or 0, excerpt) if entry.moment is not None and excerpt is not None else None,
        semantic=entry.semantic,
    )


Runs = tuple[tuple[str, bool], ...]


@functools.lru_cache(maxsize=4096)
def _highlights(
    title: str, description: str, tags: tuple[str, ...], passage: str | None, stems: frozenset[str]
) -> tuple[Runs, Runs, tuple[str, ...], str | None]:
    """What a result shows of why it matched: its title's runs, its description's excerpt's runs, its matching
    tags and the excerpt of its transcript moment. Memoised per process under the texts and the query's
    stems (a repeated query, or another page of it, highlights the same cards again)."""
    shown = text.excerpt(description, stems) if text.has_match(description, stems) else ""
    return (
        tuple(text.marked(title, stems)),
        tuple(text.marked(shown, stems)),
        tuple(text.matching_tags(tags, stems)),
        text.excerpt(passage, stems) if passage is not None else None,
    )


def _public(fused: OrderedDict[uuid.UUID, _Fused], lists: dict[str, list[Hit]]) -> list[uuid.UUID]:
    """The fused videos that are public, in order: a `search_videos` row exists only while its video is
    public, so videos found through it are; those found only through transcript passages are checked
    against the catalogue's cached videos (one lookup, never stale)."""
    public = {h.video_id for name in ("kw_video", "sem_video") for h in lists.get(name, ())}
    unknown = [vid for vid in fused if vid not in public]
    public |= catalog.public_among(video_ids=unknown) if unknown else set()
    return [vid for vid in fused if vid in public]


def _ranked(query: SearchQuery) -> tuple[OrderedDict[uuid.UUID, _Fused], list[uuid.UUID]]:
    """Every candidate fused, best first, and the public ones among them: all read from the search index
    only, so the pair is cached under its version (a repeated query costs one lookup, no embedding)."""
    lists = _lists(query.text, query.mode)
    fused = fuse(lists, WEIGHTS[query.mode])
    return fused, _public(fused, lists)


def videos_search(*, query: SearchQuery, request: PageRequest) -> Page[SearchResult]:
    """One page of results; `total` counts every result above the relevance cut (filters applied).

    Ranked by relevance and unfiltered (the common case), only the page's cards are read; a filter or
    another sort needs every candidate's card (at most a few hundred, one `$in` read per 100)."""
    key = hashlib.sha256(query.text.encode()).hexdigest()
    fused, ordered = cache.cached(f"search:{query.mode}:{key}", [repo.SEARCH_INDEX], lambda: _ranked(query))
    stems = text.query_stems(query.text)
    start, end = request.offset, request.offset + request.page_size
    if query.sort == "relevance" and not query.tag and query.period == "any":
        cards = catalog.video_cards(video_ids=ordered[start:end]) if ordered[start:end] else {}
        items = [_result(cards[vid], fused[vid], stems) for vid in ordered[start:end] if vid in cards]
        return Page(items, request.page, request.page_size, len(ordered))
    cards = catalog.video_cards(video_ids=list(fused)) if fused else {}
    days = PERIODS[query.period]
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    results = [
        _result(cards[vid], entry, stems)
        for vid, entry in fused.items()
        if vid in cards and _keep(cards[vid], query, since)
    ]
    if query.sort in _SORT_KEYS:
        results.sort(key=_SORT_KEYS[query.sort])
    return Page(results[start:end], request.page, request.page_size, len(results))
