"""Login by NIP, the TOTP second factor, password change and the user's own device tokens."""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from simasn.core.errors import NotFound

from . import otp, selectors, services
from .forms import IndonesianPasswordChangeForm, LoginForm, OtpTokenForm


def _safe_next(request: HttpRequest) -> str:
    """The `next` target if it stays on this site, else the home page (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _after_password(request: HttpRequest) -> HttpResponseRedirect:
    target = _safe_next(request)
    # Right after login() request.user is a fresh object without django-otp's is_verified().
    is_verified = getattr(request.user, "is_verified", None)
    if request.user.requires_otp and not (is_verified and is_verified()):
        return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': target})}")
    return redirect(target)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _after_password(request)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A lockout is answered by axes' middleware with accounts/locked_out.html (AXES_LOCKOUT_TEMPLATE).
        login(request, form.get_user())
        return _after_password(request)
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Anda telah keluar."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _otp_error(outcome: otp.OtpOutcome) -> str:
    if outcome.throttled:
        return _("Terlalu banyak kode salah. Tunggu %(seconds)d detik, lalu coba lagi.") % {
            "seconds": outcome.wait_seconds
        }
    return _("Kode salah atau sudah kedaluwarsa. Periksa jam di ponsel Anda dan coba kode terbaru.")


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    enrolled = otp.has_confirmed_device(user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        outcome = otp.otp_verify(user=user, token=token) if enrolled else otp.otp_confirm_enrolment(
            user=user, token=token
        )
        if outcome.ok:
            django_otp.login(request, outcome.device)
            if not enrolled:
                messages.success(request, _("Aplikasi autentikator berhasil didaftarkan."))
            return redirect(_safe_next(request))
        form.add_error("token", _otp_error(outcome))
    context = {"form": form, "enrolled": enrolled, "next": _safe_next(request)}
    if not enrolled:
        device = otp.otp_pending_device(user=user)
        context.update(qr_svg=otp.otp_qr_svg(device), secret=otp.otp_secret_text(device))
    return render(request, "accounts/otp.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = IndonesianPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Kata sandi berhasil diganti."))
        return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def devices(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            token = services.device_token_revoke(actor=request.user, token_id=int(request.POST.get("token", "")))
        except (ValueError, NotFound):
            messages.error(request, _("Token perangkat tidak ditemukan."))
        else:
            messages.success(request, _("Token untuk perangkat %(device)s dicabut.") % {"device": token.device_id})
        return redirect("accounts:devices")
    tokens = selectors.device_token_list(viewer=request.user)
    return render(request, "accounts/devices.html", {"tokens": tokens})
