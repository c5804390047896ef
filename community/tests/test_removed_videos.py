"""A removed video's comments leave their authors' lists and counts (API, profile tab) and come back, with
counts exact, when it is restored; its own count is right after the restore; the activity timeline stops
linking it. Real stack: the receiver of catalog's signal, and the Celery worker for a video of many blocks."""

from __future__ import annotations

import time
from collections.abc import Callable
from http import HTTPStatus

import pytest

from accounts.tests.factories import signed_in_client
from catalog import services as catalog_services
from community import services
from community.repositories import comments as repo
from community.repositories import counts as counts_repo
from community.repositories.comments import CommentList
from community.services import comments, visibility
from community.tests.comments_support import import_comments

HTMX = {"HTTP_HX_REQUEST": "true"}


def _user_api(client, user):
    body = client.get(f"/api/v1/users/{user.user_id}/comments", {"pageSize": 100}).json()
    return body["pagination"]["totalItems"], [c["comment"] for c in body["data"]]


def _rows(lst: CommentList) -> list:
    """Every row of a list, block by block, from the blocks its counts name and its sequence numbered."""
    posted = counts_repo.total_get(lst.sequence_key) or 0
    blocks = range(-(-posted // 100))
    return [c for block in blocks for c in repo.list_read_bucket(lst, block, 1000)]


def _consistent(lst: CommentList) -> int:
    """The list's total, its block counts and its rows agree (in Redis and in Astra); returns the total."""
    rows = _rows(lst)
    total = services.user_comment_count(user_id=lst.owner_id) if lst.kind == "user" else None
    if total is None:
        total = services.video_comment_count(video_id=lst.owner_id)
    assert total == len(rows)
    assert counts_repo.total_get(lst.scope) in (None, len(rows))
    assert sum(n for _, n in counts_repo.buckets_read(lst.scope, 100)) == len(rows)
    return total


def _receive(video_id) -> None:
    """The receiver again, as a duplicate delivery of the signal would run it."""
    video = catalog_services.videos_get_many(video_ids=[video_id], include_deleted=True)[video_id]
    visibility.on_video_visibility_changed(sender=None, video=video, public=video.is_public)


def test_a_removed_videos_comments_leave_every_list_and_come_back(
    client, viewer, other_creator, creator, moderator, publish_video
):
    doomed = publish_video(creator, title="Soon removed")
    kept = publish_video(creator, title="Staying")
    for text in ("first on doomed", "second on doomed"):
        services.comment_post(actor=viewer, video_id=doomed.video_id, text=text)
    services.comment_post(actor=other_creator, video_id=doomed.video_id, text="other on doomed")
    services.comment_post(actor=viewer, video_id=kept.video_id, text="on the kept one")
    assert _user_api(client, viewer)[0] == 3

    catalog_services.video_soft_delete(actor=creator, video_id=doomed.video_id)
    assert _user_api(client, viewer) == (1, ["on the kept one"])
    assert _user_api(client, other_creator) == (0, [])
    tab = client.get(f"/users/{viewer.user_id}/comments", **HTMX).content.decode()
    assert "on the kept one" in tab
    assert "doomed" not in tab
    assert "(1)" in tab
    _receive(doomed.video_id)  # twice: nothing more moves
    _receive(doomed.video_id)
    assert _consistent(CommentList.of_user(viewer.user_id)) == 1
    assert _consistent(CommentList.of_user(other_creator.user_id)) == 0
    assert client.get(f"/api/v1/videos/{doomed.video_id}/comments").status_code == HTTPStatus.NOT_FOUND

    catalog_services.video_restore(actor=moderator, video_id=doomed.video_id)
    assert _user_api(client, viewer) == (3, ["on the kept one", "second on doomed", "first on doomed"])
    assert _user_api(client, other_creator) == (1, ["other on doomed"])
    _receive(doomed.video_id)
    assert _consistent(CommentList.of_user(viewer.user_id)) == 3
    assert _consistent(CommentList.of_user(other_creator.user_id)) == 1
    assert _consistent(CommentList.of_video(doomed.video_id)) == 3
    page = client.get(f"/api/v1/videos/{doomed.video_id}/comments").json()
    assert page["pagination"]["totalItems"] == 3
    assert services.video_comment_mood(video_id=doomed.video_id).total == 3


def test_deletes_and_restores_while_removed_count_once(client, viewer, creator, moderator, publish_video):
    video = publish_video(creator, title="Contested")
    gone = services.comment_post(actor=viewer, video_id=video.video_id, text="I will delete this")
    back = services.comment_post(actor=viewer, video_id=video.video_id, text="a moderator brings this back")
    services.comment_post(actor=viewer, video_id=video.video_id, text="just a comment")
    services.comment_soft_delete(actor=moderator, comment_id=back.comment_id)
    catalog_services.video_soft_delete(actor=moderator, video_id=video.video_id)
    assert services.user_comment_count(user_id=viewer.user_id) == 0

    # while the video is removed: its author deletes one (twice), a moderator restores another (twice)
    for _ in range(2):
        services.comment_soft_delete(actor=viewer, comment_id=gone.comment_id)
        services.comment_restore(actor=moderator, comment_id=back.comment_id)
    assert _user_api(client, viewer) == (0, [])
    assert _consistent(CommentList.of_user(viewer.user_id)) == 0
    assert _consistent(CommentList.of_video(video.video_id)) == 2

    catalog_services.video_restore(actor=moderator, video_id=video.video_id)
    # the deleted one stays deleted; the restored one is back in its author's list
    assert _user_api(client, viewer) == (2, ["just a comment", "a moderator brings this back"])
    assert repo.comment_get(gone.comment_id).deleted
    assert _consistent(CommentList.of_user(viewer.user_id)) == 2
    assert _consistent(CommentList.of_video(video.video_id)) == 2
    body = client.get(f"/api/v1/videos/{video.video_id}/comments").json()
    assert [c["comment"] for c in body["data"]] == ["just a comment", "a moderator brings this back"]


def test_a_post_that_races_the_removal_leaves_its_authors_list(client, viewer, creator, publish_video):
    """The marker is set after catalog saved the video: a post that passed the catalog's check just before
    must not stay in its author's list (here the marker is set first, as the receiver would mid-post)."""
    video = publish_video(creator, title="Racing")
    comments.comments_hidden_set(video_id=video.video_id, hidden=True)
    services.comment_post(actor=viewer, video_id=video.video_id, text="posted as it went")
    assert _user_api(client, viewer) == (0, [])
    assert _consistent(CommentList.of_user(viewer.user_id)) == 0
    assert _consistent(CommentList.of_video(video.video_id)) == 1
    # the catalog says public: the next receiver puts the marker, and the row, right
    _receive(video.video_id)
    assert _user_api(client, viewer) == (1, ["posted as it went"])
    assert _consistent(CommentList.of_user(viewer.user_id)) == 1


def test_signals_out_of_order_still_leave_the_video_as_it_is(client, viewer, creator, moderator, publish_video):
    video = publish_video(creator, title="Toggled")
    services.comment_post(actor=viewer, video_id=video.video_id, text="still here")
    catalog_services.video_soft_delete(actor=creator, video_id=video.video_id)
    catalog_services.video_restore(actor=moderator, video_id=video.video_id)
    stale = catalog_services.videos_get_many(video_ids=[video.video_id])[video.video_id]
    # a late delivery of the removal's signal: the receiver reads the stored video, which is public
    visibility.on_video_visibility_changed(sender=None, video=stale, public=False)
    assert not comments.comments_hidden(video_id=video.video_id)
    assert _user_api(client, viewer) == (1, ["still here"])


def test_the_activity_timeline_stops_linking_a_removed_video(client, viewer, creator, publish_video):
    video = publish_video(creator, title="Linked talk")
    services.comment_post(actor=viewer, video_id=video.video_id, text="Nice talk")
    url = f"/users/{viewer.user_id}/activity"
    link = f'href="/watch/{video.video_id}"'
    assert link in signed_in_client(client, viewer).get(url).content.decode()
    catalog_services.video_soft_delete(actor=creator, video_id=video.video_id)
    page = signed_in_client(client, viewer).get(url).content.decode()
    assert link not in page
    assert "Linked talk" not in page
    assert "a video that is no longer available" in page
    api = client.get(f"/api/v1/users/{viewer.user_id}/activity", **_bearer(viewer)).json()
    assert api["pagination"]["totalItems"] == 1  # the entry stays (totals stay true), without its title
    assert api["data"][0]["videoName"] is None
    catalog_services.video_restore(actor=creator, video_id=video.video_id)
    assert link in signed_in_client(client, viewer).get(url).content.decode()


def _bearer(user):
    from accounts.tests.factories import api_headers

    return api_headers(user)


def _eventually(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the worker did not finish the walk in time"
        time.sleep(0.2)


@pytest.mark.usefixtures("celery_worker")
def test_a_video_of_many_blocks_is_walked_by_the_worker(client, viewer, other_creator, creator, publish_video):
    video = publish_video(creator, title="Busy")
    other = publish_video(creator, title="Quiet")
    import_comments([viewer, other_creator], video, 201)
    services.comment_post(actor=viewer, video_id=other.video_id, text="elsewhere")
    assert comments.video_top_block(video_id=video.video_id) == 2  # three blocks, 201 comments: queued, not inline

    started = time.monotonic()
    catalog_services.video_soft_delete(actor=creator, video_id=video.video_id)
    returned = time.monotonic() - started
    _eventually(lambda: services.user_comment_count(user_id=other_creator.user_id) == 0)
    _eventually(lambda: services.user_comment_count(user_id=viewer.user_id) == 1)
    walked = time.monotonic() - started
    print(f"\nremoval of a 201-comment video: request {returned:.2f}s, walk done after {walked:.2f}s")
    assert _user_api(client, viewer) == (1, ["elsewhere"])
    assert _consistent(CommentList.of_user(viewer.user_id)) == 1
    assert _consistent(CommentList.of_user(other_creator.user_id)) == 0

    catalog_services.video_restore(actor=creator, video_id=video.video_id)
    _eventually(lambda: services.user_comment_count(user_id=viewer.user_id) == 102)
    _eventually(lambda: services.user_comment_count(user_id=other_creator.user_id) == 100)
    assert _consistent(CommentList.of_user(viewer.user_id)) == 102
    assert _consistent(CommentList.of_user(other_creator.user_id)) == 100
    assert _consistent(CommentList.of_video(video.video_id)) == 201
    total, texts = _user_api(client, other_creator)
    assert total == 100
    assert sorted(texts) == sorted(f"c{n}" for n in range(1, 201, 2))  # each of them back, once


def test_a_walk_queued_without_a_block_marks_the_video_itself(client, viewer, creator, publish_video):
    """The receiver could not run (here: disconnected); the task it falls back to marks the video from the
    catalog first, then walks from the newest block."""
    from catalog import signals

    video = publish_video(creator, title="Missed")
    services.comment_post(actor=viewer, video_id=video.video_id, text="left behind")
    uid = "community.comments.visibility"
    assert signals.video_visibility_changed.disconnect(dispatch_uid=uid)
    try:
        catalog_services.video_soft_delete(actor=creator, video_id=video.video_id)
    finally:
        signals.video_visibility_changed.connect(visibility.on_video_visibility_changed, dispatch_uid=uid)
    assert _user_api(client, viewer)[0] == 1
    assert visibility.video_comments_sync_step(video_id=video.video_id, block=None) == 1
    assert comments.comments_hidden(video_id=video.video_id)
    assert _user_api(client, viewer) == (0, [])
    assert _consistent(CommentList.of_user(viewer.user_id)) == 0
