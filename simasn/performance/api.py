"""SKP API (/api/v1/skp): my SKP, planning, realisations with evidence upload, feedback, ratings, objections
and the atasan's inbox. Handlers are thin: scope through `selectors`, write through `services`; a refusal is
a JSON error with an Indonesian `detail` (400/403/404/409; 422 for a malformed body)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from simasn.core.errors import NotFound

from . import periods, selectors, services
from . import rules_data as R
from .models import Assessment, Evidence, Objection, Realisation, Skp, SkpItem

router = Router(tags=["kinerja"])


class ErrorOut(Schema):
    detail: str
    code: str


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ----------------------------------------------------------------------------------------------- schemas


class PersonOut(Schema):
    id: int
    nip: str
    name: str


class IndicatorOut(Schema):
    id: int
    text: str
    target_kind: str
    target_value: Decimal | None
    target_unit: str
    target_text: str


class ItemOut(Schema):
    id: int
    text: str
    parent_item_id: int | None
    parent_item_text: str | None
    unit_target: str
    perspective: str
    is_additional: bool
    order: int
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_parent_item_text(obj: SkpItem) -> str | None:
        return obj.parent_item.text if obj.parent_item_id else None

    @staticmethod
    def resolve_indicators(obj: SkpItem) -> list:
        return list(obj.indicators.all())


class ExpectationOut(Schema):
    id: int
    value: str
    item_id: int | None
    text: str


class SkpOut(Schema):
    id: int
    year: int
    status: str
    status_label: str
    revision: int
    approach: str
    period_kind: str
    return_comment: str
    employee: PersonOut
    pejabat_penilai: PersonOut | None
    items: list[ItemOut]
    expectations: list[ExpectationOut]

    @staticmethod
    def resolve_status_label(obj: Skp) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_items(obj: Skp) -> list:
        return list(obj.items.all())

    @staticmethod
    def resolve_expectations(obj: Skp) -> list:
        return list(obj.expectations.all())


class SkpSummaryOut(Schema):
    id: int
    year: int
    status: str
    employee: PersonOut


class SkpIn(Schema):
    year: int
    approach: str = "kuantitatif"


class ItemIn(Schema):
    text: str
    parent_item_id: int | None = None
    unit_target: str = ""
    perspective: str = ""
    is_additional: bool = False


class IndicatorIn(Schema):
    text: str
    target_kind: str
    # A number (or numeric text) ≥ 0; kept loose here so "dua belas" gets the service's Indonesian message.
    target_value: Decimal | int | str | None = None
    target_unit: str = ""
    target_text: str = ""


class ReturnIn(Schema):
    comment: str


class RevisionIn(Schema):
    reason: str


class RevisionOut(Schema):
    id: int
    number: int
    reason: str
    status: str


class EvidenceOut(Schema):
    id: int
    kind: str
    url: str
    content_type: str
    size: int
    original_name: str
    description: str


class RealisationOut(Schema):
    id: int
    item_id: int
    period: int
    text: str
    value: Decimal | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Realisation) -> list:
        return list(obj.evidence.all())


class LinkIn(Schema):
    url: str
    description: str = ""


class FeedbackIn(Schema):
    period: int
    text: str
    item_id: int | None = None
    value: str = ""


class FeedbackOut(Schema):
    id: int
    period: int
    item_id: int | None
    value: str
    text: str
    created_at: dt.datetime


class AssessmentIn(Schema):
    period: int
    hasil: str | None = None
    perilaku: str
    hasil_reason: str = ""
    perilaku_reason: str = ""


class AssessmentOut(Schema):
    id: int
    skp_id: int
    period: int
    period_label: str
    hasil: str
    perilaku: str
    hasil_reason: str
    perilaku_reason: str
    predikat: str
    predikat_label: str
    status: str
    objection_deadline: dt.date | None

    @staticmethod
    def resolve_period_label(obj: Assessment) -> str:
        return periods.period_label(obj.skp.period_kind, obj.period)

    @staticmethod
    def resolve_predikat_label(obj: Assessment) -> str:
        return R.PREDIKAT[obj.predikat]

    @staticmethod
    def resolve_objection_deadline(obj: Assessment) -> dt.date | None:
        return services.objection_deadline(obj)


class ObjectionIn(Schema):
    reason: str


class DecisionIn(Schema):
    decision: str
    note: str
    hasil: str | None = None
    perilaku: str | None = None


class ObjectionOut(Schema):
    id: int
    assessment_id: int
    employee: PersonOut
    reason: str
    deadline: dt.date
    status: str
    decision_note: str
    new_predikat: str


class DueOut(Schema):
    skp_id: int
    employee: PersonOut
    year: int
    period: int
    label: str


class InboxOut(Schema):
    skps_to_agree: list[SkpSummaryOut]
    assessments_due: list[DueOut]
    objections_to_decide: list[ObjectionOut]


# ----------------------------------------------------------------------------------------------- helpers


def _skp_out(skp: Skp) -> Skp:
    return selectors.with_plan(Skp.objects.select_related("employee", "pejabat_penilai").get(pk=skp.pk))


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


# ----------------------------------------------------------------------------------------------- planning


@router.get("/mine", response={200: SkpOut, **ERRORS}, summary="SKP saya untuk satu tahun", url_name="skp_mine")
def skp_mine(request: HttpRequest, year: int | None = None):
    skp = selectors.my_skp(viewer=request.user, year=_year(year))
    if skp is None:
        raise NotFound(f"Anda belum memiliki SKP tahun {_year(year)}.")
    return skp


@router.post("/mine", response={201: SkpOut, **ERRORS}, summary="Susun draf SKP saya", url_name="skp_create")
def skp_create(request: HttpRequest, payload: SkpIn):
    skp = services.skp_create(actor=request.user, year=payload.year, approach=payload.approach)
    return Status(201, _skp_out(skp))


@router.get("/inbox", response={200: InboxOut, **ERRORS}, summary="Yang menunggu saya sebagai atasan",
            url_name="skp_inbox")
def inbox(request: HttpRequest):
    box = selectors.inbox(viewer=request.user)
    return {
        "skps_to_agree": box.skps_to_agree,
        "assessments_due": [{"skp_id": d.skp.pk, "employee": d.skp.employee, "year": d.skp.year, "period": d.period,
                             "label": d.label} for d in box.assessments_due],
        "objections_to_decide": box.objections_to_decide,
    }


@router.get("/{int:skp_id}", response={200: SkpOut, **ERRORS}, summary="Satu SKP", url_name="skp_detail")
def skp_detail(request: HttpRequest, skp_id: int):
    return selectors.with_plan(selectors.skp_get_for(viewer=request.user, pk=skp_id))


@router.post("/{int:skp_id}/items", response={201: ItemOut, **ERRORS}, summary="Tambah hasil kerja",
             url_name="skp_item_add")
def item_add(request: HttpRequest, skp_id: int, payload: ItemIn):
    skp = selectors.skp_get_for(viewer=request.user, pk=skp_id)
    return Status(201, services.skp_item_add(actor=request.user, skp=skp, **payload.dict()))


@router.put("/items/{int:item_id}", response={200: ItemOut, **ERRORS}, summary="Ubah hasil kerja",
            url_name="skp_item_update")
def item_update(request: HttpRequest, item_id: int, payload: ItemIn):
    item = selectors.item_get_for(viewer=request.user, pk=item_id)
    return services.skp_item_update(actor=request.user, item=item, **payload.dict())


@router.delete("/items/{int:item_id}", response={204: None, **ERRORS}, summary="Hapus hasil kerja",
               url_name="skp_item_remove")
def item_remove(request: HttpRequest, item_id: int):
    services.skp_item_remove(actor=request.user, item=selectors.item_get_for(viewer=request.user, pk=item_id))
    return Status(204, None)


@router.post("/items/{int:item_id}/indicators", response={201: IndicatorOut, **ERRORS},
             summary="Tambah indikator dan target", url_name="skp_indicator_add")
def indicator_add(request: HttpRequest, item_id: int, payload: IndicatorIn):
    item = selectors.item_get_for(viewer=request.user, pk=item_id)
    return Status(201, services.skp_indicator_add(actor=request.user, item=item, **payload.dict()))


@router.post("/{int:skp_id}/submit", response={200: SkpOut, **ERRORS}, summary="Ajukan SKP ke pejabat penilai",
             url_name="skp_submit")
def skp_submit(request: HttpRequest, skp_id: int):
    skp = services.skp_submit(actor=request.user, skp=selectors.skp_get_for(viewer=request.user, pk=skp_id))
    return _skp_out(skp)


@router.post("/{int:skp_id}/agree", response={200: SkpOut, **ERRORS}, summary="Setujui SKP (pejabat penilai)",
             url_name="skp_agree")
def skp_agree(request: HttpRequest, skp_id: int):
    skp = services.skp_agree(actor=request.user, skp=selectors.skp_get_for(viewer=request.user, pk=skp_id))
    return _skp_out(skp)


@router.post("/{int:skp_id}/return", response={200: SkpOut, **ERRORS},
             summary="Kembalikan SKP dengan catatan (pejabat penilai)", url_name="skp_return")
def skp_return(request: HttpRequest, skp_id: int, payload: ReturnIn):
    skp = selectors.skp_get_for(viewer=request.user, pk=skp_id)
    return _skp_out(services.skp_return(actor=request.user, skp=skp, comment=payload.comment))


@router.post("/{int:skp_id}/revisions", response={201: RevisionOut, **ERRORS},
             summary="Ajukan revisi SKP yang sudah disetujui", url_name="skp_revision")
def skp_revision(request: HttpRequest, skp_id: int, payload: RevisionIn):
    skp = selectors.skp_get_for(viewer=request.user, pk=skp_id)
    return Status(201, services.skp_revision_request(actor=request.user, skp=skp, reason=payload.reason))


# ----------------------------------------------------------------------------------------------- monitoring


@router.post("/items/{int:item_id}/realisations", response={201: RealisationOut, **ERRORS},
             summary="Catat realisasi satu periode dengan bukti dukung (multipart: berkas dan/atau tautan)",
             url_name="skp_realisation")
def realisation_submit(request: HttpRequest, item_id: int, period: Form[int], text: Form[str],
                       value: Form[str] = "", url: Form[str] = "", description: Form[str] = "",
                       files: File[list[UploadedFile]] = None):
    item = selectors.item_get_for(viewer=request.user, pk=item_id)
    realisation = services.realisation_submit(
        actor=request.user, item=item, period=period, text=text, value=value or None, files=files or [],
        urls=[url] if url.strip() else [], description=description,
    )
    return Status(201, Realisation.objects.prefetch_related("evidence").get(pk=realisation.pk))


@router.post("/realisations/{int:realisation_id}/evidence", response={201: EvidenceOut, **ERRORS},
             summary="Tambah bukti dukung berkas (PDF/JPEG/PNG ≤ 5 MB)", url_name="skp_evidence_file")
def evidence_file(request: HttpRequest, realisation_id: int, file: File[UploadedFile],
                  description: Form[str] = ""):
    realisation = selectors.realisation_get_for(viewer=request.user, pk=realisation_id)
    evidence = services.evidence_add_file(actor=request.user, realisation=realisation, upload=file,
                                          description=description)
    return Status(201, evidence)


@router.post("/realisations/{int:realisation_id}/links", response={201: EvidenceOut, **ERRORS},
             summary="Tambah bukti dukung tautan (http/https)", url_name="skp_evidence_link")
def evidence_link(request: HttpRequest, realisation_id: int, payload: LinkIn):
    realisation = selectors.realisation_get_for(viewer=request.user, pk=realisation_id)
    evidence = services.evidence_add_link(actor=request.user, realisation=realisation, url=payload.url,
                                          description=payload.description)
    return Status(201, evidence)


@router.delete("/evidence/{int:evidence_id}", response={204: None, **ERRORS}, summary="Hapus bukti dukung",
               url_name="skp_evidence_remove")
def evidence_remove(request: HttpRequest, evidence_id: int):
    evidence: Evidence = selectors.evidence_get_for(viewer=request.user, pk=evidence_id)
    services.evidence_remove(actor=request.user, evidence=evidence)
    return Status(204, None)


@router.post("/{int:skp_id}/feedback", response={201: FeedbackOut, **ERRORS},
             summary="Umpan balik atasan pada hasil kerja atau nilai BerAKHLAK", url_name="skp_feedback")
def feedback(request: HttpRequest, skp_id: int, payload: FeedbackIn):
    skp = selectors.skp_get_for(viewer=request.user, pk=skp_id)
    item = None
    if payload.item_id is not None:
        item = SkpItem.objects.filter(pk=payload.item_id, skp=skp).first()
        if item is None:
            raise NotFound("Hasil kerja tidak ditemukan pada SKP ini.")
    given = services.feedback_give(actor=request.user, skp=skp, period=payload.period, text=payload.text, item=item,
                                   value=payload.value)
    return Status(201, given)


# ----------------------------------------------------------------------------------------------- assessment


@router.get("/{int:skp_id}/assessments", response={200: list[AssessmentOut], **ERRORS},
            summary="Penilaian satu SKP", url_name="skp_assessments")
def assessment_list(request: HttpRequest, skp_id: int):
    skp = selectors.skp_get_for(viewer=request.user, pk=skp_id)
    return list(skp.assessments.select_related("skp").order_by("period"))


@router.post("/{int:skp_id}/assessments", response={201: AssessmentOut, **ERRORS},
             summary="Nilai hasil kerja dan perilaku satu periode (0 = tahunan)", url_name="skp_assess")
def assessment_rate(request: HttpRequest, skp_id: int, payload: AssessmentIn):
    skp = selectors.skp_get_for(viewer=request.user, pk=skp_id)
    return Status(201, services.assessment_rate(actor=request.user, skp=skp, **payload.dict()))


@router.post("/assessments/{int:assessment_id}/finalise", response={200: AssessmentOut, **ERRORS},
             summary="Finalkan penilaian periodik", url_name="skp_assessment_finalise")
def assessment_finalise(request: HttpRequest, assessment_id: int):
    assessment = selectors.assessment_get_for(viewer=request.user, pk=assessment_id)
    return services.assessment_finalise(actor=request.user, assessment=assessment)


@router.post("/assessments/{int:assessment_id}/objection", response={201: ObjectionOut, **ERRORS},
             summary="Ajukan keberatan atas penilaian final", url_name="skp_objection")
def objection_file(request: HttpRequest, assessment_id: int, payload: ObjectionIn):
    assessment = selectors.assessment_get_for(viewer=request.user, pk=assessment_id)
    return Status(201, services.objection_file(actor=request.user, assessment=assessment, reason=payload.reason))


@router.post("/objections/{int:objection_id}/decision", response={200: ObjectionOut, **ERRORS},
             summary="Putuskan keberatan (atasan pejabat penilai)", url_name="skp_objection_decide")
def objection_decide(request: HttpRequest, objection_id: int, payload: DecisionIn):
    objection: Objection = selectors.objection_get_for(viewer=request.user, pk=objection_id)
    return services.objection_decide(actor=request.user, objection=objection, **payload.dict())

