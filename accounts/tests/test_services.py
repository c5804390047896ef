"""Services directly: roles, search, batch loads, cache invalidation, import, role checks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth.hashers import make_password

from accounts import repositories, services
from accounts.domain import Permission, Role
from accounts.tests.factories import TEST_PASSWORD, make_user
from killrvideo.errors import AuthenticationRequired, Conflict, NotFound, ValidationFailed

# Everything here reads or writes users: every test gets a clean store.
pytestmark = pytest.mark.usefixtures("store")


def test_roles_are_stored_with_the_roles_below_and_revoked_with_those_above() -> None:
    user = make_user()
    admin = services.role_grant(user_id=user.user_id, role=Role.ADMIN)
    assert admin.roles == frozenset(Role)
    assert admin.has_perm(Permission.UNMASK)
    demoted = services.role_revoke(user_id=user.user_id, role=Role.MODERATOR)
    assert demoted.roles == {Role.VIEWER, Role.CREATOR}
    assert services.user_get(user_id=user.user_id).top_role == Role.CREATOR  # cache was invalidated
    with pytest.raises(NotFound):
        services.role_grant(user_id=uuid.uuid4(), role=Role.ADMIN)


def test_users_get_many_batches_and_skips_unknown_ids() -> None:
    first, second = make_user(first_name="One"), make_user(first_name="Two")
    services.user_get(user_id=first.user_id)  # warm the cache for one of them
    found = services.users_get_many(user_ids=[first.user_id, second.user_id, uuid.uuid4(), first.user_id])
    assert {user_id: user.first_name for user_id, user in found.items()} == {
        first.user_id: "One",
        second.user_id: "Two",
    }
    assert services.users_get_many(user_ids=[]) == {}


def test_search_by_email_and_name_prefixes_without_scans() -> None:
    elodie = make_user(first_name="Élodie", last_name="Martin", email="elodie.m@example.com")
    martha = make_user(first_name="Martha", last_name="Jones", email="mj@example.org")
    make_user(first_name="Zed", last_name="Zulu", email="zz@example.net")

    def ids(query: str) -> set[uuid.UUID]:
        return {user.user_id for user in services.users_search(query=query, limit=10)}

    assert ids("elo") == {elodie.user_id}  # accents folded; the email matches too, one result
    assert ids("MART") == {elodie.user_id, martha.user_id}
    assert ids("mart jon") == {martha.user_id}
    assert ids("mj@example") == {martha.user_id}
    assert ids("nobody") == set()
    assert services.users_search(query="   ") == []
    with pytest.raises(ValidationFailed):
        services.users_search(query="m")
    assert len(services.users_search(query="mart", limit=1)) == 1


def test_register_normalises_and_hashes() -> None:
    user = services.user_register(email="  MiXeD@Example.COM ", password=TEST_PASSWORD, first_name=" A ", last_name="B")
    assert (user.email, user.first_name) == ("mixed@example.com", "A")
    credentials = repositories.credentials_get("mixed@example.com")
    assert credentials is not None
    assert TEST_PASSWORD not in credentials.password_hash
    assert credentials.password_hash.startswith(("md5$", "pbkdf2"))
    with pytest.raises(Conflict):
        services.user_register(email="mixed@EXAMPLE.com", password=TEST_PASSWORD, first_name="C", last_name="D")


def test_register_collects_every_field_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(email="bad", password="123", first_name="", last_name="")
    assert set(caught.value.field_messages()) == {"email", "password", "first_name", "last_name"}


def test_user_import_is_an_idempotent_upsert() -> None:
    user_id = uuid.uuid4()
    created = datetime(2019, 5, 1, 12, 0, tzinfo=UTC)
    args = {
        "user_id": user_id,
        "email": "Imported@Example.com",
        "first_name": "Zebedee",
        "last_name": "Orted",
        "created_at": created,
    }
    services.user_import(**args, password="Seeded-Pass-123")
    again = services.user_import(**{**args, "first_name": "Renamed"}, password_hash=make_password("Other-Pass-456"))
    stored = services.user_get(user_id=user_id)
    assert stored == again
    assert (stored.email, stored.first_name, stored.created_at) == ("imported@example.com", "Renamed", created)
    assert stored.roles == {Role.VIEWER, Role.CREATOR}
    assert (
        services.user_authenticate(email="imported@example.com", password="Other-Pass-456", ip="1.2.3.4").user_id
        == user_id
    )
    assert services.users_search(query="zeb") == []  # the old first name left the index
    assert [u.user_id for u in services.users_search(query="renamed")] == [user_id]
    with pytest.raises(Conflict):
        services.user_import(**{**args, "user_id": uuid.uuid4()}, password="x")
    with pytest.raises(ValidationFailed):
        services.user_import(**{**args, "email": "new@example.com"}, password_hash="not-a-hash")


def test_disabled_accounts_cannot_sign_in() -> None:
    from accounts.domain import AccountStatus

    user = make_user()
    services.user_import(
        user_id=user.user_id,
        email=user.email,
        first_name="D",
        last_name="E",
        created_at=user.created_at,
        password=TEST_PASSWORD,
        account_status=AccountStatus.DISABLED,
    )
    with pytest.raises(AuthenticationRequired) as caught:
        services.user_authenticate(email=user.email, password=TEST_PASSWORD, ip="1.2.3.4")
    assert caught.value.code == "ACCOUNT_DISABLED"
