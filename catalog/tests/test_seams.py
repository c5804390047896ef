"""The catalog's seams for the apps above it: the visibility signal and card fields from other apps."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from catalog import services, signals
from catalog.services import counters
from killrvideo.pagination import PageRequest


@pytest.fixture
def visibility_events() -> Iterator[list[tuple[str, bool]]]:
    events: list[tuple[str, bool]] = []

    def receiver(sender: object, video: Any, public: bool, **_: object) -> None:
        events.append((video.name, public))

    signals.video_visibility_changed.connect(receiver)
    yield events
    signals.video_visibility_changed.disconnect(receiver)


def test_visibility_signal_on_publish_delete_and_restore(creator, publish_video, visibility_events) -> None:
    video = publish_video(creator, title="Seen")
    assert visibility_events == [("Seen", True)]
    services.video_edit(actor=creator, video_id=video.video_id, title="Seen again")  # still public: no event
    services.video_soft_delete(actor=creator, video_id=video.video_id)
    services.video_soft_delete(actor=creator, video_id=video.video_id)  # idempotent: no second event
    services.video_restore(actor=creator, video_id=video.video_id)
    assert visibility_events == [("Seen", True), ("Seen again", False), ("Seen again", True)]


@pytest.fixture
def rating_fields() -> Iterator[dict[uuid.UUID, dict[str, Any]]]:
    values: dict[uuid.UUID, dict[str, Any]] = {}

    def provider(video_ids: list[uuid.UUID]) -> Mapping[uuid.UUID, Mapping[str, Any]]:
        return {video_id: values[video_id] for video_id in video_ids if video_id in values}

    counters.register_card_fields(provider)
    yield values
    counters._providers.remove(provider)


def test_higher_apps_add_fields_to_cards_and_details(client, creator, publish_video, rating_fields) -> None:
    rated, unrated = publish_video(creator, title="Rated"), publish_video(creator, title="Unrated")
    rating_fields[rated.video_id] = {"average_rating": 4.5, "total_ratings_count": 2}
    cards = {card.name: card for card in services.latest_page(request=PageRequest(1, 10)).items}
    assert (cards["Rated"].average_rating, cards["Rated"].total_ratings_count) == (4.5, 2)
    assert (cards["Unrated"].average_rating, cards["Unrated"].total_ratings_count) == (None, 0)
    assert services.video_get(video_id=rated.video_id).average_rating == 4.5
    assert services.video_get(video_id=unrated.video_id).average_rating is None
