"""Bucketed listings: which rows of which buckets make up one page (pure).

A listing too long for one partition is split into buckets (catalog: a month of videos; community: a block
of comments) whose row counts are kept as they change. Knowing the counts, page N reads only the buckets
holding its rows: the partial first one, the whole middle ones (one `$in`), the partial last one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BucketSlice:
    """Rows [start, stop) of one bucket holding `count` rows (clustering order)."""

    bucket: str
    start: int
    stop: int
    count: int

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.stop >= self.count


def bucket_slices(buckets: list[tuple[str, int]], offset: int, size: int) -> list[BucketSlice]:
    """Which rows of which buckets (newest first, with their counts) make up rows [offset, offset + size)."""
    slices: list[BucketSlice] = []
    skip, wanted = offset, size
    for bucket, count in buckets:
        if wanted <= 0:
            break
        if skip >= count:
            skip -= count
            continue
        stop = min(count, skip + wanted)
        slices.append(BucketSlice(bucket, skip, stop, count))
        wanted -= stop - skip
        skip = 0
    return slices
