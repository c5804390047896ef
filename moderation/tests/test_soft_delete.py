"""An approved flag removes its content everywhere for everyone but moderators; a restore brings it back
with totals and counts right."""

from __future__ import annotations

from http import HTTPStatus

from accounts.tests.factories import api_headers
from catalog import services as catalog_services
from community import services as community_services
from moderation.repositories import audit as audit_repo


def _flag(client, user, content_type, content_id):
    body = {"contentType": content_type, "contentId": str(content_id), "reasonCode": "spam"}
    response = client.post("/api/v1/flags", body, content_type="application/json", **api_headers(user))
    assert response.status_code == HTTPStatus.CREATED
    return response.json()["flagId"]


def _approve(client, moderator, flag_id):
    response = client.post(
        f"/api/v1/moderation/flags/{flag_id}/action",
        {"status": "approved", "moderatorNotes": "Spam"},
        content_type="application/json",
        **api_headers(moderator),
    )
    assert response.status_code == HTTPStatus.OK
    return response.json()


def _latest_ids(client):
    return [v["videoId"] for v in client.get("/api/v1/videos/latest", {"pageSize": 50}).json()["data"]]


def _search_ids(client, query):
    response = client.get("/api/v1/search/videos", {"query": query, "mode": "keyword"})
    assert response.status_code == HTTPStatus.OK
    return [v["videoId"] for v in response.json()["data"]]


def test_an_approved_video_leaves_listings_and_search_and_comes_back(
    client, viewer, creator, moderator, video, publish_video
):
    other = publish_video(creator, title="Another talk", tags=("cassandra",))
    vid = str(video.video_id)
    assert vid in _latest_ids(client)
    assert vid in _search_ids(client, "moderation target")
    flag = _approve(client, moderator, _flag(client, viewer, "video", video.video_id))
    assert flag["status"] == "approved"
    assert client.get(f"/api/v1/videos/id/{vid}").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/api/v1/videos/id/{vid}", **api_headers(moderator)).status_code == HTTPStatus.OK
    assert _latest_ids(client) == [str(other.video_id)]
    assert client.get("/api/v1/videos/latest").json()["pagination"]["totalItems"] == 1
    tag_page = client.get("/api/v1/videos/by-tag/cassandra").json()
    assert [v["videoId"] for v in tag_page["data"]] == [str(other.video_id)]
    assert vid not in _search_ids(client, "moderation target")
    # Reporting removed content is 404.
    body = {"contentType": "video", "contentId": vid, "reasonCode": "spam"}
    assert (
        client.post("/api/v1/flags", body, content_type="application/json", **api_headers(creator)).status_code == 404
    )

    restored = client.post(f"/api/v1/moderation/videos/{vid}/restore", **api_headers(moderator))
    assert restored.status_code == HTTPStatus.OK
    assert restored.json() == {"content_id": vid, "content_type": "video", "status_message": "restored"}
    assert client.get(f"/api/v1/videos/id/{vid}").status_code == HTTPStatus.OK
    assert set(_latest_ids(client)) == {vid, str(other.video_id)}
    assert client.get("/api/v1/videos/by-tag/cassandra").json()["pagination"]["totalItems"] == 2
    assert vid in _search_ids(client, "moderation target")
    # Idempotent: a second restore answers the same and is not audited again.
    assert client.post(f"/api/v1/moderation/videos/{vid}/restore", **api_headers(moderator)).status_code == 200
    actions = [e.action.value for e in audit_repo.audit_of_content(video.video_id, 10)]
    assert actions == ["restore", "approve", "report"]


def test_an_approved_comment_leaves_the_list_and_the_counts_and_comes_back(
    client, viewer, moderator, other_creator, video, comment
):
    community_services.comment_post(actor=viewer, video_id=video.video_id, text="A fine talk")
    url = f"/api/v1/videos/{video.video_id}/comments"
    assert client.get(url).json()["pagination"]["totalItems"] == 2
    _approve(client, moderator, _flag(client, viewer, "comment", comment.comment_id))
    listed = client.get(url).json()
    assert listed["pagination"]["totalItems"] == 1
    assert str(comment.comment_id) not in {c["commentid"] for c in listed["data"]}
    assert community_services.video_comment_count(video_id=video.video_id) == 1
    author = client.get(f"/api/v1/users/{other_creator.user_id}/comments").json()
    assert author["pagination"]["totalItems"] == 0

    restore_url = f"/api/v1/moderation/comments/{comment.comment_id}/restore"
    restored = client.post(restore_url, **api_headers(moderator))
    assert restored.json() == {
        "content_id": str(comment.comment_id),
        "content_type": "comment",
        "status_message": "restored",
    }
    listed = client.get(url).json()
    assert listed["pagination"]["totalItems"] == 2
    assert str(comment.comment_id) in {c["commentid"] for c in listed["data"]}
    assert client.get(f"/api/v1/users/{other_creator.user_id}/comments").json()["pagination"]["totalItems"] == 1
    assert client.post(restore_url, **api_headers(moderator)).status_code == HTTPStatus.OK
    assert community_services.video_comment_count(video_id=video.video_id) == 2


def test_restoring_missing_content_is_404(client, moderator):
    import uuid

    for kind in ("videos", "comments"):
        response = client.post(f"/api/v1/moderation/{kind}/{uuid.uuid4()}/restore", **api_headers(moderator))
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert client.post(f"/api/v1/moderation/{kind}/nope/restore", **api_headers(moderator)).status_code == 422
    assert audit_repo.audit_read_day("2000-01-01", 10) == []


def test_an_approved_video_leaves_related_for_you_and_activity_and_comes_back(
    client, viewer, creator, other_creator, moderator, video, publish_video
):
    neighbour = publish_video(other_creator, title="Moderation target, part two", tags=("cassandra",))
    vid = str(video.video_id)
    assert catalog_services.video_view_record(
        video_id=video.video_id, actor=viewer, viewer_id=None, ip="127.0.0.9", issued_now=True
    )

    def related_ids():
        return {item["videoId"] for item in client.get(f"/api/v1/videos/id/{neighbour.video_id}/related").json()}

    def for_you_ids():
        feed = client.get("/api/v1/recommendations/foryou", {"pageSize": 50}, **api_headers(other_creator)).json()
        return {item["videoId"] for item in feed["data"]}, feed["pagination"]["totalItems"]

    def activity():
        body = client.get(f"/api/v1/users/{viewer.user_id}/activity", **api_headers(viewer)).json()
        return [(a["activity_type"], a["videoid"]) for a in body["data"]]

    assert vid in related_ids()
    assert vid in for_you_ids()[0]
    before_total = for_you_ids()[1]
    assert ("view", vid) in activity()

    _approve(client, moderator, _flag(client, viewer, "video", video.video_id))
    assert vid not in related_ids()
    ids, total = for_you_ids()
    assert vid not in ids
    assert total == before_total - 1
    watch = client.get(f"/watch/{neighbour.video_id}").content.decode()
    assert f'href="/watch/{vid}"' not in watch
    viewer_page = client.get(f"/watch/{vid}")
    assert viewer_page.status_code == HTTPStatus.NOT_FOUND

    client.post(f"/api/v1/moderation/videos/{vid}/restore", **api_headers(moderator))
    assert vid in related_ids()
    assert vid in for_you_ids()[0]
    assert for_you_ids()[1] == before_total
    assert ("view", vid) in activity()


def test_an_approved_comment_leaves_its_authors_activity_and_comes_back(
    client, viewer, moderator, other_creator, comment
):
    def comment_activity():
        url = f"/api/v1/users/{other_creator.user_id}/activity"
        body = client.get(url, {"activity_type": "comment"}, **api_headers(other_creator)).json()
        return body["pagination"]["totalItems"], [a["activity_id"] for a in body["data"]]

    assert comment_activity() == (1, [str(comment.comment_id)])
    _approve(client, moderator, _flag(client, viewer, "comment", comment.comment_id))
    assert comment_activity() == (0, [])
    client.post(f"/api/v1/moderation/comments/{comment.comment_id}/restore", **api_headers(moderator))
    assert comment_activity() == (1, [str(comment.comment_id)])
