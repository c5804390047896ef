"""The reported content, through the lower apps' services: is it public (may it be reported), a preview
for the moderator, and its removal (soft delete) and restore. Never their repositories."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from accounts.domain import AnonymousUser, User
from catalog import services as catalog_services
from catalog.domain import Video
from community import services as community_services
from community.domain import Comment
from killrvideo.errors import NotFound
from moderation.domain import ContentType


@dataclass(frozen=True)
class ContentPreview:
    """What a moderator sees of a reported item: the video, or the comment with its video; `removed` when it
    is soft-deleted now (`missing` when it no longer exists at all)."""

    content_type: ContentType
    content_id: uuid.UUID
    video: Video | None = None
    comment: Comment | None = None
    removed: bool = False
    missing: bool = False


def require_public(content_type: ContentType, content_id: uuid.UUID) -> None:
    """Only what everyone can see may be reported: 404 for missing, removed or unpublished content."""
    if content_type is ContentType.VIDEO:
        video = catalog_services.video_get(video_id=content_id)
        if not video.is_public:
            raise NotFound("Video not found.", code="VIDEO_NOT_FOUND")
        return
    comment = community_services.comment_get(actor=AnonymousUser(), comment_id=content_id)
    community_services.comment_video(actor=AnonymousUser(), video_id=comment.video_id)


def remove(*, moderator: User, content_type: ContentType, content_id: uuid.UUID) -> None:
    """Soft delete by a moderator (idempotent in both apps: removing removed content changes nothing)."""
    if content_type is ContentType.VIDEO:
        catalog_services.video_soft_delete(actor=moderator, video_id=content_id)
    else:
        community_services.comment_soft_delete(actor=moderator, comment_id=content_id)


def restore(*, moderator: User, content_type: ContentType, content_id: uuid.UUID) -> None:
    if content_type is ContentType.VIDEO:
        catalog_services.video_restore(actor=moderator, video_id=content_id)
    else:
        community_services.comment_restore(actor=moderator, comment_id=content_id)


def preview(*, moderator: User, content_type: ContentType, content_id: uuid.UUID) -> ContentPreview:
    try:
        if content_type is ContentType.VIDEO:
            video = catalog_services.video_get(video_id=content_id, include_deleted=True)
            return ContentPreview(content_type, content_id, video=video, removed=video.deleted)
        comment = community_services.comment_get(actor=moderator, comment_id=content_id)
    except NotFound:
        return ContentPreview(content_type, content_id, missing=True)
    on_video: Video | None
    try:
        on_video = catalog_services.video_get(video_id=comment.video_id, include_deleted=True)
    except NotFound:
        on_video = None
    return ContentPreview(content_type, content_id, video=on_video, comment=comment, removed=comment.deleted)
