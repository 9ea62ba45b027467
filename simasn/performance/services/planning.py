"""Perencanaan: the employee drafts his SKP, the pejabat penilai agrees it or returns it with a comment; an
agreed SKP is locked and changes only through a recorded revision agreed again."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.selectors import atasan_of
from simasn.org.models import JabatanType, Unit

from .. import rules
from .. import rules_data as R
from ..models import (
    PerformancePeriodSetting,
    Skp,
    SkpExpectation,
    SkpIndicator,
    SkpItem,
    SkpRevision,
    SkpStatus,
    UnitResult,
)
from .common import (
    SKP_FIELDS,
    clean_choice,
    clean_number,
    clean_text,
    ensure_editable,
    lock_skp,
    require_employee,
    skp_snapshot,
    today_or,
)

JPT_TYPES = frozenset({JabatanType.JPT_UTAMA, JabatanType.JPT_MADYA, JabatanType.JPT_PRATAMA})
ITEM_TEXT_MAX = 2000


def period_kind_for(year: int) -> str:
    setting = PerformancePeriodSetting.objects.filter(year=year).first()
    return setting.period_kind if setting else R.DEFAULT_PERIOD_KIND


@transaction.atomic
def period_setting_set(*, actor: Any, year: int, period_kind: str) -> PerformancePeriodSetting:
    """BKPSDM picks monthly or quarterly assessment for a year; SKPs already planned keep their kind."""
    if not rules.can_set_performance_rules(actor):
        raise Forbidden("Hanya admin BKPSDM yang dapat mengatur periode penilaian.")
    clean_choice(period_kind, R.PERIOD_KINDS, field="period_kind", label="Periode penilaian")
    _check_year(year)
    setting, created = PerformancePeriodSetting.objects.get_or_create(year=year, defaults={"period_kind": period_kind})
    before = None if created else {"period_kind": setting.period_kind}
    setting.period_kind = period_kind
    setting.save()
    audit_record(actor=actor, action="performance.period_setting_set", obj=setting,
                 summary=f"Periode penilaian kinerja {year}: {R.PERIOD_KINDS[period_kind]}",
                 before=before, after={"year": year, "period_kind": period_kind})
    return setting


@transaction.atomic
def unit_result_set(*, actor: Any, unit: Unit, year: int, predikat: str, basis: str = "") -> UnitResult:
    """The unit's own predikat for a year: the distribution curve of its employees and its head's hasil."""
    if not rules.can_set_performance_rules(actor):
        raise Forbidden("Hanya admin BKPSDM yang dapat menetapkan predikat kinerja unit.")
    clean_choice(predikat, R.UNIT_PREDIKAT, field="predikat", label="Predikat kinerja unit")
    _check_year(year)
    basis = clean_text(basis, field="basis", label="Dasar penetapan", max_length=300, required=False)
    result = UnitResult.objects.select_for_update().filter(unit=unit, year=year).first()
    before = model_snapshot(result, ["predikat", "basis"]) if result else None
    result = result or UnitResult(unit=unit, year=year)
    result.predikat, result.basis, result.set_by = predikat, basis, actor
    result.save()
    audit_record(actor=actor, action="performance.unit_result_set", obj=result,
                 summary=f"Predikat kinerja {unit} {year}: {R.UNIT_PREDIKAT[predikat]}",
                 before=before, after=model_snapshot(result, ["unit", "year", "predikat", "basis"]))
    return result


def _check_year(year: Any, *, near_today: bool = False) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("Tahun tidak valid.", field="year")
    if near_today:
        current = today_or(None).year
        if not current - 1 <= year <= current + 1:
            raise DomainError(f"SKP hanya dapat disusun untuk tahun {current - 1} sampai {current + 1}.",
                              field="year")
    return year


@transaction.atomic
def skp_create(*, actor: Any, year: int, approach: str = "kuantitatif") -> Skp:
    """The actor drafts his own SKP for a year; the atasan langsung of today becomes the pejabat penilai."""
    me = require_employee(actor)
    _check_year(year, near_today=True)
    clean_choice(approach, R.APPROACHES, field="approach", label="Pendekatan")
    if Skp.objects.filter(employee=me, year=year).exists():
        raise Conflict(f"SKP tahun {year} Anda sudah ada.", code="skp_exists")
    skp = Skp.objects.create(
        employee=me, year=year, unit_id=me.unit_id, position_id=me.position_id,
        pejabat_penilai=atasan_of(me).first(), approach=approach, period_kind=period_kind_for(year),
    )
    audit_record(actor=actor, action="performance.skp_created", obj=skp, summary=f"SKP {year} disusun: {me.nip}",
                 after=model_snapshot(skp, SKP_FIELDS))
    return skp


def _owned_editable(actor: Any, skp: Skp) -> Skp:
    if not rules.is_skp_owner(actor, skp):
        raise Forbidden("Hanya pegawai pemilik SKP yang dapat mengubah rencananya.")
    skp = lock_skp(skp)
    ensure_editable(skp)
    return skp


def _clean_item(skp: Skp, data: dict[str, Any]) -> dict[str, Any]:
    text = clean_text(data.get("text"), field="text", label="Hasil kerja", max_length=ITEM_TEXT_MAX)
    is_additional = bool(data.get("is_additional", False))
    perspective = data.get("perspective") or ""
    if perspective:
        clean_choice(perspective, R.PERSPECTIVES, field="perspective", label="Perspektif")
        if skp.position is None or skp.position.jabatan_type not in JPT_TYPES:
            raise DomainError("Perspektif hanya dipakai pada SKP pejabat pimpinan tinggi (JPT).", field="perspective")
    unit_target = clean_text(data.get("unit_target"), field="unit_target", label="Target unit", max_length=500,
                             required=False)
    parent_item = None
    parent_id = data.get("parent_item_id")
    if parent_id not in (None, ""):
        if skp.pejabat_penilai_id is None:
            raise DomainError("SKP ini tidak memiliki pejabat penilai ASN; turunkan dari target unit.",
                              field="parent_item_id")
        parent_item = SkpItem.objects.filter(
            pk=parent_id if isinstance(parent_id, int) and not isinstance(parent_id, bool) else None,
            skp__employee_id=skp.pejabat_penilai_id, skp__year=skp.year, is_additional=False,
        ).first()
        if parent_item is None:
            raise DomainError("Hasil kerja atasan yang diacu tidak ditemukan pada SKP pejabat penilai tahun ini.",
                              field="parent_item_id")
    if unit_target and not _may_cascade_from_unit(skp):
        raise DomainError("Hanya kepala unit yang menurunkan hasil kerja dari target unit; pegawai lain "
                          "menurunkannya dari hasil kerja atasan.", field="unit_target")
    if not is_additional and parent_item is None and not unit_target:
        if _may_cascade_from_unit(skp):
            raise DomainError("Hasil kerja utama harus diturunkan dari hasil kerja atasan atau dari target unit.",
                              code="not_cascaded", field="parent_item_id")
        raise DomainError("Hasil kerja utama harus diturunkan dari hasil kerja atasan (pilih hasil kerja "
                          "atasan yang diintervensi).", code="not_cascaded", field="parent_item_id")
    return {"text": text, "is_additional": is_additional, "perspective": perspective, "unit_target": unit_target,
            "parent_item": parent_item}


def _may_cascade_from_unit(skp: Skp) -> bool:
    return skp.pejabat_penilai_id is None or rules.is_head_position(skp.position)


ITEM_FIELDS = ["skp", "text", "parent_item", "unit_target", "perspective", "is_additional", "order"]
INDICATOR_FIELDS = ["item", "text", "target_kind", "target_value", "target_unit", "target_text", "order"]


@transaction.atomic
def skp_item_add(*, actor: Any, skp: Skp, **data: Any) -> SkpItem:
    """Add a hasil kerja (text, parent_item_id | unit_target, perspective, is_additional)."""
    skp = _owned_editable(actor, skp)
    fields = _clean_item(skp, data)
    order = skp.items.count() + 1
    item = SkpItem.objects.create(skp=skp, order=order, **fields)
    audit_record(actor=actor, action="performance.skp_item_added", obj=item, summary=f"Hasil kerja ditambahkan: {skp}",
                 after=model_snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def skp_item_update(*, actor: Any, item: SkpItem, **data: Any) -> SkpItem:
    skp = _owned_editable(actor, item.skp)
    item = SkpItem.objects.select_for_update().get(pk=item.pk)
    before = model_snapshot(item, ITEM_FIELDS)
    for key, value in _clean_item(skp, data).items():
        setattr(item, key, value)
    item.save()
    audit_record(actor=actor, action="performance.skp_item_updated", obj=item, summary=f"Hasil kerja diubah: {skp}",
                 before=before, after=model_snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def skp_item_remove(*, actor: Any, item: SkpItem) -> None:
    skp = _owned_editable(actor, item.skp)
    if item.realisations.exists():
        raise Conflict("Hasil kerja ini sudah memiliki realisasi dan tidak dapat dihapus.", code="item_has_realisation")
    if item.cascaded_items.exists():
        raise Conflict("Hasil kerja ini sudah diturunkan ke SKP bawahan dan tidak dapat dihapus.",
                       code="item_cascaded")
    audit_record(actor=actor, action="performance.skp_item_removed", obj=item, summary=f"Hasil kerja dihapus: {skp}",
                 before=model_snapshot(item, ITEM_FIELDS))
    item.delete()


def _clean_indicator(skp: Skp, data: dict[str, Any]) -> dict[str, Any]:
    text = clean_text(data.get("text"), field="text", label="Indikator", max_length=ITEM_TEXT_MAX)
    kind = clean_choice(data.get("target_kind"), R.TARGET_KINDS, field="target_kind", label="Aspek target")
    quantitative = skp.approach == "kuantitatif"
    value = clean_number(data.get("target_value"), field="target_value", label="Target", required=quantitative)
    target_unit = clean_text(data.get("target_unit"), field="target_unit", label="Satuan target", max_length=50,
                             required=quantitative)
    target_text = clean_text(data.get("target_text"), field="target_text", label="Uraian target",
                             required=not quantitative)
    return {"text": text, "target_kind": kind, "target_value": value, "target_unit": target_unit,
            "target_text": target_text}


@transaction.atomic
def skp_indicator_add(*, actor: Any, item: SkpItem, **data: Any) -> SkpIndicator:
    """Add an indicator: text, target_kind, target_value ≥ 0 and target_unit (kuantitatif) or target_text."""
    skp = _owned_editable(actor, item.skp)
    fields = _clean_indicator(skp, data)
    indicator = SkpIndicator.objects.create(item=item, order=item.indicators.count() + 1, **fields)
    audit_record(actor=actor, action="performance.skp_indicator_added", obj=indicator,
                 summary=f"Indikator ditambahkan: {skp}", after=model_snapshot(indicator, INDICATOR_FIELDS))
    return indicator


@transaction.atomic
def skp_indicator_update(*, actor: Any, indicator: SkpIndicator, **data: Any) -> SkpIndicator:
    skp = _owned_editable(actor, indicator.item.skp)
    indicator = SkpIndicator.objects.select_for_update().get(pk=indicator.pk)
    before = model_snapshot(indicator, INDICATOR_FIELDS)
    for key, value in _clean_indicator(skp, data).items():
        setattr(indicator, key, value)
    indicator.save()
    audit_record(actor=actor, action="performance.skp_indicator_updated", obj=indicator,
                 summary=f"Indikator diubah: {skp}", before=before, after=model_snapshot(indicator, INDICATOR_FIELDS))
    return indicator


@transaction.atomic
def skp_indicator_remove(*, actor: Any, indicator: SkpIndicator) -> None:
    skp = _owned_editable(actor, indicator.item.skp)
    audit_record(actor=actor, action="performance.skp_indicator_removed", obj=indicator,
                 summary=f"Indikator dihapus: {skp}", before=model_snapshot(indicator, INDICATOR_FIELDS))
    indicator.delete()


@transaction.atomic
def skp_expectation_set(*, actor: Any, skp: Skp, text: str, value: str = "", item: SkpItem | None = None
                        ) -> SkpExpectation | None:
    """Ekspektasi khusus pimpinan on one BerAKHLAK value or one item, set by the pejabat penilai while the SKP
    is not locked. An empty text removes the expectation."""
    if not rules.is_pejabat_penilai(actor, skp):
        raise Forbidden("Hanya pejabat penilai yang menetapkan ekspektasi khusus pimpinan.")
    skp = lock_skp(skp)
    if skp.status == SkpStatus.AGREED:
        raise Conflict("SKP sudah disetujui dan terkunci; ekspektasi diubah melalui revisi SKP.", code="skp_locked")
    if bool(value) == (item is not None):
        raise DomainError("Pilih salah satu: nilai BerAKHLAK atau hasil kerja.", field="value")
    if value:
        clean_choice(value, R.BERAKHLAK, field="value", label="Nilai BerAKHLAK")
    if item is not None and item.skp_id != skp.pk:
        raise DomainError("Hasil kerja tidak termasuk SKP ini.", field="item_id")
    text = clean_text(text, field="text", label="Ekspektasi", required=False)
    current = SkpExpectation.objects.filter(skp=skp, value=value, item=item).first()
    before = {"text": current.text} if current else None
    if not text:
        if current is None:
            return None
        current.delete()
        expectation = None
    else:
        expectation = current or SkpExpectation(skp=skp, value=value, item=item)
        expectation.text, expectation.set_by = text, actor
        expectation.save()
    target = R.BERAKHLAK.get(value) if value else f"hasil kerja #{item.pk}"
    audit_record(actor=actor, action="performance.skp_expectation_set", obj=skp,
                 summary=f"Ekspektasi khusus pimpinan ({target}): {skp}", before=before,
                 after={"value": value, "item_id": item.pk if item else None, "text": text} if text else None)
    return expectation


@transaction.atomic
def skp_submit(*, actor: Any, skp: Skp) -> Skp:
    """Send the draft (or returned, or revised) SKP to the pejabat penilai: at least one main hasil kerja, and
    an indicator on every item."""
    skp = _owned_editable(actor, skp)
    items = list(skp.items.all().prefetch_related("indicators"))
    if not any(not i.is_additional for i in items):
        raise DomainError("SKP belum memiliki hasil kerja utama.", code="skp_empty")
    missing = [i.text[:60] for i in items if not i.indicators.all()]
    if missing:
        raise DomainError(f"Setiap hasil kerja harus memiliki indikator; belum ada pada: {'; '.join(missing)}.",
                          code="item_without_indicator")
    before = model_snapshot(skp, SKP_FIELDS)
    skp.status, skp.submitted_at = SkpStatus.SUBMITTED, timezone.now()
    skp.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="performance.skp_submitted", obj=skp, summary=f"SKP diajukan: {skp}",
                 before=before, after=model_snapshot(skp, SKP_FIELDS))
    return skp


def _penilai_on_submitted(actor: Any, skp: Skp) -> Skp:
    if rules.is_skp_owner(actor, skp):
        raise Forbidden("Anda tidak dapat menyetujui SKP Anda sendiri.")
    if not rules.is_pejabat_penilai(actor, skp):
        raise Forbidden("Hanya pejabat penilai yang dapat menyetujui atau mengembalikan SKP ini.")
    skp = lock_skp(skp)
    if skp.status != SkpStatus.SUBMITTED:
        raise Conflict("SKP ini tidak sedang menunggu persetujuan.", code="skp_not_submitted")
    return skp


@transaction.atomic
def skp_agree(*, actor: Any, skp: Skp) -> Skp:
    """The pejabat penilai agrees the SKP; it is locked. Agreeing a revised SKP closes its revision."""
    skp = _penilai_on_submitted(actor, skp)
    before = model_snapshot(skp, SKP_FIELDS)
    revision = skp.revisions.select_for_update().filter(status=SkpRevision.Status.OPEN).first()
    now = timezone.now()
    if revision is not None:
        revision.after, revision.status = skp_snapshot(skp), SkpRevision.Status.AGREED
        revision.agreed_by, revision.agreed_at = actor, now
        revision.save()
        skp.revision = revision.number
    skp.status, skp.agreed_at, skp.agreed_by, skp.return_comment = SkpStatus.AGREED, now, actor, ""
    skp.save()
    audit_record(actor=actor, action="performance.skp_agreed", obj=skp,
                 summary=f"SKP disetujui{f' (revisi {skp.revision})' if revision else ''}: {skp}",
                 before=before, after=model_snapshot(skp, SKP_FIELDS))
    return skp


@transaction.atomic
def skp_return(*, actor: Any, skp: Skp, comment: str) -> Skp:
    """The pejabat penilai sends the SKP back with what to change."""
    skp = _penilai_on_submitted(actor, skp)
    comment = clean_text(comment, field="comment", label="Catatan pengembalian")
    before = model_snapshot(skp, SKP_FIELDS)
    skp.status, skp.return_comment = SkpStatus.RETURNED, comment
    skp.save(update_fields=["status", "return_comment", "updated_at"])
    audit_record(actor=actor, action="performance.skp_returned", obj=skp, summary=f"SKP dikembalikan: {skp}",
                 before=before, after=model_snapshot(skp, SKP_FIELDS))
    return skp


@transaction.atomic
def skp_revision_request(*, actor: Any, skp: Skp, reason: str) -> SkpRevision:
    """Open a recorded revision of an agreed SKP: the plan becomes editable again until the pejabat penilai
    agrees it anew. The revision keeps the plan as it was agreed."""
    if not rules.is_skp_owner(actor, skp):
        raise Forbidden("Hanya pegawai pemilik SKP yang dapat mengajukan revisi.")
    skp = lock_skp(skp)
    if skp.status != SkpStatus.AGREED:
        raise Conflict("Revisi hanya untuk SKP yang sudah disetujui; SKP ini masih dapat diubah langsung.",
                       code="skp_not_agreed")
    reason = clean_text(reason, field="reason", label="Alasan revisi")
    revision = SkpRevision.objects.create(skp=skp, number=skp.revision + 1, reason=reason, before=skp_snapshot(skp),
                                          requested_by=actor)
    before = model_snapshot(skp, SKP_FIELDS)
    skp.status = SkpStatus.REVISING
    skp.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="performance.skp_revision_requested", obj=skp,
                 summary=f"Revisi {revision.number} SKP diajukan: {skp}", before=before,
                 after={**model_snapshot(skp, SKP_FIELDS), "revision_reason": reason})
    return revision
