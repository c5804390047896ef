"""Star ratings: one rating per user and video (create or replace), exact counts and means under concurrency,
and a Bayesian (damped) average for ranking.

A rating is written under a per-(video, user) lock (old value read, new row written, aggregates changed by
the difference), so a user re-rating in parallel leaves one rating and one count. The aggregates live in
Redis hashes changed atomically (community.repositories.rating_aggregates) and are written through to Astra
as absolute values under a per-aggregate lock, so the durable copy is never older than a value already
written, and Redis can be re-seeded from it after a loss.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any, Final

from django.conf import settings
from django.dispatch import Signal

from accounts import permissions
from accounts.permissions import Actor
from catalog import services as catalog_services
from catalog.domain import Video
from community.domain import RATING_VALUES, Rating, RatingSummary
from community.repositories import rating_aggregates as aggregates
from community.repositories import ratings as repo
from killrvideo import ratelimit, redis
from killrvideo.errors import NotFound, PermissionDenied, ValidationFailed

logger = logging.getLogger(__name__)

# The middle of the 1..5 scale: the prior mean before anyone on the site has rated anything.
NEUTRAL_PRIOR_MEAN: Final = 3.0

# Sent after a rating is stored (kwargs: rating, previous: int | None, video) for other parts of community,
# e.g. the activity timeline; connected in community/apps.py.
rating_saved = Signal()


def rating_value(raw: Any) -> int:
    """A whole number of stars, 1 to 5 (True, 2.5 and "5" are not)."""
    if type(raw) is not int or raw not in RATING_VALUES:
        raise ValidationFailed.for_field("rating", "Choose a rating from 1 to 5 stars.", code="INVALID_RATING")
    return raw


def public_video(video_id: uuid.UUID) -> Video:
    video = catalog_services.video_find(video_id=video_id)
    if video is None or not video.is_public:
        raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
    return video


def may_rate(actor: Actor, video: Video) -> bool:
    return permissions.is_signed_in(actor) and actor.user_id != video.user_id


def rating_set(*, actor: Actor, video_id: uuid.UUID, rating: Any) -> Rating:
    """Create or replace the actor's rating of a public video that is not their own."""
    user = permissions.require_signed_in(actor, "Sign in to rate videos.")
    stars = rating_value(rating)
    video = public_video(video_id)
    if user.user_id == video.user_id:
        raise PermissionDenied("You can't rate your own video.", code="OWN_VIDEO")
    ratelimit.hit(
        "rating",
        str(user.user_id),
        limit=settings.RATING_RATE_LIMIT,
        window_seconds=settings.RATING_RATE_WINDOW_SECONDS,
    )
    with redis.lock(f"rating:{video_id}:{user.user_id}"):
        old = repo.rating_get(video_id, user.user_id)
        now = datetime.now(UTC)
        new = Rating(
            video_id=video_id,
            user_id=user.user_id,
            rating=stars,
            created_at=old.created_at if old else now,
            updated_at=now,
        )
        repo.rating_put(new)
        count_delta, sum_delta = (0, stars - old.rating) if old else (1, stars)
        _aggregates_change(video_id, count_delta, sum_delta)
    rating_saved.send(sender=Rating, rating=new, previous=old.rating if old else None, video=video)
    return new


def _aggregates_change(video_id: uuid.UUID, count_delta: int, sum_delta: int) -> None:
    if count_delta == 0 and sum_delta == 0:
        return
    scope = aggregates.video_scope(video_id)
    aggregates.aggregate_change(scope, count_delta, sum_delta, lambda: _durable_video(video_id))
    with aggregates.write_through_lock(scope):
        current = aggregates.aggregate_get(scope)
        if current is not None:
            repo.video_ratings_put(video_id, *current)
    site_aggregate_change(count_delta, sum_delta)


def site_aggregate_change(count_delta: int, sum_delta: int) -> None:
    """The site-wide pair, changed atomically and written through (also by the rebuild of one video)."""
    aggregates.aggregate_change(aggregates.SITE, count_delta, sum_delta, repo.site_ratings_get)
    with aggregates.write_through_lock(aggregates.SITE):
        site = aggregates.aggregate_get(aggregates.SITE)
        if site is not None:
            repo.site_ratings_put(*site)


def _durable_video(video_id: uuid.UUID) -> tuple[int, int] | None:
    return repo.video_ratings_get_many([video_id]).get(video_id)


# ---- reads ----------------------------------------------------------------------------------------


def ratings_summary_many(*, video_ids: list[uuid.UUID]) -> dict[uuid.UUID, RatingSummary]:
    """Count and sum for each id: one batched Redis read, then `$in` reads (100 ids each) for ids Redis does not hold
    (whose values are then cached, HSETNX)."""
    ids = list(dict.fromkeys(video_ids))
    cached = aggregates.aggregates_get_many([aggregates.video_scope(vid) for vid in ids])
    pairs = {vid: cached[aggregates.video_scope(vid)] for vid in ids if aggregates.video_scope(vid) in cached}
    missing = [vid for vid in ids if vid not in pairs]
    if missing:
        durable = repo.video_ratings_get_many(missing)
        seeded = {vid: durable.get(vid, (0, 0)) for vid in missing}
        aggregates.aggregates_seed_many({aggregates.video_scope(vid): pair for vid, pair in seeded.items()})
        pairs.update(seeded)
    return {vid: RatingSummary(video_id=vid, count=count, total=total) for vid, (count, total) in pairs.items()}


def rating_summary(*, video_id: uuid.UUID) -> RatingSummary:
    """A public video's count and average (404 for a missing or non-public video)."""
    public_video(video_id)
    return ratings_summary_many(video_ids=[video_id])[video_id]


def rating_of(*, actor: Actor, video_id: uuid.UUID) -> Rating | None:
    """The actor's own rating of the video (None for anonymous visitors and users who have not rated)."""
    if not permissions.is_signed_in(actor):
        return None
    return repo.rating_get(video_id, actor.user_id)


def site_rating_summary() -> tuple[int, int]:
    """(count, sum) of every rating on the site."""
    pair = aggregates.aggregate_get(aggregates.SITE)
    if pair is None:
        pair = repo.site_ratings_get() or (0, 0)
        aggregates.aggregates_seed_many({aggregates.SITE: pair})
    return pair


def prior_mean() -> float:
    count, total = site_rating_summary()
    return total / count if count else NEUTRAL_PRIOR_MEAN


def bayesian_average(*, summary: RatingSummary, prior: float | None = None) -> float:
    """The damped average used for ranking: a video with few ratings stays near the site-wide mean."""
    mean = prior_mean() if prior is None else prior
    return summary.damped(prior_mean=mean, prior_weight=settings.RATING_PRIOR_WEIGHT)


def bayesian_averages(*, video_ids: list[uuid.UUID]) -> dict[uuid.UUID, float]:
    """Damped averages for many videos (later features rank by these), with one read of the prior."""
    mean = prior_mean()
    summaries = ratings_summary_many(video_ids=video_ids)
    return {vid: bayesian_average(summary=summary, prior=mean) for vid, summary in summaries.items()}


def rating_card_fields(video_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Registered with catalog.services.register_card_fields: the numbers on every card and detail."""
    return {
        vid: {"average_rating": summary.average, "total_ratings_count": summary.count}
        for vid, summary in ratings_summary_many(video_ids=video_ids).items()
    }
