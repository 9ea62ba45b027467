"""Shared set-up of the schedule tests: the standard Kendari schedules, created through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from simasn.workcalendar import rules_data, schedule_services
from simasn.workcalendar.models import Shift, WorkSchedule

SYSTEM = "uji"


@dataclass
class Standard:
    five_day: WorkSchedule
    six_day: WorkSchedule
    shift: WorkSchedule

    def shift_of(self, code: str) -> Shift:
        return self.shift.shifts.get(code=code)


def standard_schedules() -> Standard:
    made = {key: schedule_services.schedule_create(actor=SYSTEM, **schedule_services.specs_from_template(key))
            for key in rules_data.SCHEDULE_TEMPLATES}
    return Standard(five_day=made["five_day"], six_day=made["six_day"], shift=made["shift"])


def assign(schedule: WorkSchedule, *, unit=None, employee=None, start=dt.date(2026, 1, 1), end=None):
    return schedule_services.assignment_create(actor=SYSTEM, schedule=schedule, unit=unit, employee=employee,
                                               effective_from=start, effective_to=end)
