"""The surat izin cuti PDF and the public page that verifies it."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from simasn.core.audit import audit_record

from .. import documents
from ..forms import VerifyForm
from ._common import request_or_404

CODE_CLEAN = re.compile(r"[^A-Z0-9]")
MAX_CODE_LENGTH = 32


def _verify_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("leave:verify", args=[code]))


@login_required
@require_GET
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter for whoever may read the request (owner, approvers, admins in scope); every download is
    audited because it carries the employee's data."""
    req = request_or_404(request, pk)
    if not documents.is_printable(req):
        raise Http404(_("Surat izin cuti hanya tersedia untuk cuti yang telah disetujui."))
    pdf = documents.render_letter_pdf(req, verify_url=_verify_url(request, req.verification_code))
    with transaction.atomic():
        audit_record(actor=request.user, action="leave.letter_downloaded", obj=req,
                     summary=f"Surat izin cuti permohonan #{req.pk} ({req.verification_code}) diunduh.")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-izin-cuti-{req.verification_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _normalised(code: str) -> str:
    return CODE_CLEAN.sub("", code.upper())[:MAX_CODE_LENGTH]


@require_GET
@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = _normalised(form.cleaned_data["kode"])
        if code:
            return redirect("leave:verify", code=code)
        form.add_error("kode", _("Kode verifikasi terdiri atas huruf dan angka."))
    return render(request, "leave/verify.html", {"form": form, "searched": False})


@require_GET
@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public, no login: whether a letter with this code exists and its non-personal essentials only."""
    clean = _normalised(code)
    if clean != code:
        return redirect("leave:verify", code=clean) if clean else redirect("leave:verify_form")
    found = documents.check_letter(clean)
    context = {"form": VerifyForm(initial={"kode": clean}), "searched": True, "code": clean, "found": found}
    response = render(request, "leave/verify.html", context, status=200 if found is not None else 404)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
