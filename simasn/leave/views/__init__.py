"""Pages of the leave capability: my requests, the request form, the approval inbox, the unit calendar, the
surat izin cuti and its public verification. Views translate HTTP to selectors/services and back."""

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

__all__ = [
    "approve", "ask_change", "attachment", "cancel", "cut_short", "detail", "inbox", "letter_pdf", "my_requests",
    "preview", "reject", "resubmit", "submit", "unit_calendar", "verify", "verify_form",
]
