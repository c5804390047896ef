"""Reporting a video or a comment: a dialog for htmx, a page of its own without JavaScript; the watch page's
"Report" widget (slot `watch.rating`). Signed-out visitors are sent to sign in and brought back here."""

from __future__ import annotations

import uuid

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.auth import Request, login_required_page
from killrvideo.errors import Conflict, DomainError, NotFound, RateLimited, ValidationFailed
from killrvideo.forms import Form, apply_service_errors
from killrvideo.htmx import template_for, wants_fragment
from killrvideo.pagination import PageRequest
from moderation import services
from moderation.domain import MAX_REASON_TEXT_LENGTH, ContentType, ReasonCode

TEMPLATE = "moderation/report.html"


class ReportForm(Form):
    reason_code = forms.ChoiceField(
        label="Reason", choices=[(r.value, r.label) for r in ReasonCode], widget=forms.RadioSelect
    )
    reason_text = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=MAX_REASON_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Up to {MAX_REASON_TEXT_LENGTH} characters. Only moderators allowed to unmask reports can read it.",
    )


def _back(request: Request, content_type: str, content_id: str) -> str:
    candidate = request.GET.get("next") or request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse("home")


@require_http_methods(["GET", "POST"])
@never_cache
@login_required_page
def flag_new(request: Request) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    content_type, content_id = source.get("contentType", ""), source.get("contentId", "")
    try:
        given = services.report_input(content_type=content_type, content_id=content_id, reason_code="other")
    except ValidationFailed:
        return render(request, "404.html", status=404)
    form = ReportForm(request.POST if request.method == "POST" else None)
    context = {
        "content_type": given.content_type.value,
        "content_id": given.content_id,
        "what": "video" if given.content_type is ContentType.VIDEO else "comment",
        "next": _back(request, content_type, content_id),
        "in_dialog": wants_fragment(request),
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _submit(request, form, given.content_type, given.content_id)
        if status == 201:
            return render(
                request, f"{TEMPLATE}#done" if wants_fragment(request) else TEMPLATE, {**context, "done": True}
            )
    elif request.method == "POST":
        status = 422
    if wants_fragment(request) and status not in (200, 429):
        status = 422  # htmx swaps error answers only for 422/429 (data-swap-errors): show the message in place
    partial = "#dialog" if wants_fragment(request) and request.method == "GET" else "#form"
    template = f"{TEMPLATE}{partial}" if wants_fragment(request) else TEMPLATE
    return render(request, template, {**context, "form": form}, status=status)


def _submit(request: Request, form: ReportForm, content_type: ContentType, content_id: uuid.UUID) -> int:
    try:
        services.flag_report(
            actor=request.user,
            content_type=content_type,
            content_id=content_id,
            reason_code=form.cleaned_data["reason_code"],
            reason_text=form.cleaned_data["reason_text"] or None,
        )
    except ValidationFailed as exc:
        apply_service_errors(form, exc)
    except (Conflict, RateLimited, NotFound) as exc:
        form.add_error(None, exc.detail)
        return int(exc.status)
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return int(exc.status)
    else:
        return 201
    return 422


@require_GET
def video_report_widget(request: Request, video_id: uuid.UUID) -> HttpResponse:
    """The watch page's Report button: opens the report dialog (htmx) or goes to the report page."""
    context = {"video_id": video_id, "next": reverse("video_watch", args=[video_id])}
    return render(request, "moderation/partials/report_button.html", context)


@require_GET
@never_cache
@login_required_page
def my_reports(request: Request) -> HttpResponse:
    """The signed-in user's own reports, newest first, with what became of each."""
    try:
        page_request = PageRequest.parse(request.GET.get("page"), request.GET.get("pageSize") or 20)
    except ValidationFailed as exc:
        return render(request, "catalog/error.html", {"title": "Bad page", "message": exc.detail}, status=422)
    page = services.flags_of_reporter(actor=request.user, request=page_request)
    return render(request, template_for(request, "moderation/my_reports.html", "list"), {"page": page})
