"""Ratings stay exact under concurrency and survive a Redis loss; the Bayesian average for ranking."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.test import Client

from accounts.domain import Role
from accounts.tests.factories import make_user
from community.domain import RatingSummary
from community.repositories import ratings as repo
from community.services import ratings as services
from community.tests.ratings_support import LEGACY, NEW, get_ratings, post_rating, stored, stored_rating
from killrvideo import redis


def _all_at_once(calls):
    """Runs the calls in as many threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_fifty_users_rating_at_the_same_moment_give_fifty_ratings_and_the_exact_mean(creator, publish_video):
    video = publish_video(creator, title="Fifty at once")
    users = [make_user(Role.VIEWER, first_name=f"R{n}") for n in range(50)]
    stars = [1 + (n * 7) % 5 for n in range(50)]
    stars[0] = 5  # an uneven spread: the mean is not a round number
    urls = [NEW if n % 2 else LEGACY for n in range(50)]  # both pairs, one store
    calls = [
        (lambda u=u, s=s, url=url: post_rating(Client(), url, video.video_id, {"rating": s}, u).status_code)
        for u, s, url in zip(users, stars, urls, strict=True)
    ]
    codes = _all_at_once(calls)
    assert sorted(codes) == sorted(HTTPStatus.OK if url == NEW else HTTPStatus.NO_CONTENT for url in urls)
    expected_mean = round(sum(stars) / 50, 1)
    client = Client()
    summary = client.get(LEGACY.format(video.video_id)).json()
    assert (summary["ratingCount"], summary["averageRating"]) == (50, expected_mean)
    assert stored(video.video_id) == (50, sum(stars))  # the durable copy is the final value, not an older one
    [card] = [c for c in client.get("/api/v1/videos/latest").json()["data"] if c["videoId"] == str(video.video_id)]
    assert (card["totalRatingsCount"], card["averageRating"]) == (50, expected_mean)
    assert services.site_rating_summary() == (50, sum(stars))
    assert repo.site_ratings_get() == (50, sum(stars))


def test_one_user_re_rating_twenty_times_in_parallel_leaves_one_rating(client, creator, viewer, publish_video):
    video = publish_video(creator)
    values = [1 + n % 5 for n in range(20)]
    calls = [
        (lambda s=s: post_rating(Client(), NEW, video.video_id, {"rating": s}, viewer).status_code) for s in values
    ]
    assert _all_at_once(calls) == [HTTPStatus.OK] * 20
    last = stored_rating(video.video_id, viewer)
    assert last in values
    body = get_ratings(client, video.video_id, viewer).json()
    assert (body["totalRatingsCount"], body["averageRating"], body["currentUserRating"]) == (1, float(last), last)
    assert stored(video.video_id) == (1, last)
    assert services.site_rating_summary() == (1, last)


def _forget_redis() -> None:
    r = redis.client()
    keys = list(r.scan_iter(redis.key("ratings:*")))
    assert keys, "the ratings hashes should exist before the loss"
    r.delete(*keys)


def test_after_a_redis_loss_reads_reseed_from_astra_and_counting_goes_on(
    client, creator, viewer, other_creator, moderator, publish_video
):
    video = publish_video(creator)
    post_rating(client, NEW, video.video_id, {"rating": 5}, viewer)
    post_rating(client, NEW, video.video_id, {"rating": 2}, other_creator)
    _forget_redis()
    assert client.get(LEGACY.format(video.video_id)).json()["ratingCount"] == 2  # re-seeded from video_ratings
    assert services.site_rating_summary() == (2, 7)  # and the site-wide pair from community_totals
    post_rating(client, NEW, video.video_id, {"rating": 4}, moderator)
    post_rating(client, NEW, video.video_id, {"rating": 3}, viewer)  # a re-rate: 5 -> 3
    summary = client.get(LEGACY.format(video.video_id)).json()
    assert (summary["ratingCount"], summary["averageRating"]) == (3, 3.0)
    assert stored(video.video_id) == (3, 9)
    _forget_redis()  # lost again, and the next thing is a write rather than a read
    post_rating(client, LEGACY, video.video_id, {"rating": 5}, make_user(Role.VIEWER))
    assert stored(video.video_id) == (4, 14)
    assert services.ratings_summary_many(video_ids=[video.video_id])[video.video_id].count == 4
    assert services.site_rating_summary() == (4, 14)


def test_cards_read_a_page_of_videos_in_one_batch(client, creator, viewer, publish_video):
    videos = [publish_video(creator, title=f"Card {n}") for n in range(3)]
    post_rating(client, NEW, videos[0].video_id, {"rating": 4}, viewer)
    _forget_redis()
    ids = [v.video_id for v in videos]
    summaries = services.ratings_summary_many(video_ids=ids)
    assert [(summaries[i].count, summaries[i].average) for i in ids] == [(1, 4.0), (0, None), (0, None)]
    # Seeded: every id (rated or not) is now answered by Redis alone.
    assert set(services.aggregates.aggregates_get_many([services.aggregates.video_scope(i) for i in ids])) == {
        services.aggregates.video_scope(i) for i in ids
    }


def test_bayesian_average_pulls_few_ratings_towards_the_site_mean(client, creator, publish_video, settings):
    settings.RATING_PRIOR_WEIGHT = 5.0
    popular, niche = publish_video(creator, title="Popular"), publish_video(creator, title="Niche")
    raters = [make_user(Role.VIEWER) for _ in range(10)]
    for user in raters:
        post_rating(client, NEW, popular.video_id, {"rating": 4}, user)
    post_rating(client, NEW, niche.video_id, {"rating": 5}, raters[0])
    prior = 45 / 11  # every rating on the site
    assert services.prior_mean() == pytest.approx(prior)
    damped = services.bayesian_averages(video_ids=[popular.video_id, niche.video_id])
    assert damped[popular.video_id] == pytest.approx((prior * 5 + 40) / 15)
    assert damped[niche.video_id] == pytest.approx((prior * 5 + 5) / 6)
    assert damped[popular.video_id] < 4.1
    assert damped[niche.video_id] < 4.5
    unrated = RatingSummary(video_id=niche.video_id, count=0, total=0)
    assert services.bayesian_average(summary=unrated) == pytest.approx(prior)


def test_the_prior_is_the_scale_midpoint_before_anyone_rates(store):
    assert services.prior_mean() == services.NEUTRAL_PRIOR_MEAN
