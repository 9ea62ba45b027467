"""ARRIVAL_OUTLIER's baselines: each serving employee's latest arrival times, kept one row per employee.

The check compares a check-in's time with the employee's own arrivals: the first arrival of his latest
`checks.LIMITS.arrival_days` days with one before the day. Read from the daily records that is twenty rows
in twenty table pages on every morning check-in; the nightly close (tasks.close_days) instead stores them as
one `ArrivalBaseline` row per employee for the coming day, and a check-in on that day reads the row.

Exactness is kept by forgetting, not by patching: any write that may change a record before a baseline's
`as_of` (a recompute after a correction, a review decision or a leave decision; a check-in that arrives
late for an earlier day) deletes the employee's baseline, and until the next close his check-ins read the
records again (capture_sql.checkin_reads does either in its one statement). So a check-in sees the same
history with or without a baseline; tests/test_baselines.py holds both ways to each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from simasn.employees.models import Employee
from simasn.employees.selectors import DEPARTED_STATUSES
from simasn.workcalendar.schedules import office_timezone

from .capture_context import local_minutes
from .checks import LIMITS
from .models import ArrivalBaseline, DailyRecord

CHUNK = 1000


def _latest_arrivals(employee_ids: list[int], before: dt.date, limit: int) -> dict[int, list[dt.datetime]]:
    """The first arrival of each employee's latest `limit` days before `before` that have one, newest first
    (what capture_sql.earlier_arrivals answers for one employee), ranked in the database."""
    ranked = (DailyRecord.objects.filter(employee_id__in=employee_ids, date__lt=before, first_in__isnull=False)
              .annotate(rank=Window(RowNumber(), partition_by=[F("employee_id")], order_by=F("date").desc()))
              .filter(rank__lte=limit).order_by().values_list("employee_id", "date", "first_in"))
    found: dict[int, list[tuple[dt.date, dt.datetime]]] = defaultdict(list)
    for employee_id, day, first_in in ranked:
        found[employee_id].append((day, first_in))
    return {employee_id: [first_in for _day, first_in in sorted(rows, reverse=True)]
            for employee_id, rows in found.items()}


def refresh_arrival_baselines(as_of: dt.date, *, now: dt.datetime | None = None) -> int:
    """Store every serving employee's baseline for check-ins on `as_of` (an empty one for an employee without
    arrivals yet) and drop older ones. Idempotent; the nightly close runs it after closing the days."""
    now = now or timezone.now()
    tz = office_timezone()
    ids = list(Employee.objects.exclude(status__in=DEPARTED_STATUSES).order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        arrivals = _latest_arrivals(chunk, as_of, LIMITS.arrival_days)
        rows = [ArrivalBaseline(employee_id=employee_id, as_of=as_of, computed_at=now,
                                minutes=[local_minutes(moment, tz) for moment in arrivals.get(employee_id, [])])
                for employee_id in chunk]
        with transaction.atomic():
            ArrivalBaseline.objects.bulk_create(rows, update_conflicts=True, unique_fields=["employee"],
                                                update_fields=["as_of", "minutes", "computed_at"])
        written += len(rows)
    ArrivalBaseline.objects.exclude(as_of=as_of).delete()
    return written


def forget_arrival_baselines(employee_ids: Iterable[int], *, changed_from: dt.date) -> int:
    """Delete the baselines that a change to these employees' records on or after `changed_from` may have
    made stale (those of a later day); their check-ins read the records until the next close."""
    ids = list(employee_ids)
    if not ids:
        return 0
    return ArrivalBaseline.objects.filter(employee_id__in=ids, as_of__gt=changed_from).delete()[0]
