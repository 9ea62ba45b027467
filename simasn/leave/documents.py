"""The surat izin cuti: an A4 PDF (WeasyPrint) of an approved cuti, with a QR code and a verification code that
the public page `/cuti/verifikasi/<kode>/` checks, so a printed letter can be verified without a login."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.constants
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .display import role_label, type_label
from .models import AbsenceRequest, RequestKind, RequestStatus, StepStatus
from .routing import opd_of

# The register number SIMASN gives the letter (its own sequence, the request id), not a number of the
# archive classification; a pemda that numbers letters centrally prints its own number over it.
LETTER_NUMBER_FORMAT = "{seq:05d}/SIC/{opd}/{year}"


@dataclass(frozen=True)
class SignedStep:
    order: int
    role: str
    name: str
    nip: str
    position: str
    decided_at: Any


def masked_nip(nip: str) -> str:
    """'198609262015051001' → '198609********1001': enough to tell two namesakes apart, not to reuse."""
    if len(nip) <= 10:
        return "*" * len(nip)
    return nip[:6] + "*" * (len(nip) - 10) + nip[-4:]


_ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
         "sebelas")


def terbilang(n: int) -> str:
    """A count in Indonesian words, as letters write it next to the figure: 14 → 'empat belas'."""
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {terbilang(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} ratus" + (f" {terbilang(rest)}" if rest else "")
    return str(n)


def letter_number(req: AbsenceRequest, opd_short: str) -> str:
    year = (req.decided_at or req.created_at or timezone.now()).year
    return LETTER_NUMBER_FORMAT.format(seq=req.pk, opd=opd_short or "SIMASN", year=year)


def qr_png_data_uri(text: str) -> str:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def is_printable(req: AbsenceRequest) -> bool:
    """Only an approved cuti has a letter; a cut-short one keeps it (the letter then says so)."""
    return req.kind == RequestKind.CUTI and req.status == RequestStatus.APPROVED and bool(req.verification_code)


def letter_context(req: AbsenceRequest, *, verify_url: str) -> dict[str, Any]:
    employee = req.employee
    opd = opd_of(employee.unit)
    steps = [
        SignedStep(s.order, role_label(s.role), s.approver.full_name, s.approver.nip,
                   s.approver.position.name if s.approver.position_id else "", s.decided_at)
        for s in req.steps.filter(status=StepStatus.APPROVED).select_related("approver", "approver__position")
        .order_by("order")
    ]
    return {
        "req": req,
        "employee": employee,
        "opd": opd,
        "instance_name": settings.SIMASN_INSTANCE_NAME,
        "type_label": type_label(req.kind, req.leave_type),
        "number": letter_number(req, opd.short_name),
        "working_days_words": terbilang(req.working_days),
        "steps": steps,
        "signer": steps[-1] if steps else None,
        "verify_url": verify_url,
        "qr": qr_png_data_uri(verify_url),
        "printed_at": timezone.localtime(),
    }


@dataclass(frozen=True)
class LetterCheck:
    """What the public verification page may show of a letter: nothing beyond what the letter's holder
    already shows by presenting it, and the NIP masked."""

    code: str
    type_label: str
    name: str
    masked_nip: str
    start_date: Any
    end_date: Any
    working_days: int
    decided_at: Any
    status: str
    status_label: str
    cut_short_from: Any

    @property
    def valid(self) -> bool:
        return self.status == RequestStatus.APPROVED

    @property
    def cancelled(self) -> bool:
        return self.status == RequestStatus.CANCELLED


def check_letter(code: str) -> LetterCheck | None:
    """The letter a verification code names, whatever became of it since (cancelled, cut short): a printed
    letter outlives its request, so the page must be able to say it no longer holds. A code is only ever
    given on final approval, so every request carrying one had a letter."""
    if not code or len(code) > 16:
        return None
    req = (
        AbsenceRequest.objects.filter(verification_code=code, kind=RequestKind.CUTI)
        .select_related("employee")
        .only("kind", "leave_type", "start_date", "end_date", "working_days", "decided_at", "status",
              "cut_short_from", "verification_code", "employee__front_title", "employee__name",
              "employee__back_title", "employee__nip")
        .first()
    )
    if req is None:
        return None
    return LetterCheck(
        code=code, type_label=type_label(req.kind, req.leave_type), name=req.employee.full_name,
        masked_nip=masked_nip(req.employee.nip), start_date=req.start_date, end_date=req.end_date,
        working_days=req.working_days, decided_at=req.decided_at, status=req.status,
        status_label=req.get_status_display(), cut_short_from=req.cut_short_from,
    )


def render_letter_html(req: AbsenceRequest, *, verify_url: str) -> str:
    return render_to_string("leave/letter.html", letter_context(req, verify_url=verify_url))


def render_letter_pdf(req: AbsenceRequest, *, verify_url: str) -> bytes:
    from weasyprint import HTML  # imported here: loading pango costs ~0.3 s and most requests print nothing

    return HTML(string=render_letter_html(req, verify_url=verify_url)).write_pdf()
