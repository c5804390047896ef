"""What a moderator removed only a moderator restores; an owner's own delete the owner undoes."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from accounts.tests.factories import signed_in_client
from catalog import services
from killrvideo.errors import PermissionDenied


def test_an_owner_restores_their_own_delete(creator, publish_video):
    video = publish_video(creator)
    deleted = services.video_soft_delete(actor=creator, video_id=video.video_id)
    assert deleted.deleted
    assert not deleted.removed_by_moderator
    assert services.video_restore(actor=creator, video_id=video.video_id).is_public


def test_an_owner_cannot_restore_what_a_moderator_removed(client, creator, moderator, publish_video):
    video = publish_video(creator)
    assert services.video_soft_delete(actor=moderator, video_id=video.video_id).removed_by_moderator
    with pytest.raises(PermissionDenied) as refused:
        services.video_restore(actor=creator, video_id=video.video_id)
    assert refused.value.code == "REMOVED_BY_MODERATOR"
    studio = signed_in_client(client, creator)
    deleted_tab = studio.get("/studio", {"show": "deleted"}).content.decode()
    assert "Removed by a moderator" in deleted_tab
    assert f"/studio/videos/{video.video_id}/restore" not in deleted_tab  # no Restore button to fail on
    page = studio.post(f"/studio/videos/{video.video_id}/restore", follow=True)
    assert page.status_code == HTTPStatus.OK
    assert "only a moderator can restore it" in page.content.decode()
    assert services.video_get(video_id=video.video_id, include_deleted=True).deleted
    restored = services.video_restore(actor=moderator, video_id=video.video_id)
    assert restored.is_public
    assert not restored.removed_by_moderator
    assert "Removed by a moderator" not in studio.get("/studio", {"show": "deleted"}).content.decode()
    # the flag is cleared: the owner's next delete is theirs to undo
    services.video_soft_delete(actor=creator, video_id=video.video_id)
    assert services.video_restore(actor=creator, video_id=video.video_id).is_public
