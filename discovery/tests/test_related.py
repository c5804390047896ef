"""Related videos: nearest public neighbours by embedding, diversified, with scores and reasons."""

from __future__ import annotations

import uuid
from http import HTTPStatus

from accounts.tests.factories import api_headers
from catalog import services as catalog
from discovery import services
from discovery.domain import title_tokens

RELATED_KEYS = {
    "videoId", "title", "thumbnailUrl", "userId", "submittedAt", "views", "viewCount", "averageRating",
    "totalRatingsCount", "status", "description", "tags", "score", "uploadDate",
}  # fmt: skip


def _catalogue(creator, other_creator, publish_video):
    source = publish_video(
        creator, title="Data modeling in Apache Cassandra", tags=("cassandra", "data modeling"),
        description="Partition keys, clustering columns and query-first tables in Cassandra.",
    )  # fmt: skip
    reruns = [
        publish_video(
            other_creator,
            title=f"Cassandra data modeling basics (re-run {n})",
            tags=("cassandra",),
            description="Partition keys, clustering columns and query-first tables in Cassandra.",
        )  # fmt: skip
        for n in range(1, 6)
    ]
    others = [
        publish_video(other_creator, title="Vector search with Astra DB", tags=("vector", "astra"),
                      description="Embeddings and similarity search in a Cassandra database."),
        publish_video(creator, title="Tuning Cassandra compaction", tags=("operations",),
                      description="Compaction strategies for Cassandra clusters."),
        publish_video(other_creator, title="Baking sourdough bread at home", tags=("cooking",),
                      description="Flour, water, salt and a starter."),
        publish_video(other_creator, title="Cassandra query patterns for time series",
                      tags=("cassandra", "time series"),
                      description="Bucketing partitions by time in Cassandra."),
    ]  # fmt: skip
    return source, reruns, others


def test_related_excludes_self_and_non_public_and_diversifies(creator, other_creator, publish_video) -> None:
    source, reruns, others = _catalogue(creator, other_creator, publish_video)
    deleted = others[3]
    catalog.video_soft_delete(actor=other_creator, video_id=deleted.video_id)

    related = services.related_videos(video_id=source.video_id, limit=5)

    ids = [item.video.video_id for item in related]
    assert len(ids) == 5
    assert source.video_id not in ids
    assert deleted.video_id not in ids
    assert sum(1 for vid in ids if vid in {v.video_id for v in reruns}) <= 2
    assert len(set(ids)) == 5
    assert all(0.0 <= item.score <= 1.0 for item in related)
    reasons = {item.video.video_id: item.reason for item in related}
    assert all(reasons.values())
    assert any(r.startswith("Shared tags: #cassandra") for r in reasons.values())
    if others[1].video_id in reasons:  # same creator, no shared tag
        assert reasons[others[1].video_id] == "Same creator"


def test_related_api_per_contract(client, creator, other_creator, publish_video) -> None:
    source, reruns, others = _catalogue(creator, other_creator, publish_video)

    response = client.get(f"/api/v1/videos/id/{source.video_id}/related?limit=3")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert isinstance(body, list)
    assert len(body) == 3
    assert all(set(item) == RELATED_KEYS for item in body)
    assert all(0 <= item["score"] <= 1 for item in body)
    assert [item["score"] for item in body] == sorted((item["score"] for item in body), reverse=True)
    assert str(source.video_id) not in {item["videoId"] for item in body}

    assert len(client.get(f"/api/v1/videos/id/{source.video_id}/related").json()) == 5


def test_related_api_bad_input_and_missing(client, creator, publish_video) -> None:
    video = publish_video(creator, title="Only video", tags=("solo",))
    for bad in ("0", "21", "abc", "-1"):
        response = client.get(f"/api/v1/videos/id/{video.video_id}/related?limit={bad}")
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert response.json()["code"] == "VALIDATION_ERROR"
    assert client.get(f"/api/v1/videos/id/{uuid.uuid4()}/related").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/api/v1/videos/id/not-a-uuid/related").status_code in (HTTPStatus.NOT_FOUND, 422)
    assert client.get(f"/api/v1/videos/id/{video.video_id}/related").json() == []
    catalog.video_soft_delete(actor=creator, video_id=video.video_id)
    assert client.get(f"/api/v1/videos/id/{video.video_id}/related").status_code == HTTPStatus.NOT_FOUND


def test_related_is_public_for_every_role(client, creator, other_creator, viewer, moderator, publish_video) -> None:
    source = publish_video(creator, title="Cassandra intro", tags=("cassandra",))
    publish_video(other_creator, title="Cassandra deep dive", tags=("cassandra",))
    url = f"/api/v1/videos/id/{source.video_id}/related"
    assert client.get(url).status_code == HTTPStatus.OK
    for user in (viewer, creator, other_creator, moderator):
        assert client.get(url, **api_headers(user)).status_code == HTTPStatus.OK


def test_watch_page_sidebar_widget(client, creator, other_creator, publish_video) -> None:
    source = publish_video(creator, title="Cassandra intro", tags=("cassandra",))
    other = publish_video(other_creator, title="Cassandra deep dive", tags=("cassandra",))

    page = client.get(f"/watch/{source.video_id}").content.decode()
    assert f'hx-get="/watch/{source.video_id}/related"' in page
    assert '<aside class="side-list"' in page

    fragment = client.get(f"/watch/{source.video_id}/related", HTTP_HX_REQUEST="true").content.decode()
    assert "Cassandra deep dive" in fragment
    assert "Shared tags: #cassandra" in fragment
    assert "<html" not in fragment
    full = client.get(f"/watch/{source.video_id}/related").content.decode()
    assert "<html" in full
    assert f"/watch/{other.video_id}" in full
    assert client.get(f"/watch/{uuid.uuid4()}/related").status_code == HTTPStatus.NOT_FOUND


def test_title_tokens_ignore_case_numbers_and_punctuation() -> None:
    assert title_tokens("Cassandra Day 2019 (Part 2)") == title_tokens("cassandra day part")
