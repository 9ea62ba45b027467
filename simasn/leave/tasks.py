"""Background jobs of the leave app (run by `manage.py db_worker`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import ledger


@task()
def rollover_annual_leave(year: int | None = None) -> dict[str, int]:
    """The year-end roll-over: grant the new year's cuti tahunan (hak + penangguhan) to every active employee.
    Schedule it for 1 January (it reads the closed previous year); running it again changes nothing."""
    return ledger.rollover_year(year or timezone.localdate().year)
