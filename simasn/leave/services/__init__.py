"""Writes of the leave app: submitting, deciding, cancelling and cutting short requests.

`from simasn.leave import services; services.request_submit(...)` is the public surface; the package is
split only to stay readable (requests: filing and withdrawing; decisions: the approvers' acts).
"""

from .decisions import request_approve, request_ask_change, request_cut_short, request_reject
from .requests import request_cancel, request_resubmit, request_submit

__all__ = [
    "request_approve",
    "request_ask_change",
    "request_cancel",
    "request_cut_short",
    "request_reject",
    "request_resubmit",
    "request_submit",
]
