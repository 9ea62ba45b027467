"""Background jobs of the daily records (run by `manage.py db_worker`).

`close_days` is the nightly run (cron: `manage.py attendance_close_days`, or enqueue it shortly after
midnight): it closes yesterday, the day before (a night shift that started then ends this morning), and
opens today's records so the live board can count who is not in yet, then stores each employee's arrival
baseline for today's check-ins (baselines.py). `recompute_range` is the on-demand
rebuild after a bulk change (a schedule assignment, a holiday, an import of device logs).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from simasn.employees.models import Employee
from simasn.employees.selectors import DEPARTED_STATUSES

from .baselines import refresh_arrival_baselines
from .recompute import recompute_days

CLOSE_DAYS_BACK = 2


def close_days_now(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    ids = list(Employee.objects.exclude(status__in=DEPARTED_STATUSES).order_by("pk").values_list("pk", flat=True))
    stats = recompute_days(ids, today - dt.timedelta(days=CLOSE_DAYS_BACK), today)
    # After the days are closed, so the baselines hold yesterday's final arrivals.
    stats["baselines"] = refresh_arrival_baselines(today)
    return stats


@task()
def close_days(today: str | None = None) -> dict[str, int]:
    """Close the last days and open today for every serving employee; idempotent."""
    return close_days_now(dt.date.fromisoformat(today) if today else None)


@task()
def recompute_range(employee_ids: list[int] | None, start: str, end: str) -> dict[str, int]:
    """Recompute the given employees (None: every serving employee) from start to end (ISO dates)."""
    if employee_ids is None:
        employee_ids = list(Employee.objects.exclude(status__in=DEPARTED_STATUSES).values_list("pk", flat=True))
    return recompute_days(employee_ids, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
