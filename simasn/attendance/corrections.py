"""Corrections of a day's attendance: the employee asks (forgot to check out, phone broken) with a reason and
evidence; the atasan langsung decides. An approval never edits events: it adds events with source "koreksi"
at the corrected times and recomputes the day, so the record keeps what happened and why it changed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.accounts.scopes import is_city_wide, is_personnel_admin
from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import Conflict, DomainError, Forbidden, NotFound
from simasn.employees import files
from simasn.employees.models import Employee
from simasn.employees.selectors import atasan_of, employee_queryset_for, own_employee
from simasn.employees.services.common import stored_files_removed_on_error

from .models import CheckInEvent, CorrectionRequest, CorrectionStatus, EventKind, EventSource, EventStatus
from .recompute import recompute_days
from .rules_data import CORRECTION_MAX_DAYS_BACK

MAX_REASON = 2000
MAX_NOTE = 1000
SNAPSHOT_FIELDS = ["employee", "date", "check_in_time", "check_out_time", "reason", "status", "approver",
                   "decided_by", "decided_at", "decision_note"]


def max_days_back() -> int:
    from django.conf import settings

    return int(getattr(settings, "SIMASN_ATTENDANCE_CORRECTION_MAX_DAYS", CORRECTION_MAX_DAYS_BACK))


def check_evidence(upload: UploadedFile) -> files.CheckedFile:
    """PDF, JPEG or PNG by content (never by the name), within SIMASN_MAX_DOCUMENT_BYTES (2 MB)."""
    return files.check_document(upload, what=_("Bukti pendukung"))


def _time(value: Any, field: str, label: str) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
        except ValueError:
            pass
    raise DomainError(_("%(label)s harus berupa jam yang valid (JJ:MM).") % {"label": label}, field=field)


def _clean(*, day: Any, check_in_time: Any, check_out_time: Any, reason: Any, today: dt.date
           ) -> tuple[dt.date, dt.time | None, dt.time | None, str]:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise DomainError(_("Tanggal harus berupa tanggal yang valid."), field="date")
    if day > today:
        raise DomainError(_("Hari yang belum terjadi tidak dapat dikoreksi."), field="date")
    if (today - day).days > max_days_back():
        raise DomainError(_("Koreksi hanya dapat diajukan paling lama %(n)s hari setelah tanggalnya.")
                          % {"n": max_days_back()}, field="date")
    time_in = _time(check_in_time, "check_in_time", _("Jam masuk"))
    time_out = _time(check_out_time, "check_out_time", _("Jam pulang"))
    if time_in is None and time_out is None:
        raise DomainError(_("Isi jam masuk, jam pulang, atau keduanya."), field="check_in_time")
    if not isinstance(reason, str) or not reason.strip():
        raise DomainError(_("Alasan wajib diisi."), code="required", field="reason")
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise DomainError(_("Alasan paling panjang %(n)s karakter.") % {"n": MAX_REASON}, field="reason")
    return day, time_in, time_out, reason


@transaction.atomic
def correction_request(*, actor: Any, date: Any, check_in_time: Any = None, check_out_time: Any = None,
                       reason: Any, attachment: UploadedFile | None, today: dt.date | None = None
                       ) -> CorrectionRequest:
    """The logged-in employee asks to correct one of his days; it goes to his atasan langsung."""
    employee = own_employee(actor)
    if employee is None:
        raise Forbidden(_("Hanya pegawai yang dapat mengajukan koreksi presensi."))
    day, time_in, time_out, reason = _clean(day=date, check_in_time=check_in_time, check_out_time=check_out_time,
                                            reason=reason, today=today or timezone.localdate())
    if attachment is None:
        raise DomainError(_("Lampirkan bukti pendukung (PDF, JPEG atau PNG, paling besar 2 MB)."), code="required",
                          field="attachment")
    checked = check_evidence(attachment)
    approver = atasan_of(Employee.objects.select_related("position").get(pk=employee.pk)).first()
    if approver is None:
        raise DomainError(_("Jabatan Anda tidak memiliki atasan langsung yang menjabat; hubungi admin OPD."),
                          code="no_approver")
    # Lock the employee: two submissions at once cannot both pass the "one pending request a day" check.
    Employee.objects.select_for_update().filter(pk=employee.pk).exists()
    if CorrectionRequest.objects.filter(employee=employee, date=day, status=CorrectionStatus.PENDING).exists():
        raise Conflict(_("Masih ada pengajuan koreksi untuk tanggal ini yang menunggu keputusan."))
    correction = CorrectionRequest(employee=employee, date=day, check_in_time=time_in, check_out_time=time_out,
                                   reason=reason, approver=approver)
    storage = CorrectionRequest._meta.get_field("attachment").storage
    with stored_files_removed_on_error(storage) as saved:
        correction.attachment.save(f"{uuid.uuid4().hex}{checked.extension}", attachment, save=False)
        saved.append(correction.attachment.name)
        correction.save()
        audit_record(actor=actor, action="attendance.correction_requested", obj=correction,
                     summary=f"Koreksi presensi {day:%d-%m-%Y} diajukan oleh {employee.nip}.",
                     after=model_snapshot(correction, SNAPSHOT_FIELDS))
    return correction


def _event_time(correction: CorrectionRequest, time: dt.time, kind: str) -> dt.datetime:
    """The corrected moment: on the date, or the next morning for the check-out of a night shift."""
    from simasn.workcalendar.schedules import expected_day, office_timezone

    tz = office_timezone()
    moment = dt.datetime.combine(correction.date, time, tzinfo=tz)
    period = expected_day(correction.employee, correction.date)
    if (kind == EventKind.OUT and period is not None and period.end.date() > correction.date
            and moment < period.start):
        moment += dt.timedelta(days=1)
    return moment


def can_decide(actor: Any, correction: CorrectionRequest) -> bool:
    me = own_employee(actor)
    return me is not None and correction.approver_id == me.pk


@transaction.atomic
def correction_decide(*, actor: Any, correction: CorrectionRequest, approve: bool, note: Any = "") -> CorrectionRequest:
    """The atasan approves (events with source "koreksi" are added and the day recomputed) or rejects with
    a note. Audit-logged in the same transaction."""
    correction = CorrectionRequest.objects.select_for_update().select_related("employee").get(pk=correction.pk)
    if not can_decide(actor, correction):
        raise Forbidden(_("Hanya atasan langsung yang ditunjuk yang dapat memutuskan koreksi ini."))
    if correction.status != CorrectionStatus.PENDING:
        raise Conflict(_("Koreksi ini sudah diputuskan."))
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > MAX_NOTE:
        raise DomainError(_("Catatan paling panjang %(n)s karakter.") % {"n": MAX_NOTE}, field="note")
    if not approve and not note:
        raise DomainError(_("Tuliskan alasan penolakan."), code="required", field="note")
    before = model_snapshot(correction, SNAPSHOT_FIELDS)
    now = timezone.now()
    correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    correction.decided_by = actor
    correction.decided_at = now
    correction.decision_note = note
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    events = []
    if approve:
        for kind, time in ((EventKind.IN, correction.check_in_time), (EventKind.OUT, correction.check_out_time)):
            if time is None:
                continue
            moment = _event_time(correction, time, kind)
            events.append(CheckInEvent.objects.create(
                employee=correction.employee, kind=kind, source=EventSource.CORRECTION, server_time=moment,
                work_date=correction.date, status=EventStatus.ACCEPTED, location_name=_("Koreksi #%(n)s")
                % {"n": correction.pk},
            ))
    audit_record(actor=actor, action="attendance.correction_approved" if approve else "attendance.correction_rejected",
                 obj=correction, before=before, after={**model_snapshot(correction, SNAPSHOT_FIELDS),
                                                       "events": [e.pk for e in events]},
                 summary=f"Koreksi presensi {correction.employee.nip} {correction.date:%d-%m-%Y} "
                         f"{'disetujui' if approve else 'ditolak'}.")
    if approve:
        recompute_days([correction.employee_id], correction.date, correction.date)
    return correction


# ── Reads ─────────────────────────────────────────────────────────────────────────────────────────────


def _visible_q(viewer: Any) -> Q:
    q = Q(pk__in=[])
    me = own_employee(viewer)
    if me is not None:
        q |= Q(employee_id=me.pk) | Q(approver_id=me.pk)
    if is_personnel_admin(viewer) or is_city_wide(viewer):
        q |= Q(employee__in=employee_queryset_for(viewer).values("pk"))
    return q


def correction_list_for(*, viewer: Any) -> QuerySet[CorrectionRequest]:
    """The viewer's own requests, newest first."""
    me = own_employee(viewer)
    if me is None:
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.filter(employee=me).select_related("approver").order_by("-created_at", "-id")


def correction_inbox(*, viewer: Any, pending_only: bool = True) -> QuerySet[CorrectionRequest]:
    """Requests the viewer decides as atasan, oldest waiting first (one query)."""
    me = own_employee(viewer)
    if me is None:
        return CorrectionRequest.objects.none()
    qs = CorrectionRequest.objects.filter(approver=me)
    if pending_only:
        qs = qs.filter(status=CorrectionStatus.PENDING)
    return qs.select_related("employee", "employee__unit").order_by("created_at", "id")


def correction_get_for(*, viewer: Any, pk: Any) -> CorrectionRequest:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound(_("Koreksi tidak ditemukan.")) from exc
    if not getattr(viewer, "is_authenticated", False):
        raise NotFound(_("Koreksi tidak ditemukan."))
    found = (CorrectionRequest.objects.filter(_visible_q(viewer), pk=pk)
             .select_related("employee", "employee__unit", "approver").first())
    if found is None:
        raise NotFound(_("Koreksi tidak ditemukan."))
    return found
