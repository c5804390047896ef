"""Fixed-window rate limits in Redis."""

from __future__ import annotations

import pytest

from killrvideo import ratelimit
from killrvideo.errors import RateLimited

pytestmark = pytest.mark.usefixtures("store")


def test_rate_limit_blocks_past_the_limit_with_retry_after():
    for _ in range(3):
        ratelimit.hit("unit", "ip-1", limit=3, window_seconds=60)
    with pytest.raises(RateLimited) as blocked:
        ratelimit.hit("unit", "ip-1", limit=3, window_seconds=60)
    assert 1 <= blocked.value.retry_after <= 60
    ratelimit.hit("unit", "ip-2", limit=3, window_seconds=60)  # other keys are unaffected
