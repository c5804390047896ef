"""Creator Studio: a creator's own videos, submit, live processing status, edit, delete, restore."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.auth import Request, role_required_page, signed_in_user
from accounts.domain import Role
from catalog import services
from catalog.domain import VideoStatus, VideoSummary
from catalog.forms import VideoEditForm, VideoSubmitForm
from catalog.views._common import error_page, last_page_redirect, page_request
from killrvideo import ratelimit
from killrvideo.errors import DomainError, RateLimited, ValidationFailed
from killrvideo.forms import apply_service_errors
from killrvideo.htmx import redirect_after_post, template_for
from killrvideo.pagination import MAX_PAGE_SIZE, PageRequest

STUDIO_PAGE_SIZE = 20


@require_GET
@role_required_page(Role.CREATOR)
def studio(request: Request) -> HttpResponse:
    deleted = request.GET.get("show") == "deleted"
    user_id = signed_in_user(request).user_id
    page = services.studio_page(user_id=user_id, deleted=deleted, request=page_request(request, STUDIO_PAGE_SIZE))
    if redirect := last_page_redirect(request, page):
        return redirect
    context = {
        "page": page,
        "show_deleted": deleted,
        "stats": _stats(user_id),
        "youtube_ids": _youtube_ids_of_untitled(page.items),
    }
    return render(request, "catalog/studio.html", context)


def _stats(user_id: uuid.UUID) -> dict[str, object]:
    """Videos, views, average rating and published count over the creator's newest 100 active videos
    (one Studio partition read; `partial` says when they have more)."""
    sample = services.studio_page(user_id=user_id, deleted=False, request=PageRequest(1, MAX_PAGE_SIZE))
    rated = [(v.average_rating, v.total_ratings_count) for v in sample.items if v.average_rating]
    weight = sum(count or 1 for _, count in rated)
    return {
        "videos": sample.total,
        "views": sum(v.views for v in sample.items),
        "published": sum(1 for v in sample.items if v.status is VideoStatus.READY),
        "rating": sum(r * (c or 1) for r, c in rated) / weight if rated else None,
        "partial": sample.total > len(sample.items),
    }


def _youtube_ids_of_untitled(items: list[VideoSummary]) -> dict[str, str]:
    """Until processing fetches the title, a Studio row names the video by its YouTube id."""
    untitled = [item.video_id for item in items if not item.name]
    if not untitled:
        return {}
    found = services.videos_get_many(video_ids=untitled, include_deleted=True)
    return {str(vid): video.youtube_id for vid, video in found.items()}


@require_http_methods(["GET", "POST"])
@role_required_page(Role.CREATOR)
def studio_video_new(request: Request) -> HttpResponse:
    form = VideoSubmitForm(request.POST or None)
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.video_submit(
                actor=request.user,
                youtube_url=form.cleaned_data["youtube_url"],
                title=form.cleaned_data["title"] or None,
                description=form.cleaned_data["description"] or None,
                tags=form.tag_list() or None,
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        except RateLimited as exc:  # keep what they typed; say when to try again
            form.add_error(None, f"{exc.detail} You can submit again in {exc.retry_after} seconds.")
            status = 429
        except DomainError as exc:
            return error_page(request, exc)
        else:
            if not submission.created:
                messages.info(request, "You already shared this video; here it is.")
            return redirect_after_post(request, reverse("studio_video_status", args=[submission.video.video_id]))
    return render(request, "catalog/studio_video_new.html", {"form": form}, status=status)


@require_POST
@role_required_page(Role.CREATOR)
def studio_video_preview(request: Request) -> HttpResponse:
    """The submit form's live preview (htmx): title and thumbnail fetched from YouTube, or why not."""
    context: dict[str, object] = {}
    try:
        ratelimit.hit("video_preview", str(request.user.user_id), limit=30, window_seconds=60)
        context["metadata"] = services.video_preview(youtube_url=request.POST.get("youtube_url", ""))
    except DomainError as exc:
        context["error"] = exc.detail
    # 200 either way: the fragment carries the message, and htmx only swaps successful responses.
    return render(request, "catalog/partials/video_preview.html", context)


@require_GET
@role_required_page(Role.CREATOR)
def studio_video_status(request: Request, video_id: uuid.UUID) -> HttpResponse:
    """The processing progress page; htmx polls its `status` partial every 2s until READY or ERROR."""
    try:
        video = services.video_status(actor=request.user, video_id=video_id)
    except DomainError as exc:
        return error_page(request, exc)
    return render(request, template_for(request, "catalog/studio_video_status.html", "status"), {"video": video})


@require_http_methods(["GET", "POST"])
@role_required_page(Role.CREATOR)
def studio_video_edit(request: Request, video_id: uuid.UUID) -> HttpResponse:
    try:
        video = services.video_status(actor=request.user, video_id=video_id)
    except DomainError as exc:
        return error_page(request, exc)
    initial = {"title": video.name, "description": video.description, "tags": ", ".join(video.tags)}
    form = VideoEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.video_edit(
                actor=request.user,
                video_id=video_id,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                tags=form.tag_list(),
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        except DomainError as exc:
            return error_page(request, exc)
        else:
            messages.success(request, "Video updated.")
            return redirect_after_post(request, reverse("studio_video_status", args=[video_id]))
    status = 422 if request.method == "POST" else 200
    return render(request, "catalog/studio_video_edit.html", {"form": form, "video": video}, status=status)


@require_http_methods(["GET", "POST"])
@role_required_page(Role.CREATOR)
def studio_video_delete(request: Request, video_id: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation: a modal dialog for htmx, a page of its own without JavaScript."""
    try:
        if request.method == "GET":
            video = services.video_status(actor=request.user, video_id=video_id)
            template = template_for(request, "catalog/studio_video_delete.html", "dialog")
            return render(request, template, {"video": video})
        services.video_soft_delete(actor=request.user, video_id=video_id)
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, "Video deleted. You can restore it from the Deleted tab.")
    return redirect_after_post(request, reverse("studio"))


@require_POST
@role_required_page(Role.CREATOR)
def studio_video_restore(request: Request, video_id: uuid.UUID) -> HttpResponse:
    try:
        services.video_restore(actor=request.user, video_id=video_id)
    except DomainError as exc:
        if exc.code == "REMOVED_BY_MODERATOR":  # the owner's own Deleted tab says so, not an error page
            messages.error(request, exc.detail)
            return redirect_after_post(request, reverse("studio") + "?show=deleted")
        return error_page(request, exc)
    messages.success(request, "Video restored.")
    return redirect_after_post(request, reverse("studio"))
