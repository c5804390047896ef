"""Reads by many ids: the Data API takes at most 100 values in one `$in` (the embedded server refuses more, as
Astra does), so every repository read by a list of ids splits it into reads of at most 100."""

from __future__ import annotations

import uuid

import pytest
from astrapy.exceptions import DataAPIResponseException

from accounts import repositories as users
from catalog.repositories import videos, views
from community.repositories import comments, ratings
from discovery import foryou_repository
from killrvideo.astra import IN_LIMIT, get_table, keys_in, keys_in_chunks
from moderation.repositories import flags


def test_chunks_are_distinct_strings_of_at_most_the_limit():
    ids = [uuid.uuid4() for _ in range(250)]
    chunks = keys_in_chunks([*ids, *ids[:10]])  # duplicates are read once
    assert [len(chunk["$in"]) for chunk in chunks] == [100, 100, 50]
    assert [value for chunk in chunks for value in chunk["$in"]] == [str(i) for i in ids]
    assert keys_in_chunks([]) == []
    assert keys_in([1, 1, 2]) == {"$in": [1, 2]}  # only UUIDs become strings


def test_a_single_in_of_more_than_the_limit_is_refused(store):
    with pytest.raises(DataAPIResponseException, match="at most 100 values"):
        get_table("videos").find({"videoid": keys_in(uuid.uuid4() for _ in range(IN_LIMIT + 1))}).to_list()


def test_every_read_by_ids_takes_more_than_the_limit(store, creator):
    many = [uuid.uuid4() for _ in range(IN_LIMIT + 30)]
    assert videos.videos_get_many(many) == {}
    assert views.views_get_many(many) == {}
    assert ratings.video_ratings_get_many(many) == {}
    assert comments.comments_get_many(many) == {}
    assert flags.flags_get_many(many) == {}
    assert flags.cases_get_many(many) == {}
    assert foryou_repository.interactions_seen(creator.user_id, many) == set()
    found = users.users_get_many([*many, creator.user_id])
    assert [user.user_id for user in found] == [creator.user_id]
