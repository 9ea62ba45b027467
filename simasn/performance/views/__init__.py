"""Kinerja pages (PermenPANRB 6/2022): SKP Saya, SKP Bawahan, penilaian, keberatan, pembinaan, rekap."""

from .assessment import (
    assessment_finalise,
    assessment_rate,
    objection_decide,
    objection_file,
    predikat_preview,
    unit_finalise,
    unit_result_set,
)
from .monitoring import evidence_add, evidence_file, evidence_remove, feedback_give, realisation_record, skp_period
from .plan import (
    expectation_set,
    indicator_add,
    indicator_edit,
    indicator_remove,
    item_add,
    item_edit,
    item_remove,
    my_skp,
    skp_agree,
    skp_create,
    skp_detail,
    skp_return,
    skp_revision,
    skp_submit,
)
from .recap import city, export_xlsx, recap, recap_late, skp_pdf
from .team import coaching_edit, coaching_list, objection_list, subordinates

__all__ = [
    "assessment_finalise", "assessment_rate", "city", "coaching_edit", "coaching_list", "evidence_add",
    "evidence_file", "evidence_remove", "expectation_set", "export_xlsx", "feedback_give", "indicator_add",
    "indicator_edit", "indicator_remove", "item_add", "item_edit", "item_remove", "my_skp", "objection_decide",
    "objection_file", "objection_list", "predikat_preview", "realisation_record", "recap", "recap_late", "skp_agree",
    "skp_create", "skp_detail", "skp_pdf", "skp_period", "skp_return", "skp_revision", "skp_submit",
    "subordinates", "unit_finalise", "unit_result_set",
]
