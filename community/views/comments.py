"""Comments on the watch page (slot `watch.comments`) and on a member's page (slot `user_profile.main`).

Each widget URL answers htmx with a fragment and a browser without JavaScript with a page of its own, so
reading, posting, "Show more" and deleting all work either way.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts import services as accounts_services
from accounts.auth import Request
from catalog import services as catalog_services
from catalog.domain import Video
from community import services
from community.domain import Comment
from community.forms import CommentForm
from killrvideo.errors import DomainError, NotFound, PermissionDenied, RateLimited, ValidationFailed
from killrvideo.forms import apply_service_errors
from killrvideo.htmx import redirect_after_post, template_for, wants_fragment

TEMPLATE = "community/video_comments.html"
USER_TEMPLATE = "community/user_comments.html"
# Hidden field of the form on the comments page itself: a post from there comes back there, not to the watch page.
FROM_PAGE = "comments"


@require_GET
def video_comments_widget(request: Request, video_id: uuid.UUID) -> HttpResponse:
    cursor = request.GET.get("cursor") or None
    try:
        video = services.comment_video(actor=request.user, video_id=video_id)
        feed = services.video_comments_feed(video=video, cursor=cursor)
    except DomainError as exc:
        return _error(request, exc)
    context = {**_viewer(request), "video": video, "feed": feed}
    if cursor and wants_fragment(request):
        return render(request, f"{TEMPLATE}#more", context)
    return render(request, template_for(request, TEMPLATE, "section"), _section(request, video, context))


@require_POST
def video_comment_post(request: Request, video_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_after_post(request, _signin_url(video_id))
    form = CommentForm(request.POST)
    status, retry_after = 422, 0
    if form.is_valid():
        try:
            comment = services.comment_post(actor=request.user, video_id=video_id, text=form.cleaned_data["text"])
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        except RateLimited as exc:  # keep what they typed; say when to try again
            form.add_error(None, f"{exc.detail} You can comment again in {exc.retry_after} seconds.")
            status, retry_after = 429, exc.retry_after
        except DomainError as exc:
            return _error(request, exc)
        else:
            return _posted(request, comment)
    return _form_invalid(request, video_id, form, status, retry_after)


@require_POST
def video_comment_delete(request: Request, video_id: uuid.UUID, comment_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_after_post(request, _signin_url(video_id))
    try:
        comment = services.comment_soft_delete(actor=request.user, comment_id=comment_id, video_id=video_id)
    except DomainError as exc:
        return _error(request, exc)
    if wants_fragment(request):
        return render(request, f"{TEMPLATE}#deleted", {"comment": comment, **_counts(video_id)})
    messages.success(request, "The comment was deleted.")
    return redirect_after_post(request, _back_url(request, video_id))


@require_GET
def user_comments_widget(request: Request, user_id: uuid.UUID) -> HttpResponse:
    """A member's comments, newest first, each with the video it is on: the profile's section, or a page."""
    cursor = request.GET.get("cursor") or None
    try:
        author = accounts_services.user_get(user_id=user_id)
        feed = services.user_comments_feed(user_id=user_id, cursor=cursor)
    except DomainError as exc:
        return _error(request, exc)
    found = catalog_services.videos_get_many(video_ids=list({c.video_id for c in feed.items}))
    videos = {str(vid): video for vid, video in found.items() if video.is_public}
    context = {**_viewer(request), "author": author, "feed": feed, "videos": videos, "more": bool(cursor)}
    if cursor and wants_fragment(request):
        return render(request, f"{USER_TEMPLATE}#more", context)
    context["count"] = services.user_comment_count(user_id=user_id)
    return render(request, template_for(request, USER_TEMPLATE, "section"), context)


# ---- helpers --------------------------------------------------------------------------------------------


def _viewer(request: Request) -> dict[str, Any]:
    """What each comment's Delete button depends on: its author, or any moderator."""
    user = request.user
    return {
        "viewer_id": user.user_id if permissions.is_signed_in(user) else None,
        "can_moderate": permissions.is_moderator(user),
    }


def _counts(video_id: uuid.UUID) -> dict[str, Any]:
    return {
        "video_id": video_id,
        "count": services.video_comment_count(video_id=video_id),
        "mood": services.video_comment_mood(video_id=video_id),
    }


def _section(
    request: Request, video: Video, context: dict[str, Any], form: CommentForm | None = None
) -> dict[str, Any]:
    return {
        **context,
        **_counts(video.video_id),
        "form": form or CommentForm(),
        "can_comment": request.user.is_authenticated and video.is_public,
        "signin_url": _signin_url(video.video_id),
        "standalone": not wants_fragment(request),
        "more": bool(request.GET.get("cursor")),
        "from_page": FROM_PAGE,
    }


def _posted(request: Request, comment: Comment) -> HttpResponse:
    if wants_fragment(request):
        context = {**_viewer(request), **_counts(comment.video_id), "comment": comment, "form": CommentForm()}
        return render(request, f"{TEMPLATE}#posted", context, status=201)
    messages.success(request, "Your comment is posted.")
    return redirect_after_post(request, _back_url(request, comment.video_id))


def _form_invalid(
    request: Request, video_id: uuid.UUID, form: CommentForm, status: int, retry_after: int
) -> HttpResponse:
    """htmx: the form again, in place, with the message (see data-swap-errors); otherwise the comments page."""
    try:
        video = services.comment_video(actor=request.user, video_id=video_id)
    except DomainError as exc:
        return _error(request, exc)
    if wants_fragment(request):
        context = {"video": video, "video_id": video.video_id, "form": form, "can_comment": True}
        response = render(request, f"{TEMPLATE}#form", context, status=status)
        response["HX-Retarget"] = "#comment-form"
        response["HX-Reswap"] = "outerHTML"
    else:
        feed = services.video_comments_feed(video=video)
        context = _section(request, video, {**_viewer(request), "video": video, "feed": feed}, form)
        response = render(request, TEMPLATE, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _signin_url(video_id: uuid.UUID) -> str:
    watch_url = reverse("video_watch", args=[video_id]) + "#comments"
    return f"{reverse('signin')}?{urlencode({'next': watch_url})}"


def _back_url(request: Request, video_id: uuid.UUID) -> str:
    if request.POST.get("from") == FROM_PAGE:
        return reverse("video_comments_widget", args=[video_id]) + "#comments"
    return reverse("video_watch", args=[video_id]) + "#comments"


def _error(request: Request, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        return render(request, "404.html", status=404)
    title = "Not allowed" if isinstance(exc, PermissionDenied) else "Something is wrong"
    context = {"title": title, "message": exc.detail}
    return render(request, "catalog/error.html", context, status=int(exc.status))
