"""What every schedule write shares: who may do it, the date check and the audited fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.errors import DomainError, Forbidden
from simasn.org.models import Unit

from .. import rules_data

SCHEDULE_FIELDS = ["name", "kind", "grace_minutes", "is_active", "legal_basis", "note"]
ASSIGNMENT_FIELDS = ["schedule_id", "unit_id", "employee_id", "effective_from", "effective_to", "note"]
RAMADAN_FIELDS = ["name", "start_date", "end_date", "legal_basis"]


# ── permissions ─────────────────────────────────────────────────────────────────────────────────────────

def is_system(actor: Any) -> bool:
    return isinstance(actor, str)


def require_city_admin(actor: Any) -> None:
    if not (is_system(actor) or can_administer_city(actor)):
        raise Forbidden(_("Hanya admin BKPSDM yang dapat mengubah jadwal kerja."))


def can_manage_path(actor: Any, path: str) -> bool:
    if is_system(actor) or can_administer_city(actor):
        return True
    managed = managed_unit_path(actor)
    return bool(managed and path.startswith(managed))


def require_unit(actor: Any, unit: Unit) -> None:
    if not can_manage_path(actor, unit.path):
        raise Forbidden(_("Anda hanya dapat mengatur jadwal untuk unit yang Anda kelola."))


def check_date(day: Any, field: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise DomainError(_("Tanggal wajib diisi."), field=field)
    limit = rules_data.MAX_YEARS_FROM_TODAY
    if abs(day.year - timezone.localdate().year) > limit:
        raise DomainError(_("Tanggal harus dalam rentang %(limit)s tahun dari tahun ini.") % {"limit": limit},
                          field=field)
    return day
