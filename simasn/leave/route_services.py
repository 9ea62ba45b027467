"""Writes of the approval-route table (Alur Persetujuan): BKPSDM adds, changes, switches off and removes the
routes that override the defaults of rules_data.DEFAULT_ROUTES.

A route is read when a request is submitted (routing.resolve_chain stores the chain on the request's steps),
so a change here applies to requests filed afterwards and never re-routes a request already in progress.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError, Forbidden, NotFound
from simasn.org.models import JabatanType

from . import rules_data
from .models import ApprovalRoute, RequestKind
from .route_selectors import can_edit_routes, leave_types_for, route_title

# Five officials in a row is already more than any regulation asks for; a longer chain is a typing error.
MAX_ROUTE_STEPS = 5
MAX_NOTE_LENGTH = 200
ROUTE_FIELDS = ["kind", "leave_type", "jabatan_type", "steps", "is_active", "note"]


def _require_editor(actor: Any) -> None:
    if not can_edit_routes(actor):
        raise Forbidden(_("Hanya admin BKPSDM yang dapat mengubah alur persetujuan."))


def _clean_key(*, kind: Any, leave_type: Any, jabatan_type: Any) -> tuple[str, str, str]:
    kind = str(kind or "").strip()
    leave_type = str(leave_type or "").strip()
    jabatan_type = str(jabatan_type or "").strip()
    if kind not in RequestKind.values:
        raise DomainError(_("Jenis permohonan tidak dikenal."), field="kind", code="invalid_kind")
    types = dict(leave_types_for(kind))
    if leave_type and not types:
        raise DomainError(_("%(kind)s tidak mempunyai jenis; kosongkan jenis cuti/izin.")
                          % {"kind": RequestKind(kind).label}, field="leave_type", code="invalid_leave_type")
    if leave_type and leave_type not in types:
        raise DomainError(_("Jenis \"%(type)s\" tidak dikenal untuk %(kind)s.")
                          % {"type": leave_type, "kind": str(RequestKind(kind).label).lower()},
                          field="leave_type", code="invalid_leave_type")
    if jabatan_type and jabatan_type not in JabatanType.values:
        raise DomainError(_("Jenis jabatan tidak dikenal."), field="jabatan_type", code="invalid_jabatan_type")
    return kind, leave_type, jabatan_type


def _clean_steps(steps: Any) -> list[str]:
    if isinstance(steps, str) or not isinstance(steps, list | tuple):
        raise DomainError(_("Tahapan alur harus berupa daftar peran pejabat."), field="steps", code="invalid_steps")
    cleaned = [str(step or "").strip() for step in steps]
    if not cleaned or not all(cleaned):
        raise DomainError(_("Isi paling sedikit satu tahap persetujuan, tanpa tahap kosong."), field="steps",
                          code="invalid_steps")
    if len(cleaned) > MAX_ROUTE_STEPS:
        raise DomainError(_("Alur persetujuan paling banyak %(n)s tahap.") % {"n": MAX_ROUTE_STEPS},
                          field="steps", code="invalid_steps")
    for step in cleaned:
        if step not in rules_data.APPROVER_ROLES:
            raise DomainError(_("Peran pejabat \"%(role)s\" tidak dikenal.") % {"role": step}, field="steps",
                              code="invalid_steps")
    for first, second in zip(cleaned, cleaned[1:], strict=False):
        if first == second:
            raise DomainError(
                _("Peran \"%(role)s\" tercantum dua kali berturut-turut; pejabat yang sama cukup menyetujui "
                  "sekali.") % {"role": rules_data.APPROVER_ROLES[first].label},
                field="steps", code="invalid_steps")
    return cleaned


def _clean_note(note: Any) -> str:
    note = str(note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise DomainError(_("Keterangan paling panjang %(n)s karakter.") % {"n": MAX_NOTE_LENGTH}, field="note",
                          code="invalid_note")
    return note


def _duplicate(kind: str, leave_type: str, jabatan_type: str) -> DomainError:
    return DomainError(
        _("Alur untuk %(route)s sudah ada. Ubah alur tersebut di tabel, jangan menambah yang baru.")
        % {"route": route_title(kind, leave_type, jabatan_type)},
        code="duplicate_route")


@transaction.atomic
def route_create(*, actor: Any, kind: str, leave_type: str = "", jabatan_type: str = "", steps: list[str],
                 note: str = "") -> ApprovalRoute:
    """Add a route for a (kind, type, jabatan) key that has none; it applies to requests filed from now."""
    _require_editor(actor)
    kind, leave_type, jabatan_type = _clean_key(kind=kind, leave_type=leave_type, jabatan_type=jabatan_type)
    cleaned = _clean_steps(steps)
    note = _clean_note(note)
    if ApprovalRoute.objects.filter(kind=kind, leave_type=leave_type, jabatan_type=jabatan_type).exists():
        raise _duplicate(kind, leave_type, jabatan_type)
    try:
        # Two admins adding the same key at once: the second meets the unique constraint, not a 500.
        with transaction.atomic():
            route = ApprovalRoute.objects.create(kind=kind, leave_type=leave_type, jabatan_type=jabatan_type,
                                                 steps=cleaned, note=note, is_active=True)
    except IntegrityError as exc:
        raise _duplicate(kind, leave_type, jabatan_type) from exc
    audit_record(actor=actor, action="leave.route_created", obj=route,
                 summary=f"Alur persetujuan ditambahkan: {route_title(kind, leave_type, jabatan_type)}",
                 after=model_snapshot(route, ROUTE_FIELDS))
    return route


@transaction.atomic
def route_update(*, actor: Any, route: ApprovalRoute, steps: list[str], note: str, is_active: bool
                 ) -> ApprovalRoute:
    """Change a route's steps, note or whether it applies. Its key stays: another key is another route."""
    _require_editor(actor)
    cleaned = _clean_steps(steps)
    note = _clean_note(note)
    locked = ApprovalRoute.objects.select_for_update().filter(pk=route.pk).first()
    if locked is None:
        raise NotFound(_("Alur persetujuan ini sudah dihapus."))
    before = model_snapshot(locked, ROUTE_FIELDS)
    locked.steps = cleaned
    locked.note = note
    locked.is_active = bool(is_active)
    locked.save(update_fields=["steps", "note", "is_active", "updated_at"])
    after = model_snapshot(locked, ROUTE_FIELDS)
    title = route_title(locked.kind, locked.leave_type, locked.jabatan_type)
    if before != after:
        if before["is_active"] != after["is_active"]:
            what = "diberlakukan" if locked.is_active else "dinonaktifkan"
        else:
            what = "diubah"
        audit_record(actor=actor, action="leave.route_updated", obj=locked,
                     summary=f"Alur persetujuan {what}: {title}", before=before, after=after)
    return locked


@transaction.atomic
def route_delete(*, actor: Any, route: ApprovalRoute) -> None:
    """Remove a route; its key falls back to the next general route or the default of rules_data."""
    _require_editor(actor)
    locked = ApprovalRoute.objects.select_for_update().filter(pk=route.pk).first()
    if locked is None:
        return  # already gone: a repeated click changes nothing
    before = model_snapshot(locked, ROUTE_FIELDS)
    pk = locked.pk
    title = route_title(locked.kind, locked.leave_type, locked.jabatan_type)
    locked.delete()
    audit_record(actor=actor, action="leave.route_deleted", object_type="leave.approvalroute", object_id=pk,
                 summary=f"Alur persetujuan dihapus: {title}", before=before)
