"""A user's private Activity: the profile widget (only for that user or a moderator) and the full page."""

from __future__ import annotations

import uuid

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts import services as accounts_services
from accounts.auth import Request, login_required_page
from community.domain import ActivityType
from community.services import activity as services
from killrvideo.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from killrvideo.htmx import wants_fragment
from killrvideo.pagination import PageRequest

WIDGET_SIZE = 5
PAGE_SIZE = 20
FILTERS = (("", "All"), ("view", "Views"), ("comment", "Comments"), ("rate", "Ratings"))


@require_GET
def user_activity_widget(request: Request, user_id: uuid.UUID) -> HttpResponse:
    """The profile's "Your activity" section; empty (htmx removes the container) for anyone else."""
    if not permissions.is_owner_or_moderator(request.user, user_id):
        return HttpResponse(b"")
    if not wants_fragment(request):
        return HttpResponseRedirect(reverse("user_activity", args=[user_id]))
    page = services.activity_page(actor=request.user, user_id=user_id, request=PageRequest(1, WIDGET_SIZE))
    is_self = request.user.user_id == user_id
    return render(
        request, "community/partials/activity_widget.html", {"page": page, "user_id": user_id, "is_self": is_self}
    )


@require_GET
@login_required_page
def user_activity(request: Request, user_id: uuid.UUID) -> HttpResponse:
    kind = request.GET.get("type") or ""
    activity_type = ActivityType(kind) if kind in ActivityType._value2member_map_ else None
    try:
        number = PageRequest.parse(request.GET.get("page"), PAGE_SIZE)
    except ValidationFailed:
        number = PageRequest(1, PAGE_SIZE)
    try:
        member = accounts_services.user_get(user_id=user_id)
        page = services.activity_page(actor=request.user, user_id=user_id, activity_type=activity_type, request=number)
    except (NotFound, PermissionDenied) as exc:
        return _refused(request, exc)
    if page.out_of_range:
        query = request.GET.copy()
        query["page"] = str(page.total_pages)
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
    current = activity_type.value if activity_type else ""
    context = {
        "page": page,
        "member": member,
        "filters": FILTERS,
        "current": current,
        "is_self": request.user.user_id == user_id,
    }
    return render(request, "community/user_activity.html", context)


def _refused(request: Request, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        return render(request, "404.html", status=404)
    context = {"title": "Not allowed", "message": exc.detail}
    return render(request, "catalog/error.html", context, status=403)
