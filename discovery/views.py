"""Discovery pages: the related-videos widget (slot `watch.sidebar`) and the tag-suggestion listbox."""

from __future__ import annotations

import re
import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.auth import Request
from discovery import services
from discovery.domain import MAX_SUGGEST_QUERY
from killrvideo.errors import NotFound
from killrvideo.htmx import template_for

RELATED_IN_SIDEBAR = 5
SUGGESTIONS_SHOWN = 8
_ID = re.compile(r"[a-z][a-z0-9-]{0,59}")


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
