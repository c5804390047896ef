"""Account pages: register, sign in/out, profile, password, public user page. POST-redirect-GET throughout."""

from __future__ import annotations

import uuid
from http import HTTPStatus

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.auth import Request, login_required_page, sign_in, sign_out, signed_in_user
from accounts.domain import Role
from accounts.forms import PasswordChangeForm, ProfileForm, RegisterForm, SignInForm
from killrvideo.errors import AuthenticationRequired, Conflict, NotFound, RateLimited, ValidationFailed
from killrvideo.forms import apply_service_errors
from killrvideo.htmx import redirect_after_post
from killrvideo.ratelimit import client_ip

# What each role adds, in plain words for the profile page (roles include the ones below them).
ROLE_ABILITIES = {
    Role.VIEWER: "watch, rate and comment",
    Role.CREATOR: "share videos in Creator Studio",
    Role.MODERATOR: "review flagged videos and comments",
    Role.ADMIN: "manage members' roles",
}


def role_abilities(top_role: Role) -> str:
    """ "watch, rate and comment, and share videos in Creator Studio" for a creator."""
    parts = [text for role, text in ROLE_ABILITIES.items() if role <= top_role]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]


def _next_url(request: Request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _form_page(request: Request, template: str, form: object, status: int, **context: object) -> HttpResponse:
    next_url = _next_url(request)
    # Sent here from another page (a protected one, or the header's "Sign in" link): say they will go back.
    context.setdefault("continuing", next_url != reverse("home"))
    return render(request, template, {"form": form, "next": next_url, **context}, status=status)


def _rate_limited(request: Request, template: str, form: SignInForm | RegisterForm, exc: RateLimited) -> HttpResponse:
    form.add_error(None, exc.detail)
    response = _form_page(request, template, form, HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(exc.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def register(request: Request) -> HttpResponse:
    if request.user.is_authenticated:  # already signed in: straight on to where they were going
        return redirect(_next_url(request))
    template = "accounts/register.html"
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return _form_page(request, template, form, HTTPStatus.OK)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                email=data["email"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                ip=client_ip(request),
            )
        except RateLimited as exc:
            return _rate_limited(request, template, form, exc)
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            form.add_error("email", exc.detail)
        else:
            sign_in(request, user)
            messages.success(request, f"Welcome to KillrVideo, {user.first_name}! Your account is ready.")
            return redirect_after_post(request, _next_url(request))
    return _form_page(request, template, form, HTTPStatus.UNPROCESSABLE_ENTITY)


@require_http_methods(["GET", "POST"])
def signin(request: Request) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    template = "accounts/signin.html"
    form = SignInForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return _form_page(request, template, form, HTTPStatus.OK)
    if form.is_valid():
        try:
            user = services.user_authenticate(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"], ip=client_ip(request)
            )
        except RateLimited as exc:
            return _rate_limited(request, template, form, exc)
        except AuthenticationRequired as exc:
            form.add_error(None, exc.detail)
        else:
            sign_in(request, user)
            messages.success(request, f"Signed in. Welcome back, {user.first_name}!")
            return redirect_after_post(request, _next_url(request))
    return _form_page(request, template, form, HTTPStatus.UNPROCESSABLE_ENTITY)


@require_POST
def signout(request: Request) -> HttpResponse:
    sign_out(request)
    messages.info(request, "You are signed out.")
    return redirect_after_post(request, reverse("home"))


@login_required_page
@require_http_methods(["GET", "POST"])
def profile_edit(request: Request) -> HttpResponse:
    user = signed_in_user(request)
    initial = {"first_name": user.first_name, "last_name": user.last_name}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.user_update_profile(user_id=user.user_id, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Your profile has been saved.")
            return redirect_after_post(request, reverse("profile_edit"))
    status = HTTPStatus.UNPROCESSABLE_ENTITY if form.is_bound else HTTPStatus.OK
    context = {"form": form, "profile_user": user, "abilities": role_abilities(user.top_role)}
    return render(request, "accounts/profile_edit.html", context, status=status)


@login_required_page
@require_http_methods(["GET", "POST"])
def password_change(request: Request) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = services.user_change_password(
                user_id=signed_in_user(request).user_id,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        else:
            sign_in(request, user)  # keeps this session (new key); every other session ends
            messages.success(request, "Your password has been changed.")
            return redirect_after_post(request, reverse("profile_edit"))
    status = HTTPStatus.UNPROCESSABLE_ENTITY if form.is_bound else HTTPStatus.OK
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@require_GET
def user_detail(request: Request, user_id: uuid.UUID) -> HttpResponse:
    try:
        profile = services.user_profile(actor=request.user, user_id=user_id)
    except NotFound:
        raise Http404("No such user.") from None
    context = {"profile_user": profile.user, "is_self": profile.is_self, "show_private": profile.private}
    return render(request, "accounts/user_detail.html", context)
