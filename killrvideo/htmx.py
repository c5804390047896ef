"""Full page or fragment, and redirects that work for htmx and plain forms alike."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_htmx.http import HttpResponseClientRedirect


def wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """`template#partial` for htmx requests, the whole page otherwise."""
    return f"{template}#{partial}" if wants_fragment(request) else template


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", None):
        return HttpResponseClientRedirect(url)
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
