"""Pages of the leave capability: my requests, the request form, the approval inbox, the unit calendar, the
surat izin cuti and its public verification, and the approval-route table (Alur Persetujuan). Views translate
HTTP to selectors/services and back."""

from .approvals import inbox
from .calendar import unit_calendar
from .documents import letter_pdf, verify, verify_form
from .requests import (
    approve,
    ask_change,
    attachment,
    cancel,
    cut_short,
    detail,
    my_requests,
    preview,
    reject,
    resubmit,
    submit,
)
from .routes import route_create, route_delete, route_edit, route_toggle, route_try, routes

__all__ = [
    "approve", "ask_change", "attachment", "cancel", "cut_short", "detail", "inbox", "letter_pdf", "my_requests",
    "preview", "reject", "resubmit", "route_create", "route_delete", "route_edit", "route_toggle", "route_try",
    "routes", "submit", "unit_calendar", "verify", "verify_form",
]
