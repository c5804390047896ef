"""For You: the preference state updated one event at a time, the feed built from it, cold start, the API and
the page. Most tests run the Celery task the receivers queued in-process (the queue is parked so the session
worker does not race them); one runs it through a real worker."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

import pytest
import redis as redis_lib
from django.conf import settings

from accounts.domain import Role
from accounts.tests.factories import api_headers, browser_sign_in, make_user, signed_in_client
from catalog import services as catalog
from catalog.tests.conftest import PARKED_QUEUE
from community import services as community
from discovery import foryou_repository, tasks
from discovery.domain import (
    Action,
    Anchor,
    Interaction,
    Preference,
    PreferenceEvent,
    apply_event,
    decay,
)
from discovery.services import foryou, preferences
from killrvideo.pagination import PageRequest
from killrvideo.tests.browser import check_axe, screenshot

T0 = datetime(2025, 1, 1, tzinfo=UTC)
E1 = (1.0, 0.0, 0.0)
E2 = (0.0, 1.0, 0.0)


# ---- pure rules ------------------------------------------------------------------------------------------


def _event(action: Action = Action.RATE, *, stars: int = 5, at: datetime = T0, video: uuid.UUID | None = None,
           event_id: str | None = None, user: uuid.UUID | None = None) -> PreferenceEvent:  # fmt: skip
    return PreferenceEvent(
        event_id=event_id or f"e-{uuid.uuid4()}",
        user_id=user or uuid.UUID(int=1),
        video_id=video or uuid.UUID(int=2),
        action=action,
        at=at,
        stars=stars if action is Action.RATE else 0,
        title="Cassandra intro",
        tags=("cassandra",),
    )


def _close(a, b) -> bool:
    return all(abs(x - y) < 1e-9 for x, y in zip(a, b, strict=True))


def test_weights_follow_the_action() -> None:
    expected = {5: 1.0, 4: 0.5, 3: 0.0, 2: -0.5, 1: -1.0}
    for stars, weight in expected.items():
        new, _ = apply_event(None, None, _event(stars=stars), E1)
        assert new is not None
        assert _close(new.vector, (weight, 0.0, 0.0))
    viewed, _ = apply_event(None, None, _event(Action.VIEW), E1)
    commented, _ = apply_event(None, None, _event(Action.COMMENT), E1)
    assert viewed is not None
    assert _close(viewed.vector, (0.3, 0.0, 0.0))
    assert commented is not None
    assert _close(commented.vector, (0.5, 0.0, 0.0))


def test_re_rating_replaces_the_previous_contribution_and_duplicates_are_no_ops() -> None:
    video = uuid.UUID(int=7)
    first = _event(stars=5, video=video)
    pref, row = apply_event(None, None, first, E1)
    assert pref is not None
    assert row is not None
    assert row.rating == 5
    again, same_row = apply_event(pref, row, first, E1)  # a redelivered task
    assert again is pref
    assert same_row == row
    later = _event(stars=1, video=video, at=T0 + timedelta(days=30))
    pref2, row2 = apply_event(pref, row, later, E1)
    assert pref2 is not None
    assert row2 is not None
    assert row2.rating == 1
    # Exactly one contribution for the rating: the new -1 (the old +1 taken back as it had decayed).
    assert _close(pref2.vector, (-1.0, 0.0, 0.0))
    assert pref2.version == 2
    assert pref2.anchors == ()  # a disliked video explains nothing
    stale = _event(stars=4, video=video, at=T0 + timedelta(days=1))  # older than the stored rating
    assert apply_event(pref2, row2, stale, E1) == (pref2, None)


def test_recency_decays_and_the_order_of_events_does_not_matter() -> None:
    a = _event(stars=5, at=T0, video=uuid.UUID(int=3))
    b = _event(Action.VIEW, at=T0 + timedelta(days=30), video=uuid.UUID(int=4))
    forward, _ = apply_event(apply_event(None, None, a, E1)[0], None, b, E2)
    backward, _ = apply_event(apply_event(None, None, b, E2)[0], None, a, E1)
    assert forward is not None
    assert backward is not None
    assert _close(forward.vector, (decay(timedelta(days=30)), 0.3, 0.0))
    assert _close(forward.vector, backward.vector)
    assert abs(decay(timedelta(days=30)) - 0.5) < 1e-9
    assert forward.updated_at == backward.updated_at == T0 + timedelta(days=30)


def test_anchors_keep_the_strongest_positive_interactions_with_their_reasons() -> None:
    pref = None
    for n in range(12):
        pref, _ = apply_event(pref, None, _event(stars=5, video=uuid.UUID(int=100 + n), at=T0 + timedelta(hours=n)), E1)
    assert pref is not None
    assert len(pref.anchors) == 8
    assert pref.anchors[0].video_id == uuid.UUID(int=111)  # the most recent counts most
    assert pref.anchors[0].reason == "Because you rated “Cassandra intro” 5★"
    watched = Anchor(video_id=uuid.UUID(int=1), title="X", weight=0.3, at=T0, viewed=True)
    assert watched.reason == "Because you watched “X”"
    assert Anchor(video_id=uuid.UUID(int=1), title="X", weight=0.5, at=T0, commented=True).reason == (
        "Because you commented on “X”"
    )


def test_a_video_without_embedding_still_counts_as_watched() -> None:
    pref, row = apply_event(None, None, _event(Action.VIEW), None)
    assert pref is not None
    assert pref.direction() is None
    assert row == Interaction(user_id=uuid.UUID(int=1), video_id=uuid.UUID(int=2), viewed_at=T0)


# ---- the stack: helpers ----------------------------------------------------------------------------------


def _apply_queued() -> int:
    """Run, in-process and in order, the For You tasks the receivers queued (the test queue is parked)."""
    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    applied = 0
    while (raw := client.rpop(PARKED_QUEUE)) is not None:
        message = json.loads(raw)
        if message["headers"]["task"] != preferences.PREFERENCE_TASK:
            continue  # processing and embedding already ran in-process (publish_video)
        args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        tasks.preference_apply.apply(args=args, kwargs=kwargs).get()
        applied += 1
    return applied


CATALOGUE = {  # name: (owner, title, tags, description)
    "modeling": ("creator", "Data modeling in Apache Cassandra", ("cassandra", "data modeling"),
                 "Partition keys, clustering columns and query-first tables."),
    "partitions": ("other", "Choosing Cassandra partition keys", ("cassandra", "data modeling"),
                   "Sizing partitions and clustering order in Apache Cassandra."),
    "compaction": ("creator", "Tuning Cassandra compaction", ("cassandra", "operations"),
                   "Compaction strategies for Apache Cassandra clusters."),
    "sourdough": ("other", "Baking sourdough bread at home", ("cooking", "bread"),
                  "Flour, water, salt and a sourdough starter, baked in a Dutch oven."),
    "pasta": ("creator", "Fresh pasta from scratch", ("cooking", "pasta"),
              "Making egg pasta dough by hand and rolling it thin."),
    "pizza": ("other", "Neapolitan pizza dough", ("cooking", "bread"),
              "Flour, water, salt and yeast: a long fermented pizza dough, baked hot."),
    "guitar": ("creator", "Beginner guitar chords", ("music",), "Your first open chords on the acoustic guitar."),
}  # fmt: skip


def _catalogue(creator, other_creator, publish_video) -> dict[str, Any]:
    owners = {"creator": creator, "other": other_creator}
    return {
        name: publish_video(owners[owner], title=title, tags=tags, description=description)
        for name, (owner, title, tags, description) in CATALOGUE.items()
    }


def _feed(user, page_size: int = 100) -> list:
    return foryou.for_you_page(actor=user, request=PageRequest(1, page_size)).items


def _ids(items) -> list[uuid.UUID]:
    return [item.video.video_id for item in items]


# ---- the stack: behaviour --------------------------------------------------------------------------------


def test_cold_start_ranks_by_bayesian_average(client, viewer, creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)
    raters = [make_user(Role.VIEWER) for _ in range(3)]
    for rater in raters:
        community.rating_set(actor=rater, video_id=made["pasta"].video_id, rating=5)
        community.rating_set(actor=rater, video_id=made["guitar"].video_id, rating=1)
    _apply_queued()

    items = _feed(viewer)  # no state yet: the cold-start list
    ids = _ids(items)
    assert set(ids) == {video.video_id for video in made.values()}
    assert ids[0] == made["pasta"].video_id
    assert ids[-1] == made["guitar"].video_id
    assert all(item.reason for item in items)
    assert foryou.popular_page(request=PageRequest(1, 100)).items == items  # what a signed-out visitor sees
    assert foryou_repository.preference_get(viewer.user_id) is None


def test_the_feed_follows_ratings_and_explains_itself(viewer, creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)

    community.rating_set(actor=viewer, video_id=made["modeling"].video_id, rating=5)
    assert _apply_queued() == 1
    items = _feed(viewer)
    ids = _ids(items)
    assert made["modeling"].video_id not in ids  # rated: seen already
    assert ids[0] == made["partitions"].video_id
    assert items[0].reason == "Because you rated “Data modeling in Apache Cassandra” 5★"
    cooking = [ids.index(made[name].video_id) for name in ("sourdough", "pasta", "pizza")]

    community.rating_set(actor=viewer, video_id=made["sourdough"].video_id, rating=5)
    assert _apply_queued() == 1
    after = _ids(_feed(viewer))
    assert made["sourdough"].video_id not in after
    assert after.index(made["pizza"].video_id) < cooking[2]  # bread now ranks higher than before
    assert foryou_repository.preference_get(viewer.user_id).version == 2


def test_a_low_rating_pushes_similar_videos_down(viewer, creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)
    community.rating_set(actor=viewer, video_id=made["modeling"].video_id, rating=5)
    community.rating_set(actor=viewer, video_id=made["sourdough"].video_id, rating=5)
    _apply_queued()
    before = {item.video.video_id: item for item in _feed(viewer)}
    pizza = made["pizza"].video_id

    community.rating_set(actor=viewer, video_id=made["sourdough"].video_id, rating=1)  # changed their mind
    _apply_queued()
    after = {item.video.video_id: item for item in _feed(viewer)}
    assert after[pizza].score < before[pizza].score
    assert list(after).index(pizza) > list(before).index(pizza)
    assert "sourdough" not in after[pizza].reason.lower()  # a disliked video explains nothing
    assert foryou_repository.interaction_get(viewer.user_id, made["sourdough"].video_id).rating == 1


def test_watched_and_commented_videos_are_left_out(viewer, creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)
    community.rating_set(actor=viewer, video_id=made["modeling"].video_id, rating=5)
    _apply_queued()
    assert made["partitions"].video_id in _ids(_feed(viewer))

    counted = catalog.video_view_record(
        video_id=made["partitions"].video_id, actor=viewer, viewer_id=None, ip="1.2.3.4"
    )
    assert counted
    community.comment_post(actor=viewer, video_id=made["pasta"].video_id, text="Lovely technique!")
    assert _apply_queued() == 2
    ids = _ids(_feed(viewer))
    assert made["partitions"].video_id not in ids
    assert made["pasta"].video_id not in ids
    assert made["modeling"].video_id not in ids
    assert len(ids) == len(made) - 3
    anchors = {a.video_id: a for a in foryou_repository.preference_get(viewer.user_id).anchors}
    assert anchors[made["pasta"].video_id].commented
    assert anchors[made["partitions"].video_id].viewed


def test_a_creator_is_not_recommended_their_own_videos(creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)
    community.rating_set(actor=creator, video_id=made["partitions"].video_id, rating=5)
    _apply_queued()
    owners = {item.video.user_id for item in _feed(creator)}
    assert owners == {other_creator.user_id}


def test_a_redelivered_task_changes_nothing(viewer, creator, publish_video) -> None:
    video = publish_video(creator, title="Cassandra intro", tags=("cassandra",))
    community.rating_set(actor=viewer, video_id=video.video_id, rating=4)
    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    raw = client.lindex(PARKED_QUEUE, 0)
    _apply_queued()
    first = foryou_repository.preference_get(viewer.user_id)
    client.lpush(PARKED_QUEUE, raw)  # the same message again, as after a worker crash before its ack
    _apply_queued()
    assert foryou_repository.preference_get(viewer.user_id) == first
    assert first.version == 1


def test_the_api_is_paginated_with_true_totals(client, viewer, creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)
    community.rating_set(actor=viewer, video_id=made["modeling"].video_id, rating=5)
    _apply_queued()
    url = "/api/v1/recommendations/foryou"

    body = client.get(url, {"page": 2, "pageSize": 4}, **api_headers(viewer)).json()
    assert body["pagination"] == {"currentPage": 2, "pageSize": 4, "totalItems": 6, "totalPages": 2}
    assert len(body["data"]) == 2
    first = client.get(url, {"pageSize": 4}, **api_headers(viewer)).json()["data"]
    assert first[0]["reason"] == "Because you rated “Data modeling in Apache Cassandra” 5★"
    assert {"videoId", "title", "thumbnailUrl", "averageRating", "tags", "reason"} <= set(first[0])
    every = {item["videoId"] for item in first} | {item["videoId"] for item in body["data"]}
    assert len(every) == 6
    assert str(made["modeling"].video_id) not in every
    assert client.get(url, {"page": 9}, **api_headers(viewer)).json()["data"] == []


def test_the_api_needs_a_signed_in_user(client, viewer, creator, moderator, admin, publish_video) -> None:
    publish_video(creator, title="Cassandra intro", tags=("cassandra",))
    url = "/api/v1/recommendations/foryou"
    response = client.get(url)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert set(response.json()) >= {"detail", "code"}
    assert client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == HTTPStatus.UNAUTHORIZED
    for user in (viewer, creator, moderator, admin):
        assert client.get(url, **api_headers(user)).status_code == HTTPStatus.OK


def test_the_api_rejects_bad_input(client, viewer) -> None:
    url = "/api/v1/recommendations/foryou"
    for params in ({"page": 0}, {"pageSize": 1000}, {"pageSize": 0}, {"page": "abc"}, {"pageSize": "2.5"},
                   {"page": 10_001}):  # fmt: skip
        response = client.get(url, params, **api_headers(viewer))
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, params
        assert response.json()["code"] == "VALIDATION_ERROR"
    assert foryou_repository.preference_get(viewer.user_id) is None


def test_the_page_and_the_header_link(client, viewer, creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)

    anonymous = client.get("/for-you").content.decode()
    assert "Sign in to get recommendations" in anonymous
    assert 'href="/for-you"' not in client.get("/").content.decode()  # the header links it for members
    assert made["guitar"].name in anonymous

    community.rating_set(actor=viewer, video_id=made["modeling"].video_id, rating=5)
    _apply_queued()
    signed_in = signed_in_client(client, viewer)
    html = signed_in.get("/for-you").content.decode()
    assert '<a href="/for-you" aria-current="page">For You</a>' in html
    assert "Sign in to get recommendations" not in html
    assert "Because you rated “Data modeling in Apache Cassandra” 5★" in html
    assert made["partitions"].name in html
    assert f'href="/watch/{made["modeling"].video_id}"' not in html
    fragment = signed_in.get("/for-you", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'id="results"' in fragment
    assert signed_in.get("/for-you?page=abc").status_code == HTTPStatus.OK
    assert signed_in.get("/for-you?page=99").status_code == HTTPStatus.FOUND


def test_a_video_removed_after_the_feed_was_built_leaves_it(viewer, creator, other_creator, publish_video) -> None:
    made = _catalogue(creator, other_creator, publish_video)
    community.rating_set(actor=viewer, video_id=made["modeling"].video_id, rating=5)
    _apply_queued()
    assert made["partitions"].video_id in _ids(_feed(viewer))
    catalog.video_soft_delete(actor=other_creator, video_id=made["partitions"].video_id)
    page = foryou.for_you_page(actor=viewer, request=PageRequest(1, 100))
    assert made["partitions"].video_id not in _ids(page.items)
    assert page.total == len(page.items)


@pytest.mark.worker
def test_a_real_worker_updates_the_feed_after_a_rating(client, celery_worker, viewer, creator, publish_video) -> None:
    with _parked():  # processed in-process, so the worker only runs the For You task
        liked = publish_video(creator, title="Data modeling in Apache Cassandra", tags=("cassandra",))
        similar = publish_video(creator, title="Choosing Cassandra partition keys", tags=("cassandra",))
        publish_video(creator, title="Baking sourdough bread at home", tags=("cooking",))
    assert all(catalog.video_embedding(video_id=v.video_id) for v in (liked, similar))
    url = "/api/v1/recommendations/foryou"
    before = client.get(url, **api_headers(viewer)).json()["data"]
    assert str(liked.video_id) in {item["videoId"] for item in before}

    community.rating_set(actor=viewer, video_id=liked.video_id, rating=5)  # the receiver queues the task

    def updated() -> bool:
        data = client.get(url, **api_headers(viewer)).json()["data"]
        return str(liked.video_id) not in {item["videoId"] for item in data} and data[0]["reason"].startswith(
            "Because you rated “Data modeling in Apache Cassandra”"
        )

    _wait_for(updated, "the feed to follow the rating")
    assert client.get(url, **api_headers(viewer)).json()["data"][0]["videoId"] == str(similar.video_id)


@contextmanager
def _parked() -> Iterator[None]:
    from killrvideo.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = PARKED_QUEUE
    try:
        yield
    finally:
        app.conf.task_default_queue = previous
        redis_lib.Redis.from_url(settings.REDIS_URL).delete(PARKED_QUEUE)


def _wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_preference_rows_round_trip(store) -> None:
    user = uuid.uuid4()
    anchor = Anchor(video_id=uuid.uuid4(), title="T", weight=0.75, at=T0, stars=5, tags=("a",))
    pref = Preference(user_id=user, vector=tuple([0.5] * 384), updated_at=T0, version=3, anchors=(anchor,),
                      recent_events=("a", "b"))  # fmt: skip
    foryou_repository.preference_put(pref)
    stored = foryou_repository.preference_get(user)
    assert stored is not None
    assert stored.anchors == (anchor,)
    assert stored.version == foryou_repository.preference_version(user) == 3
    assert foryou_repository.preference_version(uuid.uuid4()) is None
    assert stored.recent_events == ("a", "b")
    assert _close(stored.vector, pref.vector)
    seen = [uuid.uuid4() for _ in range(150)]
    for vid in seen[::2]:
        foryou_repository.interaction_put(Interaction(user_id=user, video_id=vid, viewed_at=T0))
    assert foryou_repository.interactions_seen(user, seen) == set(seen[::2])


@pytest.mark.browser
def test_browser_rate_a_video_then_find_its_neighbours_for_you(page, viewer, creator, other_creator, publish_video):
    made = _catalogue(creator, other_creator, publish_video)
    page.goto("/for-you")
    page.get_by_role("link", name="Sign in to get recommendations").wait_for()
    check_axe(page)

    browser_sign_in(page, viewer.email)
    page.goto(f"/watch/{made['modeling'].video_id}")
    page.locator("label[for=rating-star-5]").click()
    page.get_by_role("button", name="Rate").click()
    page.get_by_text("Saved: your rating is 5 stars.").wait_for()
    assert _apply_queued() == 2  # the counted view and the rating

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="For You").click()
    page.wait_for_url("**/for-you")
    assert nav.get_by_role("link", name="For You").get_attribute("aria-current") == "page"
    first = page.locator(".video-card").first
    assert first.get_by_role("link").inner_text() == made["partitions"].name
    assert "Because you rated “Data modeling in Apache Cassandra” 5★" in first.inner_text()
    check_axe(page)
    screenshot(page, "discovery-for-you")
