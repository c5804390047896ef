"""Many comments at once for tests of deep lists: written by the dataset import's bulk path, numbered into
blocks exactly as `comment_post` numbers them (posting a thousand one by one costs minutes of the run)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from catalog.domain import Video, utcnow
from community.domain import Comment
from community.services import importing


def import_comments(authors: Sequence, video: Video, count: int) -> list[Comment]:
    """`count` comments on `video`, a second apart and oldest first, by `authors` in turn."""
    start = utcnow().replace(microsecond=0) - timedelta(seconds=count)
    made = [
        Comment(
            comment_id=uuid.uuid4(),
            video_id=video.video_id,
            user_id=authors[n % len(authors)].user_id,
            text=f"c{n}",
            created_at=start + timedelta(seconds=n),
        )
        for n in range(count)
    ]
    assert importing.comments_import(made, {video.video_id: video}) == count
    return made
