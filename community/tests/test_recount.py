"""Operator rebuilds: `recount_comments` and `rebuild_rating_aggregates` after a Redis loss or a bug put every
count back to what the rows hold (real stack: commands run through call_command on the embedded Data API
server and Redis)."""

from __future__ import annotations

from io import StringIO

import pytest
import redis as redis_lib
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog import services as catalog_services
from community import services
from community.domain import Sentiment
from community.repositories import comments as repo
from community.repositories import counts as counts_repo
from community.repositories import rating_aggregates as aggregates
from community.repositories import ratings as ratings_repo
from community.repositories.comments import CommentList
from community.services import comments, ratings
from killrvideo import astra


def _lose_redis() -> None:
    """Every key the app keeps in Redis is gone (Celery's queues stay)."""
    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter("kvapp:*", count=1000))
    if keys:
        client.delete(*keys)


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _blocks(lst: CommentList) -> list[tuple[int, int]]:
    return counts_repo.buckets_read(lst.scope, 100)


def _mood(video_id) -> dict[str, int]:
    mood = services.video_comment_mood(video_id=video_id)
    return {label.value: mood.count(label) for label in Sentiment}


# ---- comments -------------------------------------------------------------------------------------------------


def test_recount_of_one_video_rebuilds_its_and_its_commenters_counts(viewer, other_creator, creator, publish_video):
    video = publish_video(creator, title="Counted")
    other = publish_video(creator, title="Elsewhere")
    mine = [
        services.comment_post(actor=viewer, video_id=video.video_id, text=text)
        for text in ("I love it, wonderful", "This is terrible and sad", "It is a video")
    ]
    services.comment_post(actor=other_creator, video_id=video.video_id, text="Great work, thanks")
    services.comment_post(actor=other_creator, video_id=video.video_id, text="Awful, I hate it")
    services.comment_post(actor=viewer, video_id=other.video_id, text="on another video")
    services.comment_soft_delete(actor=viewer, comment_id=mine[2].comment_id)
    mood = _mood(video.video_id)
    assert mood == {"positive": 2, "neutral": 0, "negative": 2}
    video_list, viewer_list = CommentList.of_video(video.video_id), CommentList.of_user(viewer.user_id)

    # Redis is lost and the durable copies went wrong (a bug): totals, blocks, a stale block, the mood
    _lose_redis()
    counts_repo.total_put(video_list.scope, 40)
    counts_repo.bucket_put(video_list.scope, 0, 17)
    counts_repo.bucket_put(video_list.scope, 3, 5)
    counts_repo.total_put(f"video_mood:{video.video_id}:neutral", 12)
    counts_repo.total_put(viewer_list.scope, 0)
    counts_repo.bucket_put(viewer_list.scope, 0, 9)
    counts_repo.total_put(CommentList.of_user(other_creator.user_id).scope, 7)
    assert services.video_comment_count(video_id=video.video_id) == 40

    out = _run("recount_comments", "--video", str(video.video_id))
    assert "Recounted 1 videos' and 2 users' comment lists (4 comments on the videos)" in out
    assert services.video_comment_count(video_id=video.video_id) == 4
    assert _blocks(video_list) == [(0, 4)]
    assert counts_repo.total_get(video_list.scope) == 4
    assert _mood(video.video_id) == mood
    assert services.user_comment_count(user_id=viewer.user_id) == 3  # with the comment on the other video
    assert _blocks(viewer_list) == [(0, 3)]
    assert services.user_comment_count(user_id=other_creator.user_id) == 2
    assert services.video_comment_count(video_id=other.video_id) == 1  # not touched, still right
    # numbering and counting carry on from the right values; a second run changes nothing
    services.comment_post(actor=viewer, video_id=video.video_id, text="after the recount")
    assert services.video_comment_count(video_id=video.video_id) == 5
    assert "0 list rows put right" in _run("recount_comments", "--video", str(video.video_id))
    assert services.video_comment_count(video_id=video.video_id) == 5
    assert services.user_comment_count(user_id=viewer.user_id) == 4


def test_recount_puts_the_rows_of_a_removed_video_right(client, viewer, creator, moderator, publish_video):
    """A walk that never ran (worker lost) or a crash left rows behind: the recount moves them as the
    catalog's video and each comment's own `deleted` flag say."""
    video = publish_video(creator, title="Removed")
    kept = services.comment_post(actor=viewer, video_id=video.video_id, text="stays on the video")
    gone = services.comment_post(actor=viewer, video_id=video.video_id, text="deleted by a moderator")
    services.comment_soft_delete(actor=moderator, comment_id=gone.comment_id)
    catalog_services.video_soft_delete(actor=moderator, video_id=video.video_id)
    video_list, viewer_list = CommentList.of_video(video.video_id), CommentList.of_user(viewer.user_id)
    # the damage: the marker lost, the author's row back, a deleted comment's row still in the video's list
    comments.comments_hidden_set(video_id=video.video_id, hidden=False)
    repo.list_insert(viewer_list, repo.comment_get(kept.comment_id))
    repo.list_insert(video_list, repo.comment_get(gone.comment_id))
    counts_repo.total_put(viewer_list.scope, 1)

    out = _run("recount_comments", "--video", str(video.video_id))
    assert "2 list rows put right" in out
    assert comments.comments_hidden(video_id=video.video_id)
    assert repo.list_read_bucket(viewer_list, 0, 10) == []
    assert services.user_comment_count(user_id=viewer.user_id) == 0
    assert [c.comment_id for c in repo.list_read_bucket(video_list, 0, 10)] == [kept.comment_id]
    assert services.video_comment_count(video_id=video.video_id) == 1

    catalog_services.video_restore(actor=moderator, video_id=video.video_id)
    assert services.user_comment_count(user_id=viewer.user_id) == 1
    body = client.get(f"/api/v1/users/{viewer.user_id}/comments").json()
    assert [c["comment"] for c in body["data"]] == ["stays on the video"]


@pytest.mark.allows_scan  # an operator command: --all scans `comments`
def test_recount_of_everything_after_losing_every_count(viewer, other_creator, creator, moderator, publish_video):
    first = publish_video(creator, title="First")
    second = publish_video(creator, title="Second")
    removed = publish_video(creator, title="Removed")
    for n in range(3):
        services.comment_post(actor=viewer, video_id=first.video_id, text=f"viewer on first {n}")
    lonely = services.comment_post(actor=other_creator, video_id=second.video_id, text="other on second")
    gone = services.comment_post(actor=other_creator, video_id=second.video_id, text="deleted")
    services.comment_post(actor=viewer, video_id=removed.video_id, text="on the removed one")
    services.comment_soft_delete(actor=other_creator, comment_id=gone.comment_id)
    catalog_services.video_soft_delete(actor=creator, video_id=removed.video_id)
    # Redis and both durable count tables are gone, and a crash lost one comment's row in its video's list
    _lose_redis()
    astra.get_table("community_buckets").delete_many({})
    astra.get_table("community_totals").delete_many({})
    repo.list_delete(CommentList.of_video(second.video_id), repo.comment_get(lonely.comment_id))

    out = _run("recount_comments", "--all")
    assert "Recounted 3 videos' and 2 users' comment lists (5 comments on the videos); 1 list rows put right" in out
    assert services.video_comment_count(video_id=first.video_id) == 3
    assert services.video_comment_count(video_id=second.video_id) == 1
    assert services.video_comment_count(video_id=removed.video_id) == 1
    assert services.video_comment_mood(video_id=second.video_id).total == 1
    assert services.user_comment_count(user_id=viewer.user_id) == 3  # the removed video's comment is out
    assert services.user_comment_count(user_id=other_creator.user_id) == 1
    assert comments.comments_hidden(video_id=removed.video_id)
    assert _blocks(CommentList.of_video(second.video_id)) == [(0, 1)]
    # the sequences were lost too: numbering resumes in a fresh block, never in a full one
    assert counts_repo.total_get(CommentList.of_video(first.video_id).sequence_key) == 100
    services.comment_post(actor=viewer, video_id=first.video_id, text="after the rebuild")
    assert _blocks(CommentList.of_video(first.video_id)) == [(1, 1), (0, 3)]
    assert services.video_comment_count(video_id=first.video_id) == 4
    catalog_services.video_restore(actor=creator, video_id=removed.video_id)
    assert services.user_comment_count(user_id=viewer.user_id) == 5


def test_the_commands_want_exactly_one_scope():
    for args in ((), ("--all", "--video", "8a0c9d4e-1d1f-4c55-9d8e-9b5a8f0f3a61"), ("--video", "not-a-uuid")):
        for command in ("recount_comments", "rebuild_rating_aggregates"):
            with pytest.raises(CommandError):
                call_command(command, *args)


# ---- ratings --------------------------------------------------------------------------------------------------


def _rate(users_and_stars, video):
    for user, stars in users_and_stars:
        ratings.rating_set(actor=user, video_id=video.video_id, rating=stars)


def _summary(video) -> tuple[int, int]:
    summary = services.ratings_summary_many(video_ids=[video.video_id])[video.video_id]
    return summary.count, summary.total


@pytest.mark.allows_scan  # an operator command: ratings_by_video_user has no per-video partition
def test_rebuild_of_one_video_fixes_it_and_moves_the_site_by_the_difference(
    viewer, other_creator, moderator, creator, publish_video
):
    video = publish_video(creator, title="Rated")
    other = publish_video(creator, title="Also rated")
    _rate([(viewer, 4), (other_creator, 2), (moderator, 5)], video)
    _rate([(viewer, 3)], other)
    assert ratings.site_rating_summary() == (4, 14)
    # a bug counted two phantom ratings on the video, in Redis and in Astra, and in the site-wide pair
    scope = aggregates.video_scope(video.video_id)
    aggregates.aggregates_set_many({scope: (5, 20), aggregates.SITE: (6, 23)})
    ratings_repo.video_ratings_put(video.video_id, 5, 20)
    ratings_repo.site_ratings_put(6, 23)

    out = _run("rebuild_rating_aggregates", "--video", str(video.video_id))
    assert "Rebuilt the rating aggregates of 1 videos from 3 ratings." in out
    assert _summary(video) == (3, 11)
    assert ratings_repo.video_ratings_get_many([video.video_id])[video.video_id] == (3, 11)
    assert ratings.site_rating_summary() == (4, 14)
    assert ratings_repo.site_ratings_get() == (4, 14)
    assert _summary(other) == (1, 3)

    # after a Redis loss the rebuild reads the durable pairs as "before": nothing drifts
    _lose_redis()
    _run("rebuild_rating_aggregates", "--video", str(video.video_id))
    assert _summary(video) == (3, 11)
    assert ratings.site_rating_summary() == (4, 14)
    # and rating goes on from there
    ratings.rating_set(actor=viewer, video_id=video.video_id, rating=1)
    assert _summary(video) == (3, 8)
    assert ratings.site_rating_summary() == (4, 11)


@pytest.mark.allows_scan  # an operator command: --all scans ratings_by_video_user and video_ratings
def test_rebuild_of_everything_after_a_redis_loss_and_a_bad_durable_copy(viewer, other_creator, creator, publish_video):
    rated = publish_video(creator, title="Rated")
    also = publish_video(creator, title="Also")
    never = publish_video(creator, title="Never rated")
    _rate([(viewer, 5), (other_creator, 4)], rated)
    _rate([(other_creator, 1)], also)
    _lose_redis()
    ratings_repo.video_ratings_put(rated.video_id, 9, 45)
    ratings_repo.video_ratings_put(never.video_id, 2, 7)  # a stale pair with no rating behind it
    ratings_repo.site_ratings_put(40, 100)

    out = _run("rebuild_rating_aggregates", "--all")
    assert "Rebuilt the rating aggregates of 3 videos from 3 ratings." in out
    assert _summary(rated) == (2, 9)
    assert _summary(also) == (1, 1)
    assert _summary(never) == (0, 0)
    assert ratings_repo.video_ratings_get_many([never.video_id])[never.video_id] == (0, 0)
    assert ratings.site_rating_summary() == (3, 10)
    assert ratings_repo.site_ratings_get() == (3, 10)
    assert services.rating_summary(video_id=rated.video_id).average == 4.5
