"""The community part of the dataset import: comments and ratings mapped onto the imported videos,
sentiment recomputed, counts and aggregates rebuilt from the rows, idempotent."""

from __future__ import annotations

import csv
import uuid
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.services import importer
from community import sentiment
from community.domain import ActivityType
from community.repositories import comments as comments_repo
from community.repositories import ratings as ratings_repo
from community.services import activity, comments, importing
from community.services import ratings as rating_services
from killrvideo.pagination import PageRequest
from killrvideo.tests.support import DATASET_DIR

pytestmark = pytest.mark.skipif(not DATASET_DIR.is_dir(), reason="the public dataset is not checked out")
LIMIT = 12


def _import() -> str:
    out = StringIO()
    call_command(
        "import_killrvideo_data",
        str(DATASET_DIR),
        "--password",
        "dataset-pass-1",
        "--limit",
        str(LIMIT),
        stdout=out,
        verbosity=0,
    )
    return out.getvalue()


def _csv(name):
    with (DATASET_DIR / "csv" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _state(moderator, video_ids, user_ids):
    counts = {v: comments.video_comment_count(video_id=v) for v in video_ids}
    pages = {
        v: [
            c.comment_id
            for c in comments.video_comments_page(actor=moderator, video_id=v, request=PageRequest(1, 5)).items
        ]
        for v in video_ids
    }
    timelines = {
        u: activity.activity_page(actor=moderator, user_id=u, request=PageRequest(1, 1)).total for u in user_ids
    }
    aggregates = ratings_repo.video_ratings_get_many(list(video_ids))
    return counts, pages, timelines, aggregates, rating_services.site_rating_summary()


@pytest.mark.allows_scan  # an operator command: the tag-suggestion rebuild reads the catalogue
def test_comments_and_ratings_are_imported_once_with_sentiment_and_counts_rebuilt(moderator):
    out = _import()
    video_ids = [importer.video_uuid(p.stem, 0) for p in importer.video_files(DATASET_DIR, LIMIT)]
    rows = _csv("comments.csv")
    assert f"Imported {len(rows)} comments ({len(rows)} new)" in out
    assert sum(comments.video_comment_count(video_id=v) for v in video_ids) == len(rows)  # all on imported videos

    # sentiment comes from the text, not from the dataset's random score; created_at from the timeuuid
    sample = rows[0]
    stored = comments_repo.comment_get(importing.comment_uuid(sample["commentid"]))
    assert stored is not None
    assert stored.text == sample["comment"].strip()
    assert stored.sentiment_score == sentiment.analyse(stored.text).score
    assert stored.created_at == importing.timeuuid_time(sample["commentid"])
    scores = [comments_repo.comment_get(importing.comment_uuid(r["commentid"])).sentiment_score for r in rows[:40]]
    assert any(abs(ours - float(r["sentiment_score"])) > 0.01 for ours, r in zip(scores, rows, strict=False))

    # ratings: one per (video, user), never on the rater's own video; aggregates equal the rows
    summaries = rating_services.ratings_summary_many(video_ids=video_ids)
    rated = sum(s.count for s in summaries.values())
    assert 0 < rated <= len(_csv("video_ratings_by_user.csv"))
    assert rating_services.site_rating_summary() == (rated, sum(s.total for s in summaries.values()))
    targets = importing._Targets(DATASET_DIR, [p.stem for p in importer.video_files(DATASET_DIR, LIMIT)])
    made, own, read = importing._ratings_of(DATASET_DIR, targets)
    assert len(made) == rated
    assert read == len(_csv("video_ratings_by_user.csv"))
    assert all(targets.videos[r.video_id].user_id != r.user_id for r in made)  # owners' own rows skipped
    # activity: each imported comment and rating is on its author's timeline
    author = uuid.UUID(sample["userid"])
    mine = activity.activity_page(
        actor=moderator, user_id=author, activity_type=ActivityType.COMMENT, request=PageRequest(1, 100)
    )
    assert mine.total == sum(1 for r in rows if r["userid"] == sample["userid"])
    assert importing.comment_uuid(sample["commentid"]) in {a.activity_id for a in mine.items}
    rates = activity.activity_page(
        actor=moderator, user_id=author, activity_type=ActivityType.RATE, request=PageRequest(1, 1)
    )
    every = activity.activity_page(actor=moderator, user_id=author, request=PageRequest(1, 1))
    assert every.total == mine.total + rates.total

    users = {uuid.UUID(r["userid"]) for r in rows[:20]}
    before = _state(moderator, video_ids, users)
    again = _import()
    assert f"Imported {len(rows)} comments (0 new)" in again
    assert _state(moderator, video_ids, users) == before


def test_timeuuid_times_and_ids_are_deterministic():
    first = importing.comment_uuid("090f6644-b9cd-11f0-9a37-62bc60f3bc08")
    assert first == importing.comment_uuid("090f6644-b9cd-11f0-9a37-62bc60f3bc08")
    moment = importing.timeuuid_time("090f6644-b9cd-11f0-9a37-62bc60f3bc08")
    assert (moment.year, moment.month, moment.day) == (2025, 11, 4)
    assert moment.microsecond % 1000 == 0
