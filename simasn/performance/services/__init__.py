"""Writes of the SKP cycle. Each runs in one transaction with its audit event, takes the acting user as
`actor` and refuses bad input or a forbidden step with a DomainError (Indonesian message), writing nothing."""

from .assessment import assessment_finalise, assessment_rate, head_hasil_for, unit_annual_finalise
from .followup import (
    coaching_plan_create,
    coaching_plan_update,
    objection_deadline,
    objection_decide,
    objection_file,
    open_coaching_for,
)
from .monitoring import (
    evidence_add_file,
    evidence_add_link,
    evidence_remove,
    feedback_give,
    realisation_record,
    realisation_submit,
)
from .planning import (
    period_kind_for,
    period_setting_set,
    skp_agree,
    skp_create,
    skp_expectation_set,
    skp_indicator_add,
    skp_indicator_remove,
    skp_indicator_update,
    skp_item_add,
    skp_item_remove,
    skp_item_update,
    skp_return,
    skp_revision_request,
    skp_submit,
    unit_result_set,
)

__all__ = [
    "assessment_finalise", "assessment_rate", "coaching_plan_create", "coaching_plan_update", "evidence_add_file",
    "evidence_add_link", "evidence_remove", "feedback_give", "head_hasil_for", "objection_deadline",
    "objection_decide", "objection_file", "open_coaching_for", "period_kind_for", "period_setting_set",
    "realisation_record", "realisation_submit", "skp_agree", "skp_create", "skp_expectation_set", "skp_indicator_add",
    "skp_indicator_remove", "skp_indicator_update", "skp_item_add", "skp_item_remove", "skp_item_update",
    "skp_return", "skp_revision_request", "skp_submit", "unit_annual_finalise", "unit_result_set",
]
