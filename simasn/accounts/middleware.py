from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths an admin may reach between password and second factor.
_OPEN_PREFIXES = ("/akun/otp/", "/akun/keluar/", "/static/", "/i18n/", "/healthz")


class RequireOTPForAdminsMiddleware:
    """Admin roles (BKPSDM, OPD) must complete TOTP before anything else, in the UI and the session API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "requires_otp", False)
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Verifikasi dua langkah (OTP) diperlukan.", "code": "otp_required"}, status=403
                )
            return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
