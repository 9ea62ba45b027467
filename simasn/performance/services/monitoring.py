"""Pelaksanaan dan pemantauan: realisation per item and period with bukti dukung (owner only), and the
atasan's continuous feedback on items and BerAKHLAK values."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.selectors import own_employee
from simasn.employees.services.common import stored_files_removed_on_error

from .. import periods, rules
from .. import rules_data as R
from ..evidence import check_evidence_file, check_evidence_url
from ..models import Assessment, AssessmentStatus, Evidence, Feedback, Realisation, Skp, SkpItem
from .common import clean_number, clean_period, clean_text, ensure_was_agreed, lock_skp, period_name, today_or

REALISATION_FIELDS = ["item", "period", "text", "value"]
EVIDENCE_FIELDS = ["realisation", "kind", "file", "content_type", "size", "original_name", "url", "description"]
MAX_EVIDENCE_PER_REALISATION = 20


def _check_period_open(skp: Skp, period: int, today: dt.date) -> None:
    if not periods.period_has_started(skp.year, skp.period_kind, period, today):
        start = periods.period_bounds(skp.year, skp.period_kind, period)[0]
        raise DomainError(f"Periode {period_name(skp, period)} belum dimulai (mulai {start:%d-%m-%Y}).",
                          code="period_in_future", field="period")


@transaction.atomic
def realisation_record(*, actor: Any, item: SkpItem, period: int, text: str, value: Any = None,
                       today: dt.date | None = None) -> Realisation:
    """Record (or correct) the realisation of a hasil kerja in one period, not in the future and not after the
    period's assessment is final."""
    skp = item.skp
    if not rules.is_skp_owner(actor, skp):
        raise Forbidden("Hanya pegawai pemilik SKP yang mencatat realisasinya.")
    skp = lock_skp(skp)
    ensure_was_agreed(skp, "Realisasi")
    period = clean_period(skp, period, allow_annual=False)
    _check_period_open(skp, period, today_or(today))
    if Assessment.objects.filter(skp=skp, period=period, status=AssessmentStatus.FINAL).exists():
        raise Conflict(f"Penilaian periode {period_name(skp, period)} sudah final; realisasinya tidak dapat diubah.",
                       code="period_final")
    text = clean_text(text, field="text", label="Realisasi")
    value = clean_number(value, field="value", label="Nilai realisasi", required=False)
    realisation = Realisation.objects.select_for_update().filter(item=item, period=period).first()
    before = model_snapshot(realisation, REALISATION_FIELDS) if realisation else None
    realisation = realisation or Realisation(item=item, period=period)
    realisation.text, realisation.value, realisation.recorded_by = text, value, actor
    realisation.save()
    audit_record(actor=actor, action="performance.realisation_recorded", obj=realisation,
                 summary=f"Realisasi {period_name(skp, period)}: {skp}", before=before,
                 after=model_snapshot(realisation, REALISATION_FIELDS))
    return realisation


def _owned_realisation(actor: Any, realisation: Realisation) -> Skp:
    skp = realisation.item.skp
    if not rules.is_skp_owner(actor, skp):
        raise Forbidden("Hanya pegawai pemilik SKP yang mengelola bukti dukungnya.")
    skp = lock_skp(skp)
    if Assessment.objects.filter(skp=skp, period=realisation.period, status=AssessmentStatus.FINAL).exists():
        raise Conflict("Penilaian periode ini sudah final; bukti dukungnya tidak dapat diubah.", code="period_final")
    if realisation.evidence.count() >= MAX_EVIDENCE_PER_REALISATION:
        raise DomainError(f"Paling banyak {MAX_EVIDENCE_PER_REALISATION} bukti dukung per realisasi.",
                          code="too_many_evidence")
    return skp


@transaction.atomic
def evidence_add_file(*, actor: Any, realisation: Realisation, upload: UploadedFile, description: str = ""
                      ) -> Evidence:
    """Attach a PDF/JPEG/PNG (≤ 5 MB, judged by content) to a realisation; stored under a name of ours."""
    skp = _owned_realisation(actor, realisation)
    checked = check_evidence_file(upload)
    description = clean_text(description, field="description", label="Keterangan", max_length=300, required=False)
    evidence = Evidence(realisation=realisation, kind=Evidence.Kind.FILE, content_type=checked.content_type,
                        size=upload.size, original_name=(upload.name or "")[-255:], description=description,
                        uploaded_by=actor)
    with stored_files_removed_on_error(Evidence._meta.get_field("file").storage) as saved:
        evidence.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
        saved.append(evidence.file.name)
        evidence.save()
        audit_record(actor=actor, action="performance.evidence_added", obj=evidence,
                     summary=f"Bukti dukung (berkas) {period_name(skp, realisation.period)}: {skp}",
                     after=model_snapshot(evidence, EVIDENCE_FIELDS))
    return evidence


@transaction.atomic
def evidence_add_link(*, actor: Any, realisation: Realisation, url: str, description: str = "") -> Evidence:
    skp = _owned_realisation(actor, realisation)
    url = check_evidence_url(url)
    description = clean_text(description, field="description", label="Keterangan", max_length=300, required=False)
    evidence = Evidence.objects.create(realisation=realisation, kind=Evidence.Kind.LINK, url=url,
                                       description=description, uploaded_by=actor)
    audit_record(actor=actor, action="performance.evidence_added", obj=evidence,
                 summary=f"Bukti dukung (tautan) {period_name(skp, realisation.period)}: {skp}",
                 after=model_snapshot(evidence, EVIDENCE_FIELDS))
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    realisation = evidence.realisation
    skp = realisation.item.skp
    if not rules.is_skp_owner(actor, skp):
        raise Forbidden("Hanya pegawai pemilik SKP yang mengelola bukti dukungnya.")
    if Assessment.objects.filter(skp=skp, period=realisation.period, status=AssessmentStatus.FINAL).exists():
        raise Conflict("Penilaian periode ini sudah final; bukti dukungnya tidak dapat diubah.", code="period_final")
    audit_record(actor=actor, action="performance.evidence_removed", obj=evidence,
                 summary=f"Bukti dukung dihapus: {skp}", before=model_snapshot(evidence, EVIDENCE_FIELDS))
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def feedback_give(*, actor: Any, skp: Skp, period: int, text: str, item: SkpItem | None = None, value: str = "",
                  today: dt.date | None = None) -> Feedback:
    """Umpan balik of the pejabat penilai for a period, on one hasil kerja or on one BerAKHLAK value."""
    if rules.is_skp_owner(actor, skp):
        raise Forbidden("Umpan balik diberikan oleh atasan, bukan oleh pemilik SKP.")
    if not rules.is_pejabat_penilai(actor, skp):
        raise Forbidden("Hanya pejabat penilai yang memberi umpan balik pada SKP ini.")
    ensure_was_agreed(skp, "Umpan balik")
    period = clean_period(skp, period, allow_annual=False)
    _check_period_open(skp, period, today_or(today))
    if (item is None) == (not value):
        raise DomainError("Pilih salah satu: hasil kerja atau nilai BerAKHLAK.", field="value")
    if value and value not in R.BERAKHLAK:
        raise DomainError(f"Nilai BerAKHLAK tidak dikenal; pilih salah satu: {', '.join(R.BERAKHLAK.values())}.",
                          field="value")
    if item is not None and item.skp_id != skp.pk:
        raise DomainError("Hasil kerja tidak termasuk SKP ini.", field="item_id")
    text = clean_text(text, field="text", label="Umpan balik")
    feedback = Feedback.objects.create(skp=skp, period=period, item=item, value=value or "", text=text,
                                       given_by=own_employee(actor), given_by_user=actor)
    audit_record(actor=actor, action="performance.feedback_given", obj=feedback,
                 summary=f"Umpan balik {period_name(skp, period)}: {skp}",
                 after=model_snapshot(feedback, ["skp", "period", "item", "value", "text"]))
    return feedback


@transaction.atomic
def realisation_submit(*, actor: Any, item: SkpItem, period: int, text: str, value: Any = None,
                       files: list[UploadedFile] | tuple = (), urls: list[str] | tuple = (), description: str = "",
                       today: dt.date | None = None) -> Realisation:
    """Record a realisation and its bukti dukung in one go (the API's multipart form): all or nothing."""
    realisation = realisation_record(actor=actor, item=item, period=period, text=text, value=value, today=today)
    if len(files) + len(urls) + realisation.evidence.count() > MAX_EVIDENCE_PER_REALISATION:
        raise DomainError(f"Paling banyak {MAX_EVIDENCE_PER_REALISATION} bukti dukung per realisasi.",
                          code="too_many_evidence")
    # Check every file and link before storing any, and remove what was stored if a later step fails: the
    # rolled-back rows must not leave files behind.
    for upload in files:
        check_evidence_file(upload)
    for url in urls:
        check_evidence_url(url)
    with stored_files_removed_on_error(Evidence._meta.get_field("file").storage) as saved:
        for upload in files:
            saved.append(evidence_add_file(actor=actor, realisation=realisation, upload=upload,
                                           description=description).file.name)
        for url in urls:
            evidence_add_link(actor=actor, realisation=realisation, url=url, description=description)
    return realisation
