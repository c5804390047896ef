"""Reports and the moderator's flag API: shapes, masking, duplicates, grouping, decisions, restore, audit,
authorization per role and bad input (nothing written)."""

from __future__ import annotations

import threading
import uuid
from http import HTTPStatus

import pytest
from django.test import override_settings

from accounts.tests.factories import api_headers, make_user
from community import services as community_services
from moderation.domain import ContentType, FlagStatus
from moderation.repositories import audit as audit_repo
from moderation.repositories import flags as flags_repo
from moderation.services import counts

SECRET = "He sells this on another site, see my DM"


def _report(client, user, content_type, content_id, reason="spam", text=None):
    body = {"contentType": content_type, "contentId": str(content_id), "reasonCode": reason}
    if text is not None:
        body["reasonText"] = text
    return client.post("/api/v1/flags", body, content_type="application/json", **api_headers(user))


def _act(client, user, flag_id, status, notes=None):
    body = {"status": status, **({"moderatorNotes": notes} if notes is not None else {})}
    return client.post(
        f"/api/v1/moderation/flags/{flag_id}/action", body, content_type="application/json", **api_headers(user)
    )


def _get(client, user, url, **params):
    return client.get(url, params, **(api_headers(user) if user else {}))


def _nothing_written(content_type, content_id):
    assert flags_repo.item_case_get(ContentType(content_type), content_id) is None
    assert flags_repo.reports_of(ContentType(content_type), content_id) == []
    assert counts.queue_total(FlagStatus.OPEN) == 0
    assert audit_repo.audit_of_content(content_id, 10) == []


def test_report_returns_a_masked_flag(client, viewer, video):
    response = _report(client, viewer, "video", video.video_id, "copyright", SECRET)
    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert set(body) == {
        "flagId", "contentType", "contentId", "reasonCode", "reasonText", "reasonMasked", "status", "userId",
        "createdAt", "updatedAt", "moderatorId", "moderatorNotes", "resolvedAt", "reportCount",
    }  # fmt: skip
    assert body["reasonText"] == "••••••"
    assert body["reasonMasked"] is True
    assert SECRET not in response.content.decode()
    assert (body["status"], body["contentType"], body["reasonCode"]) == ("open", "video", "copyright")
    assert body["userId"] == str(viewer.user_id)
    assert body["contentId"] == str(video.video_id)
    assert body["moderatorId"] is None
    assert body["resolvedAt"] is None
    without_text = _report(client, make_user(), "video", video.video_id).json()
    assert (without_text["reasonText"], without_text["reasonMasked"]) == (None, False)


def test_a_second_open_report_by_the_same_user_is_409(client, viewer, video):
    assert _report(client, viewer, "video", video.video_id).status_code == HTTPStatus.CREATED
    again = _report(client, viewer, "video", video.video_id, "other")
    assert again.status_code == HTTPStatus.CONFLICT
    assert again.json()["code"] == "ALREADY_REPORTED"
    assert len(flags_repo.reports_of(ContentType.VIDEO, video.video_id)) == 1


def test_missing_removed_and_bad_content_is_refused_and_nothing_is_written(client, viewer, creator, video, comment):
    missing = uuid.uuid4()
    assert _report(client, viewer, "video", missing).status_code == HTTPStatus.NOT_FOUND
    assert _report(client, viewer, "comment", missing).status_code == HTTPStatus.NOT_FOUND
    bad_bodies = [
        {"contentType": "user", "contentId": str(video.video_id), "reasonCode": "spam"},
        {"contentType": "video", "contentId": "not-a-uuid", "reasonCode": "spam"},
        {"contentType": "video", "contentId": str(video.video_id), "reasonCode": "boring"},
        {"contentType": "video", "contentId": str(video.video_id), "reasonCode": "spam", "reasonText": "x" * 501},
        {"contentType": "video", "contentId": str(video.video_id), "reasonCode": "spam", "reasonText": 5},
        {"contentType": "video", "contentId": str(video.video_id)},
        ["video"],
    ]
    for body in bad_bodies:
        response = client.post("/api/v1/flags", body, content_type="application/json", **api_headers(viewer))
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, body
        assert response.json()["code"] == "VALIDATION_ERROR"
    assert client.post("/api/v1/flags", "{", content_type="application/json", **api_headers(viewer)).status_code == 400
    _nothing_written("video", video.video_id)
    _nothing_written("comment", comment.comment_id)
    assert _report(client, viewer, "video", video.video_id, text="x" * 500).status_code == HTTPStatus.CREATED


def test_reports_are_rate_limited_per_user(client, viewer, creator, publish_video):
    videos = [publish_video(creator, title=f"Video {n}") for n in range(3)]
    with override_settings(FLAG_RATE_LIMIT=2, RATE_LIMITS_ENABLED=True):
        assert _report(client, viewer, "video", videos[0].video_id).status_code == HTTPStatus.CREATED
        assert _report(client, viewer, "video", videos[1].video_id).status_code == HTTPStatus.CREATED
        limited = _report(client, viewer, "video", videos[2].video_id)
        assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert limited.json()["code"] == "RATE_LIMITED"
        assert int(limited["Retry-After"]) > 0
        assert _report(client, make_user(), "video", videos[2].video_id).status_code == HTTPStatus.CREATED
    assert flags_repo.reports_of(ContentType.VIDEO, videos[2].video_id)[0].user_id != viewer.user_id


def test_many_reports_of_one_item_are_one_queue_entry_with_an_exact_count(client, moderator, video):
    reporters = [make_user() for _ in range(10)]
    results: list[int] = []

    def report(user):
        results.append(_report(client.__class__(), user, "video", video.video_id).status_code)

    threads = [threading.Thread(target=report, args=(user,)) for user in reporters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [HTTPStatus.CREATED] * 10
    queue = _get(client, moderator, "/api/v1/moderation/flags").json()
    assert queue["pagination"]["totalItems"] == 1
    assert queue["data"][0]["reportCount"] == 10
    assert len(flags_repo.reports_of(ContentType.VIDEO, video.video_id)) == 10
    assert counts.queue_total(FlagStatus.OPEN, "video") == 1


def test_queue_is_oldest_first_with_true_totals_and_filters(client, viewer, moderator, creator, publish_video):
    videos = [publish_video(creator, title=f"Video {n}") for n in range(4)]
    for video in videos:
        _report(client, viewer, "video", video.video_id)
    comment = community_services.comment_post(actor=creator, video_id=videos[0].video_id, text="spam spam")
    _report(client, viewer, "comment", comment.comment_id, "harassment")
    page = _get(client, moderator, "/api/v1/moderation/flags", page=2, pageSize=2).json()
    assert page["pagination"] == {"currentPage": 2, "pageSize": 2, "totalItems": 5, "totalPages": 3}
    assert [f["contentId"] for f in page["data"]] == [str(videos[2].video_id), str(videos[3].video_id)]
    only_comments = _get(client, moderator, "/api/v1/moderation/flags", contentType="comment").json()
    assert [f["contentId"] for f in only_comments["data"]] == [str(comment.comment_id)]
    assert _get(client, moderator, "/api/v1/moderation/flags", status="approved").json()["data"] == []
    for params in ({"status": "closed"}, {"pageSize": 101}, {"page": 0}, {"contentType": "user"}):
        response = _get(client, moderator, "/api/v1/moderation/flags", **params)
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, params


def test_actions_are_idempotent_and_move_the_case_between_queues(client, viewer, moderator, video):
    flag = _report(client, viewer, "video", video.video_id).json()
    reviewing = _act(client, moderator, flag["flagId"], "under_review", "Looking")
    assert reviewing.status_code == HTTPStatus.OK
    assert reviewing.json()["status"] == "under_review"
    assert reviewing.json()["moderatorId"] == str(moderator.user_id)
    assert _act(client, moderator, flag["flagId"], "under_review").json()["moderatorNotes"] == "Looking"
    rejected = _act(client, moderator, flag["flagId"], "rejected", "Fine").json()
    assert rejected["status"] == "rejected"
    assert rejected["resolvedAt"]
    assert _act(client, moderator, flag["flagId"], "rejected").status_code == HTTPStatus.OK
    conflict = _act(client, moderator, flag["flagId"], "approved")
    assert conflict.status_code == HTTPStatus.CONFLICT
    assert conflict.json()["code"] == "ALREADY_RESOLVED"
    totals = {s: counts.queue_total(s) for s in FlagStatus}
    assert totals == {FlagStatus.OPEN: 0, FlagStatus.UNDER_REVIEW: 0, FlagStatus.APPROVED: 0, FlagStatus.REJECTED: 1}
    assert client.get(f"/api/v1/videos/id/{video.video_id}").status_code == HTTPStatus.OK
    # A rejected case is closed: the same user may report the item again, which opens a new case.
    again = _report(client, viewer, "video", video.video_id)
    assert again.status_code == HTTPStatus.CREATED
    assert again.json()["reportCount"] == 1
    assert counts.queue_total(FlagStatus.OPEN) == 1
    actions = [e.action.value for e in audit_repo.audit_of_content(video.video_id, 20)]
    assert actions == ["report", "reject", "under_review", "report"]


def test_bad_actions_are_422_and_change_nothing(client, viewer, moderator, video):
    flag = _report(client, viewer, "video", video.video_id).json()
    url = f"/api/v1/moderation/flags/{flag['flagId']}/action"
    for body in ({"status": "open"}, {"status": "deleted"}, {}, {"status": "approved", "moderatorNotes": "x" * 1001}):
        response = client.post(url, body, content_type="application/json", **api_headers(moderator))
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, body
    assert _act(client, moderator, uuid.uuid4(), "approved").status_code == HTTPStatus.NOT_FOUND
    assert _get(client, moderator, f"/api/v1/moderation/flags/{flag['flagId']}").json()["status"] == "open"
    assert client.get(f"/api/v1/videos/id/{video.video_id}").status_code == HTTPStatus.OK
    assert [e.action.value for e in audit_repo.audit_of_content(video.video_id, 20)] == ["report"]


def test_two_moderators_approving_at_once_remove_once(client, viewer, moderator, video):
    other = make_user(moderator.top_role)
    flag = _report(client, viewer, "video", video.video_id).json()
    statuses: list[int] = []

    def approve(user):
        statuses.append(_act(client.__class__(), user, flag["flagId"], "approved").status_code)

    threads = [threading.Thread(target=approve, args=(u,)) for u in (moderator, other, moderator, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [HTTPStatus.OK] * 4
    assert [e.action.value for e in audit_repo.audit_of_content(video.video_id, 20)] == ["approve", "report"]
    assert counts.queue_total(FlagStatus.APPROVED) == 1
    assert counts.queue_total(FlagStatus.OPEN) == 0


def test_unmask_shows_the_text_only_in_its_own_response_and_is_audited(client, viewer, moderator, admin, video):
    flag = _report(client, viewer, "video", video.video_id, "other", SECRET).json()
    assert _get(client, moderator, f"/api/v1/moderation/flags/{flag['flagId']}/unmask").status_code == 405
    url = f"/api/v1/moderation/flags/{flag['flagId']}/unmask"
    refused = client.post(url, **api_headers(moderator))
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused.json()["code"] == "FORBIDDEN"
    unmasked = client.post(url, **api_headers(admin))
    assert unmasked.status_code == HTTPStatus.OK
    assert (unmasked.json()["reasonText"], unmasked.json()["reasonMasked"]) == (SECRET, False)
    entries = audit_repo.audit_of_content(video.video_id, 10)
    assert [(e.action.value, e.actor_id) for e in entries][0] == ("unmask", admin.user_id)
    for user in (moderator, admin):
        for url_ in (
            f"/api/v1/moderation/flags/{flag['flagId']}",
            "/api/v1/moderation/flags",
            "/api/v1/moderation/audit",
        ):
            response = _get(client, user, url_)
            assert response.status_code == HTTPStatus.OK
            assert SECRET not in response.content.decode()


def test_audit_log_is_newest_first_with_true_totals(client, viewer, moderator, admin, video):
    flag = _report(client, viewer, "video", video.video_id, text=SECRET).json()
    _act(client, moderator, flag["flagId"], "under_review", "checking")
    client.post(f"/api/v1/moderation/flags/{flag['flagId']}/unmask", **api_headers(admin))
    page = _get(client, moderator, "/api/v1/moderation/audit", pageSize=2).json()
    assert page["pagination"] == {"currentPage": 1, "pageSize": 2, "totalItems": 3, "totalPages": 2}
    assert [e["action"] for e in page["data"]] == ["unmask", "under_review"]
    entry = page["data"][1]
    assert set(entry) == {"auditId", "action", "actorId", "contentType", "contentId", "flagId", "details", "createdAt"}
    assert entry["actorId"] == str(moderator.user_id)
    assert entry["flagId"] == flag["flagId"]
    assert entry["details"] == {"from": "open", "to": "under_review", "notes": "checking"}
    second = _get(client, moderator, "/api/v1/moderation/audit", page=2, pageSize=2).json()
    assert [e["action"] for e in second["data"]] == ["report"]
    by_content = _get(client, moderator, "/api/v1/moderation/audit", contentId=str(video.video_id)).json()
    assert by_content["pagination"]["totalItems"] == 3
    assert _get(client, moderator, "/api/v1/moderation/audit", contentId="nope").status_code == 422
    assert _get(client, moderator, "/api/v1/moderation/audit", contentId=str(uuid.uuid4())).json()["data"] == []


@pytest.mark.parametrize("kind", ["video", "comment"])
def test_authorization_matrix(client, viewer, creator, other_creator, moderator, admin, video, comment, kind):
    """anonymous 401; viewer/creator/owner 403 on the moderator API; moderators and admins allowed."""
    target = video.video_id if kind == "video" else comment.comment_id
    owner = creator if kind == "video" else other_creator
    flag = _report(client, viewer, kind, target).json()
    fid = flag["flagId"]
    moderator_endpoints = [
        ("get", "/api/v1/moderation/flags"),
        ("get", f"/api/v1/moderation/flags/{fid}"),
        ("post", f"/api/v1/moderation/flags/{fid}/action"),
        ("get", "/api/v1/moderation/audit"),
        ("get", "/api/v1/moderation/users"),
        ("post", f"/api/v1/moderation/{kind}s/{target}/restore"),
        ("post", f"/api/v1/moderation/users/{viewer.user_id}/assign-moderator"),
        ("post", f"/api/v1/moderation/users/{viewer.user_id}/revoke-moderator"),
    ]
    body = {"status": "under_review"}
    for method, url in [
        *moderator_endpoints,
        ("post", f"/api/v1/moderation/flags/{fid}/unmask"),
        ("post", "/api/v1/flags"),
    ]:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == HTTPStatus.UNAUTHORIZED, url
        assert response.json()["code"] == "UNAUTHORIZED"
    for user in (viewer, owner, make_user()):
        for method, url in [*moderator_endpoints, ("post", f"/api/v1/moderation/flags/{fid}/unmask")]:
            response = getattr(client, method)(url, body, content_type="application/json", **api_headers(user))
            assert response.status_code == HTTPStatus.FORBIDDEN, (url, user.top_role)
            assert response.json()["code"] in {"FORBIDDEN", "OWN_ROLES"}
    for user in (moderator, admin):
        for method, url in moderator_endpoints[:5]:
            response = getattr(client, method)(url, body, content_type="application/json", **api_headers(user))
            assert response.status_code == HTTPStatus.OK, (url, user.top_role)
    assert client.post(f"/api/v1/moderation/flags/{fid}/unmask", **api_headers(moderator)).status_code == 403
    assert client.post(f"/api/v1/moderation/flags/{fid}/unmask", **api_headers(admin)).status_code == 200
    # Everyone signed in may report (the owner too).
    assert _report(client, owner, kind, target).status_code == HTTPStatus.CREATED
    assert _report(client, admin, kind, target).status_code == HTTPStatus.CREATED


def test_reporters_see_their_own_reports_newest_first_with_their_state(
    client, viewer, moderator, video, comment, other_creator
):
    first = _report(client, viewer, "video", video.video_id, "spam", SECRET).json()
    second = _report(client, viewer, "comment", comment.comment_id, "harassment").json()
    _report(client, other_creator, "video", video.video_id)
    _act(client, moderator, first["flagId"], "rejected", "fine")

    mine = _get(client, viewer, "/api/v1/flags/mine").json()
    assert mine["pagination"]["totalItems"] == 2
    assert [f["flagId"] for f in mine["data"]] == [second["flagId"], first["flagId"]]
    assert [f["status"] for f in mine["data"]] == ["open", "rejected"]
    assert mine["data"][1]["reasonMasked"] is True
    assert SECRET not in _get(client, viewer, "/api/v1/flags/mine").content.decode()
    paged = _get(client, viewer, "/api/v1/flags/mine", page=2, pageSize=1).json()
    assert [f["flagId"] for f in paged["data"]] == [first["flagId"]]
    assert _get(client, other_creator, "/api/v1/flags/mine").json()["pagination"]["totalItems"] == 1
    assert _get(client, moderator, "/api/v1/flags/mine").json()["data"] == []
    assert _get(client, None, "/api/v1/flags/mine").status_code == HTTPStatus.UNAUTHORIZED
    assert _get(client, viewer, "/api/v1/flags/mine", page=0).status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_audit_log_by_actor(client, viewer, moderator, admin, video):
    flag = _report(client, viewer, "video", video.video_id).json()
    _act(client, moderator, flag["flagId"], "under_review")
    _act(client, admin, flag["flagId"], "rejected")
    assert _report(client, moderator, "video", video.video_id).status_code == HTTPStatus.CREATED
    by_moderator = _get(client, moderator, "/api/v1/moderation/audit", actorId=str(moderator.user_id)).json()
    assert by_moderator["pagination"]["totalItems"] == 2
    assert [e["action"] for e in by_moderator["data"]] == ["report", "under_review"]
    assert {e["actorId"] for e in by_moderator["data"]} == {str(moderator.user_id)}
    second = _get(client, moderator, "/api/v1/moderation/audit", actorId=str(moderator.user_id), page=2, pageSize=1)
    assert [e["action"] for e in second.json()["data"]] == ["under_review"]
    by_reporter = _get(client, moderator, "/api/v1/moderation/audit", actorId=str(viewer.user_id)).json()
    assert [e["action"] for e in by_reporter["data"]] == ["report"]
    both = _get(
        client, moderator, "/api/v1/moderation/audit", actorId=str(admin.user_id), contentId=str(video.video_id)
    ).json()
    assert [e["action"] for e in both["data"]] == ["reject"]
    assert _get(client, moderator, "/api/v1/moderation/audit", actorId="nope").status_code == 422
    assert _get(client, viewer, "/api/v1/moderation/audit", actorId=str(viewer.user_id)).status_code == 403
