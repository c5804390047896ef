"""The moderator dashboard: the queue, a flag's detail with its actions, the audit log, users and roles.

Every page is for moderators (`role_required_page`: signed-out visitors go to sign in and come back, others
get the 403 page). Filters and actions answer htmx with the changed fragment and plain forms with a page.
Nothing here is cached (`never_cache`): an unmasked reason must never be kept by a browser or proxy.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import Request, role_required_page, signed_in_user
from accounts.domain import Permission, Role, User
from killrvideo.errors import DomainError, NotFound, ValidationFailed
from killrvideo.htmx import redirect_after_post, template_for, wants_fragment
from killrvideo.pagination import PageRequest
from moderation import services
from moderation.domain import ACTION_STATUSES, ContentType, FlagStatus

moderator_page = role_required_page(Role.MODERATOR)


def _error(request: Request, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        return render(request, "404.html", status=404)
    return render(
        request, "catalog/error.html", {"title": "Not allowed", "message": exc.detail}, status=int(exc.status)
    )


@require_GET
@never_cache
@moderator_page
def moderation_queue(request: Request) -> HttpResponse:
    """The queue of one status (default open), optionally one content type, oldest first, with counts."""
    try:
        status = services.parse_status(request.GET.get("status") or FlagStatus.OPEN.value)
        raw_type = request.GET.get("type") or ""
        content_type = services.parse_content_type(raw_type, "type") if raw_type else None
        page_request = PageRequest.parse(request.GET.get("page"), request.GET.get("pageSize") or 20)
        page = services.flags_page(actor=request.user, request=page_request, status=status, content_type=content_type)
        counts = services.queue_counts(actor=request.user, content_type=content_type)
    except ValidationFailed as exc:
        return render(request, "catalog/error.html", {"title": "Bad filter", "message": exc.detail}, status=422)
    context = {
        "page": page,
        "status": status,
        "content_type": content_type,
        "statuses": [(s, counts[s]) for s in FlagStatus],
        "content_types": list(ContentType),
    }
    return render(request, template_for(request, "moderation/queue.html", "queue"), context)


def _detail_context(request: Request, flag_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    detail = services.flag_detail(actor=request.user, flag_id=flag_id)
    return {
        "detail": detail,
        "view": detail.view,
        "actions": ACTION_STATUSES,
        "can_unmask": request.user.has_perm(Permission.UNMASK),
        **extra,
    }


@require_GET
@never_cache
@moderator_page
def moderation_flag(request: Request, flag_id: uuid.UUID) -> HttpResponse:
    try:
        context = _detail_context(request, flag_id)
    except DomainError as exc:
        return _error(request, exc)
    return render(request, "moderation/flag_detail.html", context)


@require_POST
@never_cache
@moderator_page
def moderation_flag_action(request: Request, flag_id: uuid.UUID) -> HttpResponse:
    status_code, error = 200, None
    try:
        view = services.flag_act(
            actor=request.user, flag_id=flag_id, status=request.POST.get("status"), notes=request.POST.get("notes")
        )
    except NotFound as exc:
        return _error(request, exc)
    except DomainError as exc:
        status_code, error = int(exc.status), exc.detail
    else:
        done = f"Marked {view.case.status.label.lower()}."
        if not wants_fragment(request):
            messages.success(request, done)
            return redirect_after_post(request, reverse("moderation_flag", args=[flag_id]))
    context = _detail_context(request, flag_id, error=error, done=None if error else done)
    return render(request, template_for(request, "moderation/flag_detail.html", "case"), context, status=status_code)


@require_POST
@never_cache
@moderator_page
def moderation_flag_unmask(request: Request, flag_id: uuid.UUID) -> HttpResponse:
    """The reason in clear (audited by the service first), in this response only."""
    try:
        view = services.flag_unmask(actor=request.user, flag_id=flag_id)
    except DomainError as exc:
        return _error(request, exc)
    template = template_for(request, "moderation/flag_detail.html", "reason")
    if wants_fragment(request):
        return render(request, template, {"view": view, "can_unmask": True})
    return render(request, template, {**_detail_context(request, flag_id), "view": view})


@require_POST
@never_cache
@moderator_page
def moderation_content_restore(request: Request, content_type: str, content_id: uuid.UUID) -> HttpResponse:
    back = request.POST.get("flag")
    try:
        kind = services.parse_content_type(content_type)
        restored = services.content_restore(actor=request.user, content_type=kind, content_id=content_id)
    except DomainError as exc:
        return _error(request, exc)
    messages.success(request, "Restored." if restored else "It was not removed.")
    url = reverse("moderation_flag", args=[back]) if _is_uuid(back) else reverse("moderation_queue")
    return redirect_after_post(request, url)


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _maybe_id(raw: str | None) -> uuid.UUID | None:
    """An optional id filter: empty means none; anything else must be a UUID (ValueError)."""
    raw = (raw or "").strip()
    return uuid.UUID(raw) if raw else None


@require_GET
@never_cache
@moderator_page
def moderation_audit(request: Request) -> HttpResponse:
    try:
        content_id, actor_id = _maybe_id(request.GET.get("content")), _maybe_id(request.GET.get("actor"))
    except ValueError:
        return render(request, "catalog/error.html", {"title": "Bad filter", "message": "Not an id."}, status=422)
    try:
        page_request = PageRequest.parse(request.GET.get("page"), request.GET.get("pageSize") or 25)
        page = services.audit_page(actor=request.user, request=page_request, content_id=content_id, actor_id=actor_id)
    except ValidationFailed as exc:
        return render(request, "catalog/error.html", {"title": "Bad filter", "message": exc.detail}, status=422)
    context = {"page": page, "content_id": content_id, "actor_id": actor_id}
    return render(request, template_for(request, "moderation/audit.html", "log"), context)


@require_GET
@never_cache
@moderator_page
def moderation_users(request: Request) -> HttpResponse:
    query = (request.GET.get("q") or "")[:200]
    error, users = None, []
    try:
        users = services.moderation_users_search(actor=request.user, query=query)
    except ValidationFailed as exc:
        error = exc.detail
    context = {"query": query, "users": users, "error": error, "me": signed_in_user(request)}
    return render(request, template_for(request, "moderation/users.html", "results"), context)


@require_POST
@never_cache
@moderator_page
def moderation_user_role(request: Request, user_id: uuid.UUID, verb: str) -> HttpResponse:
    changes: dict[str, Callable[..., User]] = {
        "assign": services.moderator_assign,
        "revoke": services.moderator_revoke,
        "grant-unmask": partial(services.permission_grant, permission=Permission.UNMASK),
        "revoke-unmask": partial(services.permission_revoke, permission=Permission.UNMASK),
    }
    change = changes.get(verb)
    if change is None:
        return render(request, "404.html", status=404)
    try:
        user = change(actor=request.user, user_id=user_id)
    except DomainError as exc:
        return _error(request, exc)
    if wants_fragment(request):
        context = {"user": user, "me": signed_in_user(request), "changed": True}
        return render(request, "moderation/users.html#row", context)
    messages.success(request, f"{user.display_name}: {', '.join(user.role_labels + user.permission_labels)}.")
    return redirect_after_post(request, f"{reverse('moderation_users')}?q={request.POST.get('q', '')}")
