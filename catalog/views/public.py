"""Public pages: home, explore, trending, tag, search (tag lookup), watch, a user's videos."""

from __future__ import annotations

import logging
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import services as accounts_services
from catalog import services
from catalog.domain import normalise_tag
from catalog.services import videos as video_services
from catalog.services.viewcounts import TRENDING_INTERVALS
from catalog.views._common import anonymous_id, error_page, page_request
from killrvideo.errors import DomainError, NotFound
from killrvideo.htmx import template_for, wants_fragment
from killrvideo.pagination import PageRequest

logger = logging.getLogger(__name__)

HOME_SIZE = 12
GRID_SIZE = 24


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    page = services.latest_page(request=PageRequest(1, HOME_SIZE))
    return render(request, "catalog/home.html", {"page": page})


@require_GET
def explore(request: HttpRequest) -> HttpResponse:
    page = services.latest_page(request=page_request(request, GRID_SIZE))
    context = {"page": page, "heading": "Explore", "intro": "Every video, newest first."}
    return render(request, template_for(request, "catalog/video_list.html", "results"), context)


@require_GET
def trending(request: HttpRequest) -> HttpResponse:
    days = request.GET.get("days", "7")
    interval = int(days) if days in {str(d) for d in TRENDING_INTERVALS} else 7
    ranked = services.trending(interval_days=interval, limit=10)
    context = {"ranked": ranked, "interval": interval, "intervals": TRENDING_INTERVALS}
    return render(request, "catalog/trending.html", context)


@require_GET
def tag_detail(request: HttpRequest, tag: str) -> HttpResponse:
    clean = normalise_tag(tag)
    page = services.tag_page(tag=clean, request=page_request(request, GRID_SIZE))
    context = {"page": page, "heading": f"#{clean}", "intro": "Videos with this tag, newest first.", "tag": clean}
    return render(request, template_for(request, "catalog/video_list.html", "results"), context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Until full-text/semantic search lands, a query is looked up as a tag."""
    query = (request.GET.get("q") or "").strip()[:200]
    tag = normalise_tag(query)
    page = services.tag_page(tag=tag, request=page_request(request, GRID_SIZE)) if tag else None
    return render(request, "catalog/search.html", {"query": query, "tag": tag, "page": page})


@require_GET
def video_watch(request: HttpRequest, video_id: uuid.UUID) -> HttpResponse:
    try:
        video = video_services.video_get(video_id=video_id)
    except NotFound:
        return render(request, "404.html", status=404)
    manager = video_services.can_manage(request.user, video)
    if not video.is_public and not manager:
        return render(request, "404.html", status=404)
    if video.is_public:
        services.video_view_record(video_id=video_id, actor=request.user, anonymous_id=anonymous_id(request))
    context = {"video": video, "uploader": _uploader(video.user_id), "can_manage": manager}
    return render(request, "catalog/watch.html", context)


def _uploader(user_id: uuid.UUID) -> object | None:
    try:
        return accounts_services.user_get(user_id=user_id)
    except DomainError:
        return None


@require_GET
def user_videos(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    """A user's public videos: the fragment the profile page lazy-loads, or a page of its own."""
    try:
        owner = accounts_services.user_get(user_id=user_id)
    except DomainError as exc:
        return error_page(request, exc)
    page = services.uploader_page(user_id=user_id, request=page_request(request, GRID_SIZE))
    template = "catalog/partials/user_videos.html" if wants_fragment(request) else "catalog/user_videos.html"
    return render(request, template, {"page": page, "owner": owner})
