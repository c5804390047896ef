"""Helpers shared by the catalog's page views."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accounts.auth import Request
from killrvideo.errors import DomainError, NotFound, PermissionDenied, RateLimited, ValidationFailed
from killrvideo.pagination import Page, PageRequest


def page_request(request: Request, page_size: int) -> PageRequest:
    """Bad or out-of-range ?page= values fall back to the first page rather than an error page."""
    try:
        return PageRequest.parse(request.GET.get("page"), page_size)
    except ValidationFailed:
        return PageRequest(1, page_size)


def last_page_redirect(request: Request, page: Page[Any]) -> HttpResponse | None:
    """A page number past the end (an old link, ?page=999) answers with the last page, not an empty one."""
    if not page.out_of_range:
        return None
    query = request.GET.copy()
    query["page"] = str(page.total_pages)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


def error_page(request: Request, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        return render(request, "404.html", status=404)
    if isinstance(exc, PermissionDenied):
        return render(request, "catalog/error.html", {"title": "Not allowed", "message": exc.detail}, status=403)
    if isinstance(exc, RateLimited):
        response = render(request, "catalog/error.html", {"title": "Slow down", "message": exc.detail}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(
        request, "catalog/error.html", {"title": "Something is wrong", "message": exc.detail}, status=int(exc.status)
    )
