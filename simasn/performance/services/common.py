"""Shared checks of the SKP services: clean text and numbers, lock rows, snapshot a plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.models import Employee
from simasn.employees.selectors import own_employee

from .. import periods
from ..models import Skp, SkpStatus

# 16 digits with 2 decimals (the model's DecimalField): the largest number a target or realisation may hold.
MAX_NUMBER = Decimal("99999999999999.99")
TEXT_MAX = 4000


def clean_text(value: Any, *, field: str, label: str, max_length: int = TEXT_MAX, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ("" if value is None else None)
    if text is None:
        raise DomainError(f"{label} harus berupa teks.", field=field)
    if required and not text:
        raise DomainError(f"{label} wajib diisi.", code="required", field=field)
    if len(text) > max_length:
        raise DomainError(f"{label} paling panjang {max_length} karakter.", field=field)
    return text


def clean_number(value: Any, *, field: str, label: str, required: bool) -> Decimal | None:
    """A number ≥ 0 with at most two decimals, from a Decimal, an int or a text ("12,5" and "12.5" alike)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DomainError(f"{label} wajib diisi dengan angka.", code="required", field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise DomainError(f"{label} harus berupa angka.", code="not_a_number", field=field)
    try:
        number = Decimal(value.strip().replace(",", ".") if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise DomainError(f"{label} harus berupa angka, bukan \"{value}\".", code="not_a_number",
                          field=field) from None
    if not number.is_finite():
        raise DomainError(f"{label} harus berupa angka.", code="not_a_number", field=field)
    if number < 0:
        raise DomainError(f"{label} tidak boleh negatif.", code="negative", field=field)
    if number > MAX_NUMBER:
        raise DomainError(f"{label} terlalu besar.", field=field)
    if number != number.quantize(Decimal("0.01")):
        raise DomainError(f"{label} paling banyak dua angka di belakang koma.", field=field)
    return number.quantize(Decimal("0.01"))


def clean_choice(value: Any, allowed: dict[str, str], *, field: str, label: str) -> str:
    if value not in allowed:
        raise DomainError(f"{label} tidak dikenal; pilih salah satu: {', '.join(allowed.values())}.", field=field)
    return value


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def require_employee(actor: Any) -> Employee:
    me = own_employee(actor)
    if me is None:
        raise Forbidden("Akun Anda tidak terhubung dengan data pegawai.")
    return me


def lock_skp(skp: Skp) -> Skp:
    """The SKP row again, locked for the rest of the transaction (two tabs submitting at once)."""
    return Skp.objects.select_for_update(of=("self",)).select_related("employee", "position").get(pk=skp.pk)


def ensure_editable(skp: Skp) -> None:
    if skp.status == SkpStatus.AGREED:
        raise Conflict("SKP sudah disetujui dan terkunci; ajukan revisi untuk mengubahnya.", code="skp_locked")
    if skp.status == SkpStatus.SUBMITTED:
        raise Conflict("SKP sedang menunggu persetujuan pejabat penilai dan tidak dapat diubah.", code="skp_submitted")


def ensure_was_agreed(skp: Skp, what: str) -> None:
    if skp.agreed_at is None:
        raise Conflict(f"{what} baru dapat dicatat setelah SKP disetujui pejabat penilai.", code="skp_not_agreed")


def clean_period(skp: Skp, period: Any, *, allow_annual: bool, field: str = "period") -> int:
    if isinstance(period, bool) or not isinstance(period, int):
        raise DomainError("Periode harus berupa angka.", field=field)
    try:
        periods.check_period(skp.period_kind, period, allow_annual=allow_annual)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from None
    return period


def skp_snapshot(skp: Skp) -> dict[str, Any]:
    """The plan as it stands (items, indicators, expectations), for a revision's before/after."""
    items = []
    for item in skp.items.prefetch_related("indicators").order_by("is_additional", "order", "id"):
        items.append({
            "id": item.pk, "text": item.text, "parent_item_id": item.parent_item_id, "unit_target": item.unit_target,
            "perspective": item.perspective, "is_additional": item.is_additional,
            "indicators": [
                {"id": i.pk, "text": i.text, "target_kind": i.target_kind,
                 "target_value": str(i.target_value) if i.target_value is not None else None,
                 "target_unit": i.target_unit, "target_text": i.target_text}
                for i in item.indicators.all()
            ],
        })
    expectations = [
        {"value": e.value, "item_id": e.item_id, "text": e.text} for e in skp.expectations.order_by("id")
    ]
    return {"approach": skp.approach, "items": items, "expectations": expectations}


def period_name(skp: Skp, period: int) -> str:
    return f"{periods.period_label(skp.period_kind, period)} {skp.year}"


SKP_FIELDS = ["employee", "year", "unit", "position", "pejabat_penilai", "approach", "period_kind", "status",
              "revision", "return_comment"]
ASSESSMENT_FIELDS = ["skp", "period", "hasil", "hasil_reason", "perilaku", "perilaku_reason", "predikat", "status"]
