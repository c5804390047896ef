"""For You: a feed personalised from what the user rated, watched and commented on.

State. Each user has one `user_preferences` row: a 384-d vector, the decayed sum of the embeddings of the
videos they acted on, weighted by the action (rating 5★ +1, 4★ +0.5, 3★ 0, 2★ -0.5, 1★ -1; a counted view
+0.3; a comment +0.5), halving every 30 days. It changes one event at a time: the signals' receivers hand
each action to a Celery task (by name), which under a per-user Redis lock reads the row and the user's
`interactions_by_user` row for the video, applies `discovery.domain.apply_event`, and writes both back. A
re-rating takes back the previous rating's (decayed) contribution, so the vector holds one per rating; an
event id kept on the row makes a redelivered task a no-op. Nothing is recomputed from the history
(`discovery.services.preferences`).

Feed (cached per user and preference version, so the next action shows on the next page load):
- candidates: the 100 public videos nearest the preference vector (one vector search), the 20 nearest each
  of the user's 3 strongest liked videos ("anchors", which give the reasons), and a popular/fresh pool
  (trending this week and month, most viewed, the 100 newest), minus everything the user already watched,
  rated or commented on (one `$in` read of their partition per 100 candidates), and their own uploads;
- score = cos(preference, video) + 0.2 x popularity + 0.1 x freshness, where popularity = 0.6 x the
  Bayesian-average rating scaled to 0..1 + 0.4 x log views (recent views count twice) scaled to the
  candidates' most viewed, and freshness halves every 7 days (a pool video the vector search did not
  return gets the lowest similarity it did return);
- a candidate with cosine >= 0.2 to the preference, or >= 0.3 to a liked video, is a personal pick (its
  reason names the most similar liked video: "Because you rated X 5★"); the others are exploration picks
  ("Popular in #tag" for a tag of a liked video, "New this week", "Trending this week", ...), and one takes
  at least every 5th place, so the feed always mixes in something popular or new. Near-duplicate titles go
  after the distinct ones; at most 100 items.
Cold start (no state yet, or signed out): the pool ranked by popularity + 0.1 x freshness.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from accounts import permissions
from accounts.permissions import Actor
from catalog import services as catalog
from catalog.domain import VideoSummary, utcnow
from community import services as community
from discovery import foryou_repository as repo
from discovery.domain import (
    TITLE_DUPLICATE,
    Anchor,
    Preference,
    Recommendation,
    jaccard,
    title_tokens,
)
from discovery.services import popular
from killrvideo import redis
from killrvideo.pagination import Page, PageRequest

FEED_SIZE = 100
NEAREST = 100
ANCHORS_SEARCHED = 3
ANCHOR_NEIGHBOURS = 20
LATEST_IN_POOL = 100
POPULARITY_WEIGHT = 0.2
FRESHNESS_WEIGHT = 0.1
FRESH_HALF_LIFE_DAYS = 7.0
NEW_THIS_WEEK = timedelta(days=7)
EXPLORE_EVERY = 5
# Astra similarities (0..1, i.e. (1 + cos) / 2) from which a candidate counts as matching the user's taste,
# and as explained by a liked video ("Because you rated X 5★"): cosine 0.2 and 0.3.
PERSONAL_SIMILARITY = 0.6
ANCHOR_REASON_SIMILARITY = 0.65
HIGHLY_RATED = 4.0
FEED_CACHE_SECONDS = 600
COLD_CACHE_SECONDS = 60


# ---- keeping cached feeds current -------------------------------------------------------------------


def on_video_visibility_changed(sender: object, **_: Any) -> None:
    """catalog's `video_visibility_changed`: a video joined or left the public catalogue, so every cached
    feed is out of date (they are keyed by this epoch and rebuilt on their next read)."""
    redis.client().incr(redis.key("foryou:epoch"))


# ---- the feed ------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    video: VideoSummary
    similarity: float | None = None  # Astra's 0..1 similarity to the preference vector, when searched
    anchor: tuple[Anchor, float] | None = None  # the liked video it is most similar to, and how much
    window_views: int = 0  # views over the last month (trending), counted on top of the total
    trending: bool = False  # in this week's trending
    popularity: float = 0.0
    bayesian: float = 0.0
    score: float = 0.0

    @property
    def personal(self) -> bool:
        """Near enough to what the user likes to be recommended for that (else it is an exploration pick)."""
        near = self.similarity is not None and self.similarity >= PERSONAL_SIMILARITY
        return near or (self.anchor is not None and self.anchor[1] >= ANCHOR_REASON_SIMILARITY)


def for_you_page(*, actor: Actor, request: PageRequest) -> Page[Recommendation]:
    """The signed-in user's feed (their cold-start list until their first action has been applied)."""
    user = permissions.require_signed_in(actor, "Sign in to get recommendations.")
    version = repo.preference_version(user.user_id)
    if version is None:
        return _page(_cold_feed(), request)
    key = f"foryou:feed:{user.user_id}:{version}:{_epoch()}"
    return _page(_cached(key, FEED_CACHE_SECONDS, lambda: _feed_of(user.user_id)), request)


def _feed_of(user_id: uuid.UUID) -> list[dict[str, Any]]:
    """Built from the row as it is now: when an event landed since its version was read, the feed is that
    newer state's, cached under the older version that no later request asks for."""
    preference = repo.preference_get(user_id)
    return _build_cold_feed() if preference is None else _personal_feed(preference)


def popular_page(*, request: PageRequest) -> Page[Recommendation]:
    """The cold-start list: popular by Bayesian-average rating and recent views, with a little freshness."""
    return _page(_cold_feed(), request)


def _page(entries: list[dict[str, Any]], request: PageRequest) -> Page[Recommendation]:
    chosen = entries[request.offset : request.offset + request.page_size]
    cards = catalog.video_cards(video_ids=[uuid.UUID(entry["v"]) for entry in chosen]) if chosen else {}
    items = [
        Recommendation(video=cards[vid], score=float(entry["s"]), reason=str(entry["r"]))
        for entry in chosen
        if (vid := uuid.UUID(entry["v"])) in cards  # removed since the feed was built (the epoch moves on)
    ]
    return Page(items, request.page, request.page_size, len(entries))


def _epoch() -> int:
    return int(redis.client().get(redis.key("foryou:epoch")) or 0)


def _cached(name: str, seconds: int, build: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    client, key = redis.client(), redis.key(name)
    held = client.get(key)
    if held is not None:
        return list(json.loads(held))
    entries = build()
    client.set(key, json.dumps(entries), ex=seconds)
    return entries


def _entry(candidate: _Candidate, reason: str) -> dict[str, Any]:
    return {"v": str(candidate.video.video_id), "s": round(candidate.score, 4), "r": reason}


def _cold_feed() -> list[dict[str, Any]]:
    return _cached(f"foryou:cold:{_epoch()}", COLD_CACHE_SECONDS, _build_cold_feed)


def _build_cold_feed() -> list[dict[str, Any]]:
    pool = list(_pool().values())
    _score_popularity(pool)
    for candidate in pool:
        candidate.score = candidate.popularity + FRESHNESS_WEIGHT * _freshness(candidate.video)
    ranked = _diversified(pool)
    tag_rank = _tag_rank()
    return [_entry(c, _popular_reason(c, tag_rank)) for c in ranked[:FEED_SIZE]]


def _personal_feed(preference: Preference) -> list[dict[str, Any]]:
    now = utcnow()
    anchors = preference.strongest_anchors(now, ANCHORS_SEARCHED)
    candidates = _personal_candidates(preference, anchors)
    for vid, candidate in _pool().items():
        existing = candidates.setdefault(vid, candidate)
        existing.window_views, existing.trending = candidate.window_views, candidate.trending
    seen = repo.interactions_seen(preference.user_id, list(candidates))
    remaining = [c for vid, c in candidates.items() if vid not in seen and c.video.user_id != preference.user_id]
    _score_popularity(remaining)
    known = [2 * c.similarity - 1 for c in remaining if c.similarity is not None]
    floor = min(known, default=0.0)
    for c in remaining:
        cosine = 2 * c.similarity - 1 if c.similarity is not None else floor
        c.score = cosine + POPULARITY_WEIGHT * c.popularity + FRESHNESS_WEIGHT * _freshness(c.video)
    liked = preference.strongest_anchors(now, len(preference.anchors))
    # Without a liked video (only low ratings so far) nothing is "for" the user yet: the vector still ranks.
    personal = _diversified([c for c in remaining if liked and c.personal])
    explore = _diversified([c for c in remaining if not (liked and c.personal)])
    tag_rank = _tag_rank()
    return [
        _entry(c, _personal_reason(c, liked) if c.personal else _explore_reason(c, liked, tag_rank))
        for c in _mix(personal, explore)[:FEED_SIZE]
    ]


def _personal_candidates(preference: Preference, anchors: Sequence[Anchor]) -> dict[uuid.UUID, _Candidate]:
    """Nearest to the preference vector, and to each strongest liked video (which then explains them)."""
    own = frozenset(anchor.video_id for anchor in preference.anchors)
    found: dict[uuid.UUID, _Candidate] = {}
    direction = preference.direction()
    if direction is not None:
        for video, similarity in catalog.videos_nearest(vector=direction, limit=NEAREST, exclude=own):
            found[video.video_id] = _Candidate(video=video, similarity=similarity)
    for anchor in anchors:
        vector = catalog.video_embedding(video_id=anchor.video_id)
        if vector is None:
            continue
        for video, similarity in catalog.videos_nearest(vector=vector, limit=ANCHOR_NEIGHBOURS, exclude=own):
            candidate = found.setdefault(video.video_id, _Candidate(video=video))
            if candidate.anchor is None or similarity > candidate.anchor[1]:
                candidate.anchor = (anchor, similarity)
    return found


def _pool() -> dict[uuid.UUID, _Candidate]:
    """Popular and fresh public videos, a bounded set from query-first tables: trending this week and this
    month (<= 30 day partitions each), the all-time most viewed (one partition), the newest 100."""
    pool: dict[uuid.UUID, _Candidate] = {}
    for video, views in catalog.trending(interval_days=30, limit=10):
        pool[video.video_id] = _Candidate(video=video, window_views=views)
    for video, _views in catalog.trending(interval_days=7, limit=10):
        pool.setdefault(video.video_id, _Candidate(video=video)).trending = True
    for video, _views in catalog.trending_alltime(limit=10):
        pool.setdefault(video.video_id, _Candidate(video=video))
    for video in catalog.latest_page(request=PageRequest(1, LATEST_IN_POOL)).items:
        pool.setdefault(video.video_id, _Candidate(video=video))
    return pool


def _score_popularity(candidates: Sequence[_Candidate]) -> None:
    """0.6 x Bayesian average (1..5 -> 0..1) + 0.4 x log views relative to the most viewed candidate."""
    averages = community.bayesian_averages(video_ids=[c.video.video_id for c in candidates])
    most = max((c.video.views + c.window_views for c in candidates), default=0)
    for c in candidates:
        c.bayesian = averages.get(c.video.video_id, 3.0)
        views = math.log1p(c.video.views + c.window_views) / math.log1p(most) if most else 0.0
        c.popularity = 0.6 * (c.bayesian - 1) / 4 + 0.4 * views


def _freshness(video: VideoSummary) -> float:
    age_days = max(0.0, (utcnow() - video.added_date).total_seconds() / 86400)
    return float(0.5 ** (age_days / FRESH_HALF_LIFE_DAYS))


def _diversified(candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """Best first (a sort of a bounded list), with near-duplicate titles (re-runs, part 1/part 2) moved after
    every distinct one, so one series cannot fill the top of the feed."""
    ranked = sorted(candidates, key=lambda c: (-c.score, str(c.video.video_id)))
    distinct: list[_Candidate] = []
    repeats: list[_Candidate] = []
    titles: list[frozenset[str]] = []
    for candidate in ranked:
        tokens = title_tokens(candidate.video.name)
        if any(jaccard(tokens, other) >= TITLE_DUPLICATE for other in titles):
            repeats.append(candidate)
        else:
            distinct.append(candidate)
            titles.append(tokens)
    return distinct + repeats


def _mix(personal: Sequence[_Candidate], explore: Sequence[_Candidate]) -> list[_Candidate]:
    """Merge two best-first lists by score, with an exploration item at least every EXPLORE_EVERY places."""
    mixed: list[_Candidate] = []
    p = e = since = 0
    while p < len(personal) or e < len(explore):
        due = since == EXPLORE_EVERY - 1
        take_explore = e < len(explore) and (p >= len(personal) or due or explore[e].score > personal[p].score)
        if take_explore:
            mixed.append(explore[e])
            e, since = e + 1, 0
        else:
            mixed.append(personal[p])
            p, since = p + 1, since + 1
    return mixed


# ---- reasons -------------------------------------------------------------------------------------------


def _tag_rank() -> dict[str, int]:
    return {item.tag: rank for rank, item in enumerate(popular.popular_tags(limit=popular.MAX_POPULAR))}


def _personal_reason(candidate: _Candidate, liked: Sequence[Anchor]) -> str:
    if candidate.anchor is not None and candidate.anchor[1] >= ANCHOR_REASON_SIMILARITY:
        return candidate.anchor[0].reason
    tags = set(candidate.video.tags)
    sharing = next((anchor for anchor in liked if tags & set(anchor.tags)), None)
    return sharing.reason if sharing else "Matches your interests"


def _explore_reason(candidate: _Candidate, liked: Sequence[Anchor], tag_rank: dict[str, int]) -> str:
    liked_tags = {tag for anchor in liked for tag in anchor.tags}
    shared = _best_tag(candidate.video.tags, tag_rank, among=liked_tags)
    if shared:
        return f"Popular in #{shared}"
    return _popular_reason(candidate, tag_rank)


def _popular_reason(candidate: _Candidate, tag_rank: dict[str, int]) -> str:
    if candidate.trending:
        return "Trending this week"
    if utcnow() - candidate.video.added_date <= NEW_THIS_WEEK:
        return "New this week"
    if candidate.video.total_ratings_count and candidate.bayesian >= HIGHLY_RATED:
        return "Highly rated"
    tag = _best_tag(candidate.video.tags, tag_rank)
    if not (candidate.video.views or candidate.video.total_ratings_count):
        return f"More in #{tag}" if tag else "Something different"
    return f"Popular in #{tag}" if tag else "Popular on KillrVideo"


def _best_tag(tags: Iterable[str], tag_rank: dict[str, int], *, among: set[str] | None = None) -> str | None:
    """The video's tag that the most public videos carry (only tags in `among`, when given)."""
    usable = [tag for tag in tags if among is None or tag in among]
    ranked = sorted(usable, key=lambda tag: (tag_rank.get(tag, len(tag_rank)), tag))
    return ranked[0] if ranked else None
