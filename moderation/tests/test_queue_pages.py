"""A queue page is its queue rows (each holds its case and first report) and is cached until a report or a
decision changes that queue: the same entries as each flag read by id, exact counts, never a stale page."""

from __future__ import annotations

import json
from http import HTTPStatus

from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from accounts.tests.factories import api_headers, make_user
from killrvideo.tests.support import counting_reads, drop_cached_values
from moderation.domain import ContentType
from moderation.repositories import flags as flags_repo
from moderation.schemas import FlagPageOut

QUEUE = "/api/v1/moderation/flags"


def _report(client, user, content_type, content_id, text=None):
    body = {"contentType": content_type, "contentId": str(content_id), "reasonCode": "spam"}
    if text is not None:
        body["reasonText"] = text
    response = client.post("/api/v1/flags", body, content_type="application/json", **api_headers(user))
    assert response.status_code == HTTPStatus.CREATED, response.content
    return response.json()


def _page(client, moderator, **params):
    response = client.get(QUEUE, params, **api_headers(moderator))
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()


def _by_id(client, moderator, flag_id):
    return client.get(f"{QUEUE}/{flag_id}", **api_headers(moderator)).json()


def test_each_entry_is_its_flag_as_read_by_id(client, viewer, moderator, video, comment):
    first = _report(client, viewer, "video", video.video_id, text="Stolen from my channel")
    _report(client, make_user(), "video", video.video_id)
    on_comment = _report(client, viewer, "comment", comment.comment_id)
    page = _page(client, moderator)
    assert [entry["flagId"] for entry in page["data"]] == [first["flagId"], on_comment["flagId"]]
    assert page["data"] == [_by_id(client, moderator, entry["flagId"]) for entry in page["data"]]
    assert (page["data"][0]["reasonText"], page["data"][0]["reasonMasked"], page["data"][0]["reportCount"]) == (
        "••••••",
        True,
        2,
    )
    assert "Stolen" not in str(page)


def test_the_page_json_is_what_the_declared_schema_writes(client, viewer, moderator, video, comment):
    """The queue writes its JSON directly (killrvideo.schemas.page_json): exactly what ninja would write
    after validating it against the route's response schema."""
    _report(client, viewer, "video", video.video_id, text="details")
    _report(client, viewer, "comment", comment.comment_id)
    response = client.get(QUEUE, **api_headers(moderator))
    adapter = TypeAdapter(FlagPageOut)
    validated = adapter.dump_python(adapter.validate_json(response.content))
    assert response.content.decode() == json.dumps(validated, cls=NinjaJSONEncoder)
    assert len(response.json()["data"]) == 2


def test_a_page_reads_only_the_queue_and_then_is_cached(client, viewer, moderator, video, comment):
    _report(client, viewer, "video", video.video_id)
    _report(client, viewer, "comment", comment.comment_id)
    drop_cached_values()
    with counting_reads() as reads:
        _page(client, moderator)
    assert set(reads.finds) == {"flag_queue_buckets", "flag_queue"}
    with counting_reads() as reads:
        again = _page(client, moderator)
    assert sum(reads.finds.values()) == 0
    assert again["pagination"]["totalItems"] == 2


def test_reports_and_decisions_show_at_once_on_cached_pages(client, viewer, moderator, creator, video, comment):
    flag = _report(client, viewer, "video", video.video_id)
    _report(client, viewer, "comment", comment.comment_id)
    for params in ({}, {"contentType": "video"}, {"status": "under_review"}):
        _page(client, moderator, **params)  # cached now
    _report(client, make_user(), "video", video.video_id)
    assert _page(client, moderator)["data"][0]["reportCount"] == 2
    assert _page(client, moderator, contentType="video")["data"][0]["reportCount"] == 2

    acted = client.post(
        f"{QUEUE}/{flag['flagId']}/action",
        {"status": "under_review", "moderatorNotes": "Checking the source"},
        content_type="application/json",
        **api_headers(moderator),
    )
    assert acted.status_code == HTTPStatus.OK
    open_page = _page(client, moderator)
    assert [e["contentId"] for e in open_page["data"]] == [str(comment.comment_id)]
    assert open_page["pagination"]["totalItems"] == 1
    assert _page(client, moderator, contentType="video")["pagination"]["totalItems"] == 0
    reviewing = _page(client, moderator, status="under_review")
    assert reviewing["pagination"]["totalItems"] == 1
    assert reviewing["data"] == [acted.json()]
    assert reviewing["data"][0]["moderatorNotes"] == "Checking the source"

    # A report on a case under review joins it, in the under-review queue.
    _report(client, make_user(), "video", video.video_id)
    assert _page(client, moderator, status="under_review")["data"][0]["reportCount"] == 3


def test_a_queue_row_without_its_first_report_is_read_by_id(client, viewer, moderator, video):
    """Rows written before queue rows held their case and first report still list the same entry."""
    flag = _report(client, viewer, "video", video.video_id, text="details")
    expected = _page(client, moderator)
    case = flags_repo.case_get(flags_repo.item_case_get(ContentType.VIDEO, video.video_id))
    flags_repo.queue_delete(case)
    flags_repo.queue_put(case, None)
    drop_cached_values()
    with counting_reads() as reads:
        assert _page(client, moderator) == expected
    assert reads.finds["flag_cases"] == reads.finds["flags"] == 1
    assert expected["data"][0]["flagId"] == flag["flagId"]
