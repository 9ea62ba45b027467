"""Schedule contents as plain values (what the forms, the demo and the templates hand to the services),
and their validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from simasn.core.errors import DomainError

from .. import rules_data


@dataclass(frozen=True)
class Block:
    start: dt.time
    end: dt.time
    break_minutes: int
    checkin_open: dt.time
    checkin_close: dt.time
    checkout_open: dt.time
    checkout_close: dt.time
    ends_next_day: bool = False

    @classmethod
    def from_rule(cls, rule: rules_data.TimeBlockRule) -> Block:
        t = dt.time.fromisoformat
        return cls(t(rule.start), t(rule.end), rule.break_minutes, t(rule.checkin[0]), t(rule.checkin[1]),
                   t(rule.checkout[0]), t(rule.checkout[1]), rule.ends_next_day)

    @classmethod
    def of(cls, row: Any) -> Block:
        return cls(row.start, row.end, row.break_minutes, row.checkin_open, row.checkin_close, row.checkout_open,
                   row.checkout_close, row.ends_next_day)

    def as_fields(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


@dataclass(frozen=True)
class DaySpec:
    weekday: int
    block: Block
    is_ramadan: bool = False


@dataclass(frozen=True)
class ShiftSpec:
    code: str
    name: str
    block: Block


def specs_from_template(key: str) -> dict[str, Any]:
    """The keyword arguments of schedule_create for one of rules_data.SCHEDULE_TEMPLATES."""
    template = rules_data.SCHEDULE_TEMPLATES[key]
    return {
        "name": template.name, "kind": template.kind, "grace_minutes": template.grace_minutes,
        "legal_basis": template.legal_basis, "note": template.note,
        "days": [DaySpec(w, Block.from_rule(b)) for w, b in template.days.items()]
        + [DaySpec(w, Block.from_rule(b), is_ramadan=True) for w, b in template.ramadan_days.items()],
        "shifts": [ShiftSpec(s.code, s.name, Block.from_rule(s.block)) for s in template.shifts],
    }




def hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def clean_block(block: Block, label: str) -> None:
    def fail(message: str) -> None:
        raise DomainError(f"{label}: {message}", code="invalid_time")

    minutes = rules_data.minutes_between(hhmm(block.start), hhmm(block.end), block.ends_next_day)
    if block.ends_next_day and block.end > block.start:
        fail(_("jam selesai hari berikutnya harus sebelum jam mulai (lebih dari 24 jam)."))
    if not block.ends_next_day and block.end <= block.start:
        fail(_("jam selesai harus setelah jam mulai (centang \"selesai hari berikutnya\" untuk shift malam)."))
    if not 0 <= block.break_minutes < minutes:
        fail(_("istirahat harus kurang dari lama jam kerja."))
    if block.checkin_close < block.checkin_open:
        fail(_("jendela masuk ditutup sebelum dibuka."))
    if block.checkout_close < block.checkout_open:
        fail(_("jendela pulang ditutup sebelum dibuka."))
    if not block.checkin_open <= block.start <= block.checkin_close:
        fail(_("jam mulai harus di dalam jendela masuk."))
    if not block.checkout_open <= block.end <= block.checkout_close:
        fail(_("jam selesai harus di dalam jendela pulang."))
