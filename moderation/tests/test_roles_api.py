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
