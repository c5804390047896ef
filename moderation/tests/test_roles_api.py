"""Moderator user search and the moderator role: prefix search, assign/revoke, nobody changes their own
roles, only admins change admins, every change audited once."""

from __future__ import annotations

import uuid
from http import HTTPStatus

from accounts import services as accounts_services
from accounts.domain import Role
from accounts.tests.factories import api_headers, make_user
from moderation.repositories import audit as audit_repo


def _post(client, actor, user_id, verb):
    return client.post(f"/api/v1/moderation/users/{user_id}/{verb}-moderator", **api_headers(actor))


def test_search_is_a_prefix_search_returning_users(client, moderator):
    elodie = make_user(Role.VIEWER, first_name="Élodie", last_name="Martin")
    make_user(Role.VIEWER, first_name="Bob", last_name="Stone")
    found = client.get("/api/v1/moderation/users", {"q": "elo"}, **api_headers(moderator))
    assert found.status_code == HTTPStatus.OK
    assert [u["userId"] for u in found.json()] == [str(elodie.user_id)]
    assert found.json()[0]["email"] == elodie.email
    assert client.get("/api/v1/moderation/users", **api_headers(moderator)).json() == []
    short = client.get("/api/v1/moderation/users", {"q": "e"}, **api_headers(moderator))
    assert short.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert short.json()["code"] == "VALIDATION_ERROR"


def test_assign_and_revoke_are_idempotent_and_audited(client, viewer, moderator):
    assigned = _post(client, moderator, viewer.user_id, "assign")
    assert assigned.status_code == HTTPStatus.OK
    assert assigned.json()["roles"] == ["viewer", "creator", "moderator"]
    assert _post(client, moderator, viewer.user_id, "assign").json()["roles"] == ["viewer", "creator", "moderator"]
    revoked = _post(client, moderator, viewer.user_id, "revoke").json()
    assert revoked["roles"] == ["viewer", "creator"]
    assert _post(client, moderator, viewer.user_id, "revoke").status_code == HTTPStatus.OK
    entries = audit_repo.audit_of_content(viewer.user_id, 10)
    assert [(e.action.value, e.actor_id, e.content_type) for e in entries] == [
        ("revoke_moderator", moderator.user_id, "user"),
        ("assign_moderator", moderator.user_id, "user"),
    ]
    assert entries[1].details == {"from": ["viewer"], "to": ["viewer", "creator", "moderator"]}


def test_nobody_changes_their_own_roles_and_only_admins_change_admins(client, moderator, admin):
    for actor in (moderator, admin):
        for verb in ("assign", "revoke"):
            response = _post(client, actor, actor.user_id, verb)
            assert response.status_code == HTTPStatus.FORBIDDEN
            assert response.json()["code"] == "OWN_ROLES"
    assert _post(client, moderator, admin.user_id, "revoke").status_code == HTTPStatus.FORBIDDEN
    assert accounts_services.user_get(user_id=admin.user_id).has_role(Role.ADMIN)
    other_admin = make_user(Role.ADMIN)
    assert _post(client, admin, other_admin.user_id, "revoke").json()["roles"] == ["viewer", "creator"]
    assert _post(client, admin, moderator.user_id, "revoke").status_code == HTTPStatus.OK
    assert _post(client, admin, uuid.uuid4(), "assign").status_code == HTTPStatus.NOT_FOUND
    assert _post(client, admin, "nope", "assign").status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def _permission(client, actor, user_id, verb):
    return client.post(f"/api/v1/moderation/users/{user_id}/{verb}-unmask", **api_headers(actor))


def test_admins_grant_and_revoke_unmask_per_user_and_it_is_audited(client, viewer, moderator, admin, video):
    flag = client.post(
        "/api/v1/flags",
        {"contentType": "video", "contentId": str(video.video_id), "reasonCode": "other", "reasonText": "see DM"},
        content_type="application/json",
        **api_headers(viewer),
    ).json()
    unmask_url = f"/api/v1/moderation/flags/{flag['flagId']}/unmask"
    assert client.post(unmask_url, **api_headers(moderator)).status_code == HTTPStatus.FORBIDDEN

    granted = _permission(client, admin, moderator.user_id, "grant")
    assert granted.status_code == HTTPStatus.OK
    assert granted.json()["permissions"] == ["unmask"]
    assert _permission(client, admin, moderator.user_id, "grant").json()["permissions"] == ["unmask"]  # idempotent
    assert client.post(unmask_url, **api_headers(moderator)).json()["reasonText"] == "see DM"

    revoked = _permission(client, admin, moderator.user_id, "revoke")
    assert revoked.json()["permissions"] == []
    assert _permission(client, admin, moderator.user_id, "revoke").status_code == HTTPStatus.OK  # idempotent
    assert client.post(unmask_url, **api_headers(moderator)).status_code == HTTPStatus.FORBIDDEN

    entries = [e for e in audit_repo.audit_of_content(moderator.user_id, 10) if "permission" in e.details]
    assert [(e.action.value, e.actor_id) for e in entries] == [
        ("revoke_permission", admin.user_id),
        ("grant_permission", admin.user_id),
    ]
    assert entries[1].details == {"permission": "unmask", "from": [], "to": ["unmask"]}


def test_only_admins_grant_unmask_never_to_themselves_and_only_to_moderators(client, viewer, moderator, admin):
    for verb in ("grant", "revoke"):
        refused = _permission(client, moderator, viewer.user_id, verb)
        assert (refused.status_code, refused.json()["code"]) == (HTTPStatus.FORBIDDEN, "FORBIDDEN")
        own = _permission(client, admin, admin.user_id, verb)
        assert (own.status_code, own.json()["code"]) == (HTTPStatus.FORBIDDEN, "OWN_ROLES")
        assert client.post(f"/api/v1/moderation/users/{viewer.user_id}/{verb}-unmask").status_code == 401
    not_moderator = _permission(client, admin, viewer.user_id, "grant")
    assert (not_moderator.status_code, not_moderator.json()["code"]) == (HTTPStatus.CONFLICT, "NOT_A_MODERATOR")
    assert accounts_services.user_get(user_id=viewer.user_id).permissions == frozenset()
    assert _permission(client, admin, uuid.uuid4(), "grant").status_code == HTTPStatus.NOT_FOUND
    # A grant goes with the moderator role: made a moderator again, they do not silently regain it.
    _permission(client, admin, moderator.user_id, "grant")
    assert _post(client, admin, moderator.user_id, "revoke").json()["permissions"] == []
    assert _post(client, admin, moderator.user_id, "assign").json()["permissions"] == []
