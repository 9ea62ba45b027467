"""Labels the leave pages, the unit calendar and the surat izin cuti print: the names of leave and izin
types and approver roles come from rules_data, so a type added there appears everywhere without a template
change."""

from __future__ import annotations

from typing import Any

from . import rules_data
from .models import RequestKind

# Colour slots of the unit calendar (lv-c1 … lv-c8 in leave/leave.css); types beyond them share the last.
CUTI_COLOURS = 8


def label_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    return str(getattr(value, "label", None) or getattr(value, "name", None) or value)


def cuti_types() -> list[tuple[str, str]]:
    """(code, label) of every cuti type, PNS and PPPK merged, in the order of rules_data."""
    seen: dict[str, str] = {}
    for (_employee_type, code), rule in rules_data.LEAVE_TYPES.items():
        seen.setdefault(code, label_of(rule))
    return list(seen.items())


def requestable_cuti_types() -> list[tuple[str, str]]:
    """The cuti types a request can carry (cuti bersama is declared, never requested): the calendar legend."""
    seen: dict[str, str] = {}
    for (_employee_type, code), rule in rules_data.LEAVE_TYPES.items():
        if getattr(rule, "requestable", True):
            seen.setdefault(code, label_of(rule))
    return list(seen.items())


def leave_type_index(code: str) -> int:
    codes = [c for c, _label in cuti_types()]
    return min(codes.index(code) + 1, CUTI_COLOURS) if code in codes else CUTI_COLOURS


def type_label(kind: str, code: str) -> str:
    """The name of a cuti or izin type ("Cuti Tahunan", "Izin sakit"); '' for kinds without a type."""
    if not code:
        return ""
    if kind == RequestKind.CUTI:
        return dict(cuti_types()).get(code, code)
    if kind == RequestKind.IZIN:
        rule = rules_data.IZIN_TYPES.get(code)
        return label_of(rule) if rule is not None else code
    return code


def role_label(role: str) -> str:
    found = rules_data.APPROVER_ROLES.get(role)
    return label_of(found) if found is not None else role
