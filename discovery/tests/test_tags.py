"""Tag suggestions: a prefix table kept in step from catalog's signals, and both suggest endpoints."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.management import call_command

from accounts.tests.factories import api_headers
from catalog import services as catalog
from discovery import repositories as repo
from discovery import services
from discovery.domain import tag_deltas


def _suggested(query: str) -> dict[str, int]:
    return {item.tag: item.videos for item in services.tag_suggestions(query=query, limit=25)}


def test_tag_deltas() -> None:
    assert tag_deltas(("a", "b"), False, ("a", "b"), True) == {"a": 1, "b": 1}
    assert tag_deltas(("a", "b"), True, ("a", "b"), False) == {"a": -1, "b": -1}
    assert tag_deltas(("a", "b"), True, ("b", "c"), True) == {"a": -1, "c": 1}
    assert tag_deltas(("a",), False, ("b",), False) == {}
    assert tag_deltas(("a",), True, ("a",), True) == {}


def test_suggestions_follow_publish_edit_delete_restore(creator, publish_video) -> None:
    first = publish_video(creator, title="One", tags=("data modeling", "database"))
    publish_video(creator, title="Two", tags=("database", "datastax"))
    publish_video(creator, title="Three", tags=("dance",))

    assert _suggested("dat") == {"data modeling": 1, "database": 2, "datastax": 1}
    assert _suggested("DA") == {"dance": 1, "data modeling": 1, "database": 2, "datastax": 1}
    assert _suggested("datab") == {"database": 2}
    assert _suggested("x") == {}
    assert [s.tag for s in services.tag_suggestions(query="da", limit=2)] == ["dance", "data modeling"]

    catalog.video_edit(actor=creator, video_id=first.video_id, tags=["database", "cassandra"])
    assert _suggested("dat") == {"database": 2, "datastax": 1}
    assert _suggested("cas") == {"cassandra": 1}

    catalog.video_soft_delete(actor=creator, video_id=first.video_id)
    assert _suggested("cas") == {}
    assert _suggested("dat") == {"database": 1, "datastax": 1}
    assert repo.tag_count_get("cassandra") == 0

    catalog.video_restore(actor=creator, video_id=first.video_id)
    assert _suggested("cas") == {"cassandra": 1}
    assert _suggested("data") == {"database": 2, "datastax": 1}


def test_unpublished_videos_are_not_suggested(creator, standin) -> None:
    catalog.video_submit(actor=creator, youtube_url="https://youtu.be/pending0001", tags=["pendingtag"])
    assert _suggested("pe") == {}


@pytest.mark.allows_scan
def test_rebuild_command_recounts_from_the_catalog(creator, publish_video) -> None:
    publish_video(creator, title="One", tags=("database",))
    publish_video(creator, title="Two", tags=("database", "dance"))
    repo.suggestion_remove("database")
    repo.tag_count_put("database", 7)
    repo.suggestion_put("datum", 3)
    repo.tag_count_put("datum", 3)

    call_command("rebuild_tag_suggestions", verbosity=0)

    assert _suggested("da") == {"dance": 1, "database": 2}
    assert services.on_dataset_imported(sender=None) == "Tag suggestions: 2 tags"


def test_search_tags_suggest_api(client, creator, viewer, moderator, publish_video) -> None:
    publish_video(creator, title="One", tags=("database", "datastax"))
    url = "/api/v1/search/tags/suggest"

    response = client.get(url, {"query": "Dat"})
    assert response.status_code == HTTPStatus.OK
    assert response.json() == [{"tag": "database"}, {"tag": "datastax"}]
    assert client.get(url, {"query": "dat", "limit": 1}).json() == [{"tag": "database"}]
    assert client.get(url, {"query": "!!"}).json() == []
    assert client.get(url, {"query": "d" * 200}).json() == []
    for user in (viewer, creator, moderator):
        assert client.get(url, {"query": "dat"}, **api_headers(user)).status_code == HTTPStatus.OK


def test_tags_suggest_api(client, creator, publish_video) -> None:
    publish_video(creator, title="One", tags=("database", "datastax"))

    response = client.get("/api/v1/tags/suggest", {"query": "data", "limit": 25})
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"suggestions": ["database", "datastax"]}


@pytest.mark.parametrize("path", ["/api/v1/search/tags/suggest", "/api/v1/tags/suggest"])
def test_suggest_bad_input_is_422_json(client, path) -> None:
    for params in ({"query": "da", "limit": "0"}, {"query": "da", "limit": "26"}, {"query": "da", "limit": "abc"},
                   {"query": ""}, {}, {"query": "d" * 201}):  # fmt: skip
        response = client.get(path, params)
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, params
        assert response.json()["code"] == "VALIDATION_ERROR"


def test_suggestion_fragment_for_the_combobox(client, creator, publish_video) -> None:
    publish_video(creator, title="One", tags=("database", "datastax"))

    html = client.get("/suggest/tags", {"q": "dat", "listbox": "site-search-list"}).content.decode()
    assert html.count('role="option"') == 2
    assert 'data-value="database"' in html
    assert "site-search-list-1" in html
    # A comma-separated field completes its last tag.
    html = client.get("/suggest/tags", {"q": "cooking, datas", "list": "1"}).content.decode()
    assert html.count('role="option"') == 1
    assert 'data-value="datastax"' in html
    assert client.get("/suggest/tags", {"q": ""}).content.decode().strip() == ""
