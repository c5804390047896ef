"""Comment lists at depth: exact pages and a feed with no duplicates or gaps while others post, reads per
page that do not grow with the page number, and counts that stay exact under concurrent posts and deletes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import override_settings

from community import services
from community.repositories import comments as repo
from community.repositories import counts as counts_repo
from community.repositories.comments import CommentList
from community.tests.comments_support import import_comments
from killrvideo.pagination import PageRequest
from killrvideo.tests.support import DataApiReads, counting_reads, drop_cached_values

COMMENTS = 1050  # 11 blocks of 100: the newest holds 50
ROW_TABLES = ("comments_by_video", "comments_by_user")


@pytest.fixture
def reads() -> Iterator[DataApiReads]:
    with counting_reads(ROW_TABLES) as observer:
        yield observer


def _post_many(actors, video_id, count, *, start=0, threads=4):
    with override_settings(RATE_LIMITS_ENABLED=False), ThreadPoolExecutor(threads) as pool:
        return list(
            pool.map(
                lambda n: services.comment_post(actor=actors[n % len(actors)], video_id=video_id, text=f"c{n}"),
                range(start, start + count),
            )
        )


def _newest_first(video_id):
    """Every visible row, in display order (block newest first, then clustering order), read block by block."""
    lst = CommentList.of_video(video_id)
    rows = []
    for bucket, _ in counts_repo.buckets_read(lst.scope, 100):
        rows.extend(repo.list_read_bucket(lst, bucket, 100))
    return [c.comment_id for c in rows]


def test_deep_pages_are_exact_and_cost_what_page_one_costs(creator, viewer, publish_video, reads, moderator):
    video = publish_video(creator, title="Popular")
    import_comments([viewer, creator], video, COMMENTS)
    lst = CommentList.of_video(video.video_id)
    assert services.video_comment_count(video_id=video.video_id) == COMMENTS
    blocks = counts_repo.buckets_read(lst.scope, 100)
    assert [b for b, _ in blocks] == list(range(10, -1, -1))
    assert sum(n for _, n in blocks) == COMMENTS
    assert all(n == 100 for _, n in blocks[1:])
    everything = _newest_first(video.video_id)
    costs = {}
    services.video_comments_page(actor=moderator, video_id=video.video_id, request=PageRequest(1, 10))  # names cached
    for number in (1, 2, 6, 50, 96, 104, 105):
        drop_cached_values()  # what a first read of the page costs the store
        before = reads.snapshot()
        page = services.video_comments_page(actor=moderator, video_id=video.video_id, request=PageRequest(number, 10))
        after = reads.snapshot()
        costs[number] = (after[0] - before[0], after[1] - before[1])
        assert [c.comment_id for c in page.items] == everything[(number - 1) * 10 : number * 10], number
        assert page.total == COMMENTS
        before = reads.snapshot()
        again = services.video_comments_page(actor=moderator, video_id=video.video_id, request=PageRequest(number, 10))
        assert reads.snapshot()[0] == before[0]  # a repeat is served from the cache
        assert again.items == page.items
    # video check, block counts, one block range: page 1 and page 96 (the top of block 1) cost the same; a page
    # deep inside a block reads its first rows too, which past 50 rows is a second Data API page of that block
    finds = {number: cost[0] for number, cost in costs.items()}
    assert finds[96] == finds[1], sorted(costs.items())
    assert max(finds.values()) <= finds[1] + 1, sorted(costs.items())
    assert max(rows for _, rows in costs.values()) <= 2 * 100, sorted(costs.items())  # <= 2 blocks' rows
    page = services.video_comments_page(actor=moderator, video_id=video.video_id, request=PageRequest(8, 100))
    assert [c.comment_id for c in page.items] == everything[700:800]


def test_the_feed_never_repeats_or_skips_while_others_post(creator, viewer, other_creator, publish_video):
    video = publish_video(creator, title="Busy")
    import_comments([viewer, creator], video, 230)
    before = _newest_first(video.video_id)
    seen, cursor = [], None
    writer = threading.Thread(target=_post_many, args=([other_creator], video.video_id, 60), kwargs={"start": 1000})
    writer.start()
    try:
        while True:
            feed = services.video_comments_feed(video=video, cursor=cursor)
            seen.extend(c.comment_id for c in feed.items)
            if feed.next_cursor is None:
                break
            cursor = feed.next_cursor
    finally:
        writer.join()
    assert len(seen) == len(set(seen)), "a comment was shown twice"
    # every comment that existed when paging began is seen, in order; later ones may appear only at the top
    positions = [seen.index(c) for c in before if c in seen]
    assert len(positions) == len(before), "a comment was skipped"
    assert positions == sorted(positions)
    assert services.video_comment_count(video_id=video.video_id) == 290


def test_counts_stay_exact_under_concurrent_posts_and_deletes(creator, viewer, moderator, publish_video):
    video = publish_video(creator, title="Contested")
    first = _post_many([viewer], video.video_id, 40)
    doomed = first[:25]

    def work(n):
        if n < 25:  # every doomed comment deleted twice at once, by its author and by a moderator
            actor = viewer if n % 2 else moderator
            services.comment_soft_delete(actor=actor, comment_id=doomed[n].comment_id)
            services.comment_soft_delete(actor=moderator, comment_id=doomed[n].comment_id)
        else:
            services.comment_post(actor=creator, video_id=video.video_id, text=f"late {n}")

    # override_settings is process-wide: entered in threads, their exits interleave and leak the override
    with override_settings(RATE_LIMITS_ENABLED=False), ThreadPoolExecutor(50) as pool:
        list(pool.map(work, range(50)))
    visible = _newest_first(video.video_id)
    assert len(visible) == 40 - 25 + 25
    assert services.video_comment_count(video_id=video.video_id) == len(visible)
    assert services.user_comment_count(user_id=viewer.user_id) == 15
    assert services.user_comment_count(user_id=creator.user_id) == 25
    lst = CommentList.of_video(video.video_id)
    assert sum(n for _, n in counts_repo.buckets_read(lst.scope, 100)) == len(visible)
    mood = services.video_comment_mood(video_id=video.video_id)
    assert mood.total == len(visible)
    stored = repo.comment_get(doomed[0].comment_id)
    assert stored.deleted
    assert stored.deleted_at is not None
    assert stored.deleted_by in {viewer.user_id, moderator.user_id}
    # restore puts it back in its blocks, once
    services.comment_restore(actor=moderator, comment_id=doomed[0].comment_id)
    services.comment_restore(actor=moderator, comment_id=doomed[0].comment_id)
    assert services.video_comment_count(video_id=video.video_id) == len(visible) + 1
    assert doomed[0].comment_id in _newest_first(video.video_id)
    assert services.user_comment_count(user_id=viewer.user_id) == 16
