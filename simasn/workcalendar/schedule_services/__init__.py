"""Writes of the work schedules: schedules, Ramadan periods, assignments and shift rosters.

Every write is one transaction with its audit event. Admin BKPSDM manages everything; an admin OPD assigns
schedules and draws up rosters inside his unit subtree. A plain string actor ("seed_demo") is the system.

Overlapping assignments for the same target: a new open-ended assignment closes the target's assignment that
began earlier and is still running (it now ends the day before); any other overlap is refused, so that a
date never has two schedules for one unit or one employee. (Employee and unit assignments do not clash:
the employee's wins, see schedules.py.)
"""

from .assignments import assignment_create, assignment_delete, assignment_end
from .common import can_manage_path
from .rosters import MAX_ROSTER_DAYS, roster_set, roster_set_week
from .schedules import ramadan_create, ramadan_delete, schedule_create, schedule_set_active, schedule_update
from .specs import Block, DaySpec, ShiftSpec, specs_from_template

__all__ = [
    "MAX_ROSTER_DAYS", "Block", "DaySpec", "ShiftSpec", "assignment_create", "assignment_delete", "assignment_end",
    "can_manage_path", "ramadan_create", "ramadan_delete", "roster_set", "roster_set_week", "schedule_create",
    "schedule_set_active", "schedule_update", "specs_from_template",
]
