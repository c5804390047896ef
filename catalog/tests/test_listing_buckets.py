"""Public listings by month bucket: deep pages are exact, and their cost does not grow with the page number.

Videos come from a slice of the real dataset (published over many months), all owned by one creator, so the
latest, tag and uploader listings each span many month buckets.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

import pytest

from catalog import services
from catalog.domain import month_bucket
from catalog.services import importer
from killrvideo.pagination import PageRequest
from killrvideo.tests.support import DATASET_DIR, DataApiReads, counting_reads

DATA = DATASET_DIR
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="the public dataset is not checked out next to the project")

VIDEOS = 30  # the first 30 dataset videos: 19 month buckets, every one tagged "cassandra"
TAG = "cassandra"
BUCKET_COUNTS = "listing_buckets"
ROW_TABLES = ("latest_videos", "videos_by_tag_month", "videos_by_user_month")


@pytest.fixture
def listing_reads() -> Iterator[DataApiReads]:
    """Finds on the listing tables and rows read from the listing row tables, for this test only."""
    with counting_reads(ROW_TABLES, find_tables=(BUCKET_COUNTS, *ROW_TABLES)) as observer:
        yield observer


@pytest.fixture
def imported(creator):
    """The imported videos' ids, newest first (ties by id, as the clustering order has them)."""
    importer.import_videos(DATA, [creator.user_id], limit=VIDEOS, copies=1, progress=lambda _n: None)
    everything = services.studio_page(user_id=creator.user_id, deleted=False, request=PageRequest(1, 100)).items
    newest_first = sorted(everything, key=lambda v: (-v.added_date.timestamp(), str(v.video_id)))
    assert len(newest_first) == VIDEOS
    assert len({month_bucket(v.added_date) for v in newest_first}) > 12  # deeper than the recent-bucket read
    return newest_first


def _listings(creator):
    return {
        "latest": lambda request: services.latest_page(request=request),
        "tag": lambda request: services.tag_page(tag=TAG, request=request),
        "uploader": lambda request: services.uploader_page(user_id=creator.user_id, request=request),
    }


def test_deep_pages_across_month_buckets_are_exact(creator, imported):
    ids = [v.video_id for v in imported]
    for name, read in _listings(creator).items():
        for size in (4, 7):
            for number in range(1, math.ceil(VIDEOS / size) + 1):
                page = read(PageRequest(number, size))
                offset = (number - 1) * size
                assert [v.video_id for v in page.items] == ids[offset : offset + size], (name, size, number)
                assert page.total == VIDEOS
        assert read(PageRequest(6, 10)).items == []


def test_reads_per_page_do_not_grow_with_the_page_number(creator, imported, listing_reads):
    size = 4
    largest_bucket = max(Counter(month_bucket(v.added_date) for v in imported).values())
    for name, read in _listings(creator).items():
        finds, rows = [], []
        for number in range(1, math.ceil(VIDEOS / size) + 1):
            before = listing_reads.snapshot()
            read(PageRequest(number, size))
            after = listing_reads.snapshot()
            finds.append(after[0] - before[0])
            rows.append(after[1] - before[1])
        # bucket counts (1 read, 2 past the recent buckets) + partial first, whole middles ($in), partial last
        assert min(finds) >= 2, (name, finds)  # the observer saw the bucket counts and the rows being read
        assert max(finds) <= 5, (name, finds)
        # never the rows before the page, only those of the (partial) first bucket
        assert max(rows) <= size + largest_bucket, (name, rows)
