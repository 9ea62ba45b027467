"""Writes to employee master data. Each runs in one transaction with its audit event; a refusal raises a
DomainError with an Indonesian message per field and leaves the database and the media store unchanged."""

from .common import Forbidden, InvalidFields
from .employee import EDITABLE_FIELDS, employee_create, employee_update, mask_nik, nik_reveal
from .history import history_add, history_sk_open

__all__ = [
    "EDITABLE_FIELDS", "Forbidden", "InvalidFields", "employee_create", "employee_update", "history_add",
    "history_sk_open", "mask_nik", "nik_reveal",
]
