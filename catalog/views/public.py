"""Public pages: home, explore, trending, tag, watch, a user's videos (search is discovery's)."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Iterable

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts import services as accounts_services
from accounts.auth import Request
from catalog import services, viewer_cookie
from catalog.domain import VideoSummary, normalise_tag
from catalog.services import videos as video_services
from catalog.services.viewcounts import TRENDING_INTERVALS
from catalog.views._common import error_page, last_page_redirect, page_request
from killrvideo.errors import DomainError, NotFound
from killrvideo.htmx import template_for, wants_fragment
from killrvideo.pagination import PageRequest
from killrvideo.ratelimit import client_ip

logger = logging.getLogger(__name__)

HOME_SIZE = 12
HOME_TRENDING = 4
HOME_TAGS = 12
GRID_SIZE = 24
MAX_START_SECONDS = 24 * 3600
ALL_TIME = "all"
TRENDING_PERIODS = {
    **{str(days): label for days, label in zip(TRENDING_INTERVALS, ("Today", "This week", "This month"), strict=True)},
    ALL_TIME: "All time",
}
WINDOW_LABELS = {"1": "today", "7": "this week", "30": "this month", ALL_TIME: "all time"}


@require_GET
def home(request: Request) -> HttpResponse:
    page = services.latest_page(request=PageRequest(1, HOME_SIZE))
    trending = services.trending(interval_days=7, limit=HOME_TRENDING)
    title = "Trending this week" if trending else "Most viewed"
    trending = trending or services.trending_alltime(limit=HOME_TRENDING)
    context = {
        "page": page,
        "trending": trending,
        "trending_title": title,
        "tags": popular_tags(page.items, limit=HOME_TAGS),
    }
    return render(request, "catalog/home.html", context)


def popular_tags(videos: Iterable[VideoSummary], *, limit: int) -> list[tuple[str, int]]:
    """The tags most used by the videos on the page, most used first (ties alphabetically)."""
    counts = Counter(tag for video in videos for tag in video.tags)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


@require_GET
def explore(request: Request) -> HttpResponse:
    page = services.latest_page(request=page_request(request, GRID_SIZE))
    if redirect := last_page_redirect(request, page):
        return redirect
    context = {"page": page, "heading": "Explore", "intro": "Every video, newest first."}
    return render(request, template_for(request, "catalog/video_list.html", "results"), context)


@require_GET
def trending(request: Request) -> HttpResponse:
    """1/7/30-day windows, or all time; an empty window falls back to all time and says so."""
    period = request.GET.get("days", "7")
    if period not in TRENDING_PERIODS:
        period = "7"
    ranked = [] if period == ALL_TIME else services.trending(interval_days=int(period), limit=10)
    fallback = ""
    if not ranked:
        ranked = services.trending_alltime(limit=10)
        fallback = WINDOW_LABELS[period] if ranked and period != ALL_TIME else ""
    context = {
        "ranked": ranked,
        "period": period,
        "periods": TRENDING_PERIODS.items(),
        "fallback": fallback,
        "window_label": WINDOW_LABELS[ALL_TIME if fallback else period],
    }
    return render(request, "catalog/trending.html", context)


@require_GET
def tag_detail(request: Request, tag: str) -> HttpResponse:
    clean = normalise_tag(tag)
    page = services.tag_page(tag=clean, request=page_request(request, GRID_SIZE))
    if redirect := last_page_redirect(request, page):
        return redirect
    count = f"{page.total} video{'' if page.total == 1 else 's'}"
    context = {"page": page, "heading": f"#{clean}", "intro": f"{count} with this tag, newest first.", "tag": clean}
    return render(request, template_for(request, "catalog/video_list.html", "results"), context)


@require_GET
def video_watch(request: Request, video_id: uuid.UUID) -> HttpResponse:
    try:
        video = video_services.video_get(video_id=video_id)
    except NotFound:
        return render(request, "404.html", status=404)
    manager = permissions.is_owner_or_moderator(request.user, video.user_id)
    if not video.is_public and not manager:
        return render(request, "404.html", status=404)
    viewer = viewer_cookie.viewer_of(request)
    if video.is_public:
        services.video_view_record(
            video_id=video_id,
            actor=request.user,
            viewer_id=viewer.viewer_id,
            ip=client_ip(request),
            issued_now=viewer.issued_now,
        )
    context = {
        "video": video,
        "uploader": _uploader(video.user_id),
        "can_manage": manager,
        "start": _start_second(request.GET.get("t")),
    }
    return viewer_cookie.remember(render(request, "catalog/watch.html", context), viewer)


def _start_second(raw: str | None) -> int:
    """?t=754 (a search hit's transcript moment): where the player starts; anything else starts at 0."""
    if raw and raw.isdigit() and len(raw) <= 6:
        return min(int(raw), MAX_START_SECONDS)
    return 0


def _uploader(user_id: uuid.UUID) -> object | None:
    try:
        return accounts_services.user_get(user_id=user_id)
    except DomainError:
        return None


@require_GET
def user_videos(request: Request, user_id: uuid.UUID) -> HttpResponse:
    """A user's public videos: the fragment the profile page lazy-loads, or a page of its own."""
    try:
        owner = accounts_services.user_get(user_id=user_id)
    except DomainError as exc:
        return error_page(request, exc)
    page = services.uploader_page(user_id=user_id, request=page_request(request, GRID_SIZE))
    if redirect := last_page_redirect(request, page):
        return redirect
    template = "catalog/partials/user_videos.html" if wants_fragment(request) else "catalog/user_videos.html"
    return render(request, template, {"page": page, "owner": owner})
