"""Schema-based fuzzing of the whole JSON API (issue 9): schemathesis derives requests from /api/v1/openapi.json
for every operation (the schema's examples, its boundary values, then random valid and invalid input),
anonymously and with an admin's token, on the real stack. No request may get a 5xx, and every error must be
the API's JSON `{"detail", "code"}`.

Repeatable: the seed is fixed, and `FUZZ_MAX_EXAMPLES` bounds the random cases per operation so the run fits in
the suite. Half the cases address things that exist (a video, its owner) and half the bodies pass the first
check (a well-formed YouTube link; a valid email and a strong password), so they get past the 404s and that
check into the code behind them.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from accounts.auth import issue_token
from accounts.domain import Role
from accounts.tests.factories import TEST_PASSWORD, make_user
from killrvideo import redis as kv_redis

logger = logging.getLogger(__name__)

# Overridable for a deeper run by hand, e.g. KILLRVIDEO_FUZZ_EXAMPLES=500 KILLRVIDEO_FUZZ_SEED=1.
FUZZ_SEED = int(os.environ.get("KILLRVIDEO_FUZZ_SEED", "9"))
FUZZ_MAX_EXAMPLES = int(os.environ.get("KILLRVIDEO_FUZZ_EXAMPLES", "40"))
CONFIG = {
    "seed": FUZZ_SEED,
    "generation": {"max-examples": FUZZ_MAX_EXAMPLES, "deterministic": True, "database": "none"},
}
# A YouTube id the stand-in knows (previews of it succeed); other well-formed ids are unknown to it.
KNOWN_YOUTUBE_ID = "dQw4w9WgXcQ"
PARKED_QUEUE = "fuzz-tests-parked"
CASES: Counter[str] = Counter()
# What exists in the store for the current test: set by the `world` fixture, read by the hooks below.
WORLD: dict[str, str] = {}

# Loaded at import from the app's own /api/v1/openapi.json, in process; cases run against the same WSGI app.
# (schemathesis' fixture-based lazy loading does not work with pytest 9.2, which renamed a Node attribute it sets.)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=schemathesis.Config.from_dict(CONFIG)
)


@schema.hook
def flatmap_path_parameters(context: schemathesis.HookContext, path_parameters: dict[str, Any]) -> Any:
    """Half the cases name the video and user that exist instead of the generated ids."""

    def known(parameters: dict[str, Any]) -> dict[str, Any]:
        return {
            name: WORLD[name] if name.endswith("_id") and name in WORLD else value for name, value in parameters.items()
        }

    return st.booleans().map(lambda real: known(path_parameters) if real and path_parameters else path_parameters)


@schema.hook
def flatmap_body(context: schemathesis.HookContext, body: Any) -> Any:
    """Half the bodies carry what passes the first check, so the other fields reach the code behind it: a
    well-formed YouTube link (one the stand-in knows, or a new id), or a valid email and a strong password."""
    if not isinstance(body, dict):
        return st.just(body)
    path = context.operation.path if context.operation else ""
    if "youtubeUrl" in body:
        ids = st.one_of(st.just(KNOWN_YOUTUBE_ID), st.from_regex(r"[A-Za-z0-9_-]{11}", fullmatch=True))
        valid = ids.map(lambda youtube_id: {**body, "youtubeUrl": f"https://youtu.be/{youtube_id}"})
    elif path.endswith("/users/register"):
        emails = st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True).map(lambda local: f"{local}@example.com")
        valid = emails.map(lambda email: {**body, "email": email, "password": TEST_PASSWORD})
    elif path.endswith("/users/login"):
        valid = st.sampled_from([TEST_PASSWORD, body.get("password")]).map(
            lambda password: {**body, "email": WORLD.get("email"), "password": password}
        )
    else:
        return st.just(body)
    return st.one_of(st.just(body), valid)


@schemathesis.check
def json_error_body(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """An error is the API's JSON: `{"detail": <non-empty string>, "code": <string>}`."""
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"{response.status_code} error is {content_type!r}, not JSON"
    body = response.json()
    assert isinstance(body, dict), f"{response.status_code} error body is not an object"
    assert isinstance(body.get("detail"), str), f"{response.status_code} error has no string `detail`"
    assert body["detail"], f"{response.status_code} error has an empty `detail`"
    assert isinstance(body.get("code"), str), f"{response.status_code} error has no string `code`"


@pytest.fixture(scope="module", autouse=True)
def _report_cases() -> Iterator[None]:
    yield
    if CASES:
        logger.info("API fuzz: %s cases (%s)", sum(CASES.values()), ", ".join(f"{k} {v}" for k, v in CASES.items()))


@pytest.fixture
def _parked_tasks() -> Iterator[None]:
    """Submissions queue processing; no worker may pick those up (one may run for other tests), so they go to a
    queue nobody consumes, dropped afterwards."""
    from killrvideo.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = PARKED_QUEUE
    yield
    app.conf.task_default_queue = previous
    kv_redis.client().delete(PARKED_QUEUE)


@pytest.fixture
def world(store: None, youtube_standin: Any, _parked_tasks: None) -> Iterator[dict[str, Any]]:
    """An admin who owns a (pending) video: what the path-parameter hook points half the cases at."""
    from catalog.services import videos
    from catalog.tests.youtube_standin import OkVideo

    youtube_standin.reset()
    youtube_standin.set_scenario(KNOWN_YOUTUBE_ID, OkVideo(title="Never Gonna"))
    owner = make_user(Role.ADMIN)
    video = videos.video_submit(actor=owner, youtube_url="https://youtu.be/abcdefghijk", tags=["fuzz"]).video
    WORLD.update(video_id=str(video.video_id), user_id=str(owner.user_id), email=owner.email)
    yield {"owner": owner}
    WORLD.clear()


@pytest.fixture(params=["anonymous", "admin"])
def identity(request: pytest.FixtureRequest, world: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Who sends the requests: no credentials, or the admin's bearer token (admins reach the most code)."""
    if request.param == "anonymous":
        return "anonymous", {}
    return "admin", {"Authorization": f"Bearer {issue_token(world['owner'])}"}


def _reset_rate_limits() -> None:
    """Rate limits would soon answer every request to their endpoints with 429; cleared so cases reach the code."""
    client = kv_redis.client()
    keys = list(client.scan_iter(kv_redis.key("count:rl:*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.mark.fuzz
@schema.parametrize()
# `identity` (and the store under it) is set up once per operation, deliberately: the cases of one operation
# share a store, which only makes them reach more code.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_fuzz(case: schemathesis.Case, identity: tuple[str, dict[str, str]]) -> None:
    who, headers = identity
    # schemathesis sends a made-up bearer token for secured operations; the identity decides instead.
    if case.headers:
        case.headers.pop("Authorization", None)
    case.headers = {**(case.headers or {}), **headers}
    _reset_rate_limits()
    CASES[who] += 1
    case.call_and_validate(checks=[not_a_server_error, json_error_body])
