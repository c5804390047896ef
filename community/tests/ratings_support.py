"""Helpers for the ratings tests: API calls as a given user, and the stored state to compare with."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.test import Client

from accounts.domain import User
from accounts.tests.factories import api_headers
from community.repositories import ratings as repo

NEW = "/api/v1/videos/{}/ratings"
LEGACY = "/api/v1/videos/id/{}/rating"


def post_rating(client: Client, url: str, video_id: uuid.UUID, body: Any, user: User | None = None) -> Any:
    headers = api_headers(user) if user is not None else {}
    return client.post(url.format(video_id), data=json.dumps(body), content_type="application/json", **headers)


def get_ratings(client: Client, video_id: uuid.UUID, user: User | None = None) -> Any:
    headers = api_headers(user) if user is not None else {}
    return client.get(NEW.format(video_id), **headers)


def stored(video_id: uuid.UUID) -> tuple[int, int] | None:
    """The durable (count, sum) in `video_ratings`."""
    return repo.video_ratings_get_many([video_id]).get(video_id)


def stored_rating(video_id: uuid.UUID, user: User) -> int | None:
    found = repo.rating_get(video_id, user.user_id)
    return found.rating if found else None
