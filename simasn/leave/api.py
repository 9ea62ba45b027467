"""Leave API (/api/v1/leave) for the mobile app: balances, my requests, submit, cancel, the approvals inbox
and the approvers' decisions. Same services and selectors as the pages.

Submitting: `POST /requests` takes JSON; a request that must carry a document (cuti sakit of more than a
day, cuti alasan penting, CLTN) goes through `POST /requests/upload` instead — the same fields as
multipart/form-data plus the file in `attachment` — so the file and the request are one transaction and a
refused request leaves no orphan upload. Both honour the `Idempotency-Key` header: a retry with the same key
returns the first request (200 instead of 201) and writes nothing.
Dates are ISO strings (`2026-03-16`); an impossible one (`2025-02-29`) is a 422 with an Indonesian message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from simasn.core.errors import DomainError, NotFound
from simasn.employees.selectors import own_employee

from . import selectors, services
from .display import role_label, type_label
from .models import AbsenceRequest, ApprovalStep, RequestKind, RequestStatus

router = Router(tags=["cuti"])

MAX_PAGE_SIZE = 100


class LeaveInputInvalid(DomainError):
    status_code = 422


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


class BalanceOut(Schema):
    leave_type: str
    label: str
    entitlement: int | None
    carried_over: int
    used: int
    pending: int
    forfeited: int
    available: int | None
    uses_ledger: bool


class StepOut(Schema):
    order: int
    role: str
    role_label: str
    approver_id: int
    approver_name: str
    status: str
    note: str
    decided_at: dt.datetime | None


class RequestOut(Schema):
    id: int
    employee_id: int
    employee_name: str
    kind: str
    leave_type: str
    leave_type_label: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    working_days: int
    reason: str
    address_during: str
    has_attachment: bool
    spt_number: str
    destination: str
    location_name: str
    latitude: Decimal | None
    longitude: Decimal | None
    radius_m: int | None
    child_order: int | None
    status: str
    status_label: str
    current_step: int
    verification_code: str | None
    cut_short_from: dt.date | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    steps: list[StepOut]


class ApprovalOut(Schema):
    step_order: int
    role: str
    request: RequestOut


class RequestIn(Schema):
    kind: RequestKind
    leave_type: str = Field("", max_length=24, description="Jenis cuti (tahunan, sakit, …) atau izin")
    start_date: str = Field(..., description="Tanggal mulai, YYYY-MM-DD", examples=["2026-03-16"])
    end_date: str = Field(..., description="Tanggal selesai, YYYY-MM-DD", examples=["2026-03-20"])
    start_time: str | None = Field(None, description="Izin beberapa jam: HH:MM")
    end_time: str | None = Field(None, description="Izin beberapa jam: HH:MM")
    reason: str = Field(..., max_length=2000)
    address_during: str = Field("", max_length=300)
    spt_number: str = Field("", max_length=100)
    destination: str = Field("", max_length=200)
    location_name: str = Field("", max_length=200)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    radius_m: int | None = None
    child_order: int | None = Field(None, ge=1, le=30)


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class ChangeIn(Schema):
    note: str = Field(..., max_length=2000, description="Apa yang perlu diperbaiki pemohon")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class CancelIn(Schema):
    reason: str = Field("", max_length=2000)


def _date(raw: str, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError) as exc:
        raise LeaveInputInvalid(f"{label} tidak valid: \"{raw}\" bukan tanggal (format YYYY-MM-DD).",
                                code="invalid_date", field=field) from exc


def _time(raw: str | None, field: str, label: str) -> dt.time | None:
    if not raw:
        return None
    try:
        return dt.time.fromisoformat(raw)
    except (TypeError, ValueError) as exc:
        raise LeaveInputInvalid(f"{label} tidak valid: \"{raw}\" (format HH:MM).", code="invalid_time",
                                field=field) from exc


def _me(request: HttpRequest):
    me = own_employee(request.user)
    if me is None:
        raise NotFound("Akun ini tidak terhubung dengan data pegawai.")
    return me


def _step_out(step: ApprovalStep) -> dict[str, Any]:
    return {"order": step.order, "role": step.role, "role_label": role_label(step.role),
            "approver_id": step.approver_id, "approver_name": step.approver.full_name, "status": step.status,
            "note": step.note, "decided_at": step.decided_at}


def _request_out(req: AbsenceRequest) -> dict[str, Any]:
    data = {name: getattr(req, name) for name in (
        "id", "employee_id", "kind", "leave_type", "start_date", "end_date", "start_time", "end_time",
        "working_days", "reason", "address_during", "spt_number", "destination", "location_name", "latitude",
        "longitude", "radius_m", "child_order", "status", "current_step", "verification_code", "cut_short_from",
        "decided_at", "created_at")}
    data.update(employee_name=req.employee.full_name, leave_type_label=type_label(req.kind, req.leave_type),
                status_label=str(req.get_status_display()), has_attachment=bool(req.attachment),
                steps=[_step_out(s) for s in req.steps.all()])
    return data


def _with_steps(qs):
    return qs.prefetch_related("steps__approver")


def _submit(request: HttpRequest, payload: RequestIn, attachment: Any = None):
    key = request.headers.get("Idempotency-Key", "")
    if key:
        earlier = AbsenceRequest.objects.filter(submitted_by=request.user, idempotency_key=key.strip()).first()
        if earlier is not None:
            return Status(200, _request_out(selectors.request_get_for(viewer=request.user, pk=earlier.pk)))
    data = payload.dict()
    created = services.request_submit(
        actor=request.user, employee=_me(request), kind=data.pop("kind"),
        start_date=_date(data.pop("start_date"), "start_date", "Tanggal mulai"),
        end_date=_date(data.pop("end_date"), "end_date", "Tanggal selesai"),
        start_time=_time(data.pop("start_time"), "start_time", "Jam mulai"),
        end_time=_time(data.pop("end_time"), "end_time", "Jam selesai"),
        attachment=attachment, idempotency_key=key, **data,
    )
    return Status(201, _request_out(selectors.request_get_for(viewer=request.user, pk=created.pk)))


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/balances", response={200: list[BalanceOut], **ERRORS}, summary="Saldo cuti saya dalam satu tahun")
def balances(request: HttpRequest, year: int | None = None):
    year = year or timezone.localdate().year
    if not 1900 <= year <= 2200:
        raise LeaveInputInvalid("Tahun tidak valid.", code="invalid_year", field="year")
    return [vars(b) for b in selectors.balances_for(_me(request), year)]


@router.get("/requests", response={200: list[RequestOut], **ERRORS}, summary="Permohonan saya")
def my_requests(request: HttpRequest, status: RequestStatus | None = None, kind: RequestKind | None = None,
                limit: int = 50, offset: int = 0):
    limit, offset = min(max(limit, 1), MAX_PAGE_SIZE), max(offset, 0)
    qs = selectors.request_list_for(viewer=request.user, employee=_me(request), status=status, kind=kind)
    return [_request_out(r) for r in _with_steps(qs)[offset:offset + limit]]


@router.post("/requests", response={200: RequestOut, 201: RequestOut, **ERRORS},
             summary="Ajukan cuti, izin, dinas luar atau kerja fleksibel (JSON; header Idempotency-Key)")
def submit(request: HttpRequest, payload: RequestIn):
    return _submit(request, payload)


@router.post("/requests/upload", response={200: RequestOut, 201: RequestOut, **ERRORS},
             summary="Ajukan permohonan dengan dokumen pendukung (multipart; PDF/JPEG/PNG ≤ 2 MB)")
def submit_with_attachment(request: HttpRequest, payload: Form[RequestIn], attachment: File[UploadedFile]):
    return _submit(request, payload, attachment)


@router.get("/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="Satu permohonan")
def request_detail(request: HttpRequest, request_id: int):
    found = selectors.request_get_for(viewer=request.user, pk=request_id)
    return _request_out(found)


@router.post("/requests/{request_id}/cancel", response={200: RequestOut, **ERRORS}, summary="Batalkan permohonan")
def cancel(request: HttpRequest, request_id: int, payload: CancelIn):
    found = selectors.request_get_for(viewer=request.user, pk=request_id)
    services.request_cancel(actor=request.user, request=found, reason=payload.reason)
    return _request_out(selectors.request_get_for(viewer=request.user, pk=request_id))


@router.get("/approvals", response={200: list[ApprovalOut], **ERRORS}, summary="Permohonan menunggu keputusan saya")
def approvals(request: HttpRequest):
    steps = selectors.approval_inbox(viewer=request.user).prefetch_related("request__steps__approver")
    return [{"step_order": s.order, "role": s.role, "request": _request_out(s.request)} for s in steps]


def _decide(request: HttpRequest, request_id: int, act) -> dict[str, Any]:
    found = selectors.request_get_for(viewer=request.user, pk=request_id)
    act(found)
    return _request_out(selectors.request_get_for(viewer=request.user, pk=request_id))


@router.post("/approvals/{request_id}/approve", response={200: RequestOut, **ERRORS}, summary="Setujui")
def approve(request: HttpRequest, request_id: int, payload: NoteIn):
    return _decide(request, request_id,
                   lambda req: services.request_approve(actor=request.user, request=req, note=payload.note))


@router.post("/approvals/{request_id}/reject", response={200: RequestOut, **ERRORS}, summary="Tolak (alasan wajib)")
def reject(request: HttpRequest, request_id: int, payload: ReasonIn):
    return _decide(request, request_id,
                   lambda req: services.request_reject(actor=request.user, request=req, reason=payload.reason))


@router.post("/approvals/{request_id}/ask-change", response={200: RequestOut, **ERRORS},
             summary="Minta perbaikan kepada pemohon")
def ask_change(request: HttpRequest, request_id: int, payload: ChangeIn):
    return _decide(request, request_id,
                   lambda req: services.request_ask_change(actor=request.user, request=req, note=payload.note))
