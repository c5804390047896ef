"""Discovery pages: search, the related-videos widget (slot `watch.sidebar`) and the tag-suggestion listbox."""

from __future__ import annotations

import re
import uuid

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts.auth import Request
from discovery import services
from discovery.domain import MAX_SUGGEST_QUERY
from discovery.services import foryou, popular
from discovery.services import search as search_service
from killrvideo.errors import NotFound, ValidationFailed
from killrvideo.htmx import template_for
from killrvideo.pagination import PageRequest

RELATED_IN_SIDEBAR = 5
SEARCH_PAGE_SIZE = 20
SEARCH_MODES = {"hybrid": "Best match", "keyword": "Exact words", "semantic": "Similar meaning"}
SEARCH_PERIODS = {"any": "Any time", "week": "This week", "month": "This month", "year": "This year"}
SEARCH_SORTS = {"relevance": "Relevance", "newest": "Newest", "views": "Most viewed", "rating": "Top rated"}
SUGGESTIONS_SHOWN = 8
_ID = re.compile(r"[a-z][a-z0-9-]{0,59}")


def _choice(request: Request, name: str, choices: dict[str, str]) -> str:
    value = request.GET.get(name, "")
    return value if value in choices else next(iter(choices))


@require_GET
def search(request: Request) -> HttpResponse:
    """/search?q=...: results with why each matched; filters and sorts as GET parameters (shareable links)."""
    raw = request.GET.get("q", "")
    context: dict[str, object] = {
        "query": " ".join(raw.split())[: search_service.MAX_QUERY],
        "mode": _choice(request, "mode", SEARCH_MODES),
        "uploaded": _choice(request, "uploaded", SEARCH_PERIODS),
        "sort": _choice(request, "sort", SEARCH_SORTS),
        "tag": " ".join(request.GET.get("tag", "").split())[:50],
        "modes": SEARCH_MODES,
        "periods": SEARCH_PERIODS,
        "sorts": SEARCH_SORTS,
    }
    if raw.strip():
        try:
            query = search_service.search_query(
                query=raw,
                mode=context["mode"],
                tag=context["tag"],
                period=context["uploaded"],
                sort=context["sort"],
            )
            number = request.GET.get("page")
            page = search_service.videos_search(query=query, request=_page_request(number))
        except ValidationFailed as exc:
            context["error"] = exc.detail
        else:
            if page.out_of_range:
                params = request.GET.copy()
                params["page"] = str(page.total_pages)
                return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")
            context["page"] = page
            if not page.total:
                # Nearby tags: those sharing the first letters of a query word (typos usually come later).
                words = [w.lower()[:4] for w in query.text.split() if len(w) > 2][:3]
                tags = {s.tag for w in words for s in services.tag_suggestions(query=w, limit=4)}
                context["suggested_tags"] = sorted(tags)[:8]
    return render(request, "discovery/search.html", context)


def _page_request(number: object) -> PageRequest:
    try:
        return PageRequest.parse(number, SEARCH_PAGE_SIZE)
    except ValidationFailed:
        return PageRequest(1, SEARCH_PAGE_SIZE)


@require_GET
def video_related_widget(request: Request, video_id: uuid.UUID) -> HttpResponse:
    try:
        related = services.related_videos(video_id=video_id, limit=RELATED_IN_SIDEBAR)
    except NotFound:
        return render(request, "404.html", status=404)
    context = {"related": related, "video_id": video_id}
    return render(request, template_for(request, "discovery/video_related.html", "widget"), context)


@require_GET
def tag_suggestions(request: Request) -> HttpResponse:
    """Options for a combobox: `q` is the whole input; for a comma-separated tag field, its last tag."""
    text = request.GET.get("q", "")[:MAX_SUGGEST_QUERY]
    term = text.rsplit(",", 1)[-1] if request.GET.get("list") else text
    found = services.tag_suggestions(query=term, limit=SUGGESTIONS_SHOWN)
    listbox = request.GET.get("listbox", "")
    listbox = listbox if _ID.fullmatch(listbox) else "tag-suggestions"
    return render(request, "discovery/partials/tag_suggestions.html", {"suggestions": found, "listbox": listbox})


# ---- For You and popular tags -----------------------------------------------------------------------------

FOR_YOU_PAGE_SIZE = 24
POPULAR_TAGS_SHOWN = 20


@require_GET
def for_you(request: Request) -> HttpResponse:
    """Signed in: the personal feed; signed out: the cold-start list and a prompt to sign in."""
    try:
        wanted = PageRequest.parse(request.GET.get("page"), FOR_YOU_PAGE_SIZE)
    except ValidationFailed:
        wanted = PageRequest(1, FOR_YOU_PAGE_SIZE)
    signed_in = permissions.is_signed_in(request.user)
    page = foryou.for_you_page(actor=request.user, request=wanted) if signed_in else foryou.popular_page(request=wanted)
    if page.out_of_range:
        return HttpResponseRedirect(f"{request.path}?page={page.total_pages}")
    context = {"page": page, "signed_in": signed_in}
    return render(request, template_for(request, "discovery/for_you.html", "results"), context)


@require_GET
def popular_tags_widget(request: Request) -> HttpResponse:
    """Slot `explore.main`: the tags with the most public videos, with their counts."""
    context = {"tags": popular.popular_tags(limit=POPULAR_TAGS_SHOWN)}
    return render(request, template_for(request, "discovery/popular_tags.html", "widget"), context)
