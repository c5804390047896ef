"""The rating widget on the watch page (slot `watch.rating`) and the form it posts."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import Request
from catalog.domain import Video
from community.services import ratings as services
from killrvideo.errors import DomainError, NotFound, RateLimited
from killrvideo.htmx import redirect_after_post, template_for, wants_fragment

TEMPLATE = "community/video_rating.html"
STAR_LABELS = [(n, f"{n} star{'' if n == 1 else 's'}") for n in range(1, 6)]


@require_GET
def video_rating_widget(request: Request, video_id: uuid.UUID) -> HttpResponse:
    try:
        video = services.public_video(video_id)
    except NotFound:
        return render(request, "404.html", status=404)
    return _widget(request, video)


@require_POST
def video_rating_submit(request: Request, video_id: uuid.UUID) -> HttpResponse:
    watch_url = reverse("video_watch", args=[video_id])
    if not request.user.is_authenticated:
        return redirect_after_post(request, f"{reverse('signin')}?{urlencode({'next': watch_url})}")
    try:
        video = services.public_video(video_id)
    except NotFound:
        return render(request, "404.html", status=404)
    try:
        saved = services.rating_set(actor=request.user, video_id=video_id, rating=_stars(request.POST.get("rating")))
    except DomainError as exc:
        response = _widget(request, video, error=exc.detail, status=int(exc.status))
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if wants_fragment(request):
        return _widget(request, video, saved=saved.rating)
    messages.success(request, f"You rated “{video.name}” {STAR_LABELS[saved.rating - 1][1]}.")
    return redirect_after_post(request, watch_url)


def _stars(raw: str | None) -> object:
    """The posted value as a number when it is one; anything else goes to the service as is (and is refused)."""
    if raw and len(raw) <= 2 and raw.isascii() and raw.isdigit():
        return int(raw)
    return raw


def _widget(request: Request, video: Video, *, status: int = 200, **extra: Any) -> HttpResponse:
    own = services.rating_of(actor=request.user, video_id=video.video_id)
    context = {
        "video": video,
        "summary": services.ratings_summary_many(video_ids=[video.video_id])[video.video_id],
        "own": own.rating if own else None,
        "is_owner": request.user.user_id == video.user_id,
        "can_rate": services.may_rate(request.user, video),
        "stars": STAR_LABELS,
        "signin_url": f"{reverse('signin')}?{urlencode({'next': reverse('video_watch', args=[video.video_id])})}",
        **extra,
    }
    return render(request, template_for(request, TEMPLATE, "widget"), context, status=status)
