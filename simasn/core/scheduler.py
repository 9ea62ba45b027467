"""Periodic jobs: which task runs when, enqueued to the django-tasks worker by `manage.py run_scheduler`.

django-tasks runs tasks but does not schedule them. A job runs once per period (a day or a year), from its
local time on; a server that was down at that moment catches up when it starts, and `ScheduledRun` makes
each (job, period) run once however many schedulers are running. The jobs are listed here, not registered
from the apps, so the whole timetable of the installation is one table to read.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task
    at: dt.time  # local time (settings.TIME_ZONE) from which the job is due in its period
    yearly_on: tuple[int, int] | None = None  # (month, day); None: daily

    def period(self, now: dt.datetime) -> str:
        """The latest period whose run is due at `now` (local): before today's (this year's) time that is
        yesterday's (last year's), so a run missed while the server was down is caught up."""
        today = now.date()
        if self.yearly_on is None:
            return (today if now.time() >= self.at else today - dt.timedelta(days=1)).isoformat()
        due = dt.datetime.combine(dt.date(today.year, *self.yearly_on), self.at, tzinfo=now.tzinfo)
        return str(today.year if now >= due else today.year - 1)


JOBS: tuple[Job, ...] = (
    # Closes yesterday's attendance (TK/PSW become final) and opens today's records for the live board.
    Job("attendance.close_days", "simasn.attendance.tasks.close_days", dt.time(0, 5)),
    Job("attendance.purge_selfies", "simasn.attendance.tasks_capture.purge_expired_selfies", dt.time(2, 0)),
    # Year-end roll-over of cuti tahunan (entitlement and carry-over of the new year).
    Job("leave.rollover", "simasn.leave.tasks.rollover_annual_leave", dt.time(0, 30), yearly_on=(1, 1)),
    # Next year's libur nasional and cuti bersama, once the SKB is usually out.
    Job("workcalendar.sync_holidays", "simasn.workcalendar.tasks.sync_national_holidays", dt.time(3, 0),
        yearly_on=(11, 1)),
)


def enqueue_due(now: dt.datetime | None = None, *, jobs: tuple[Job, ...] = JOBS,
                enqueue: Callable[[str], object] | None = None) -> list[str]:
    """Enqueue every job due now and not yet run in its period; returns the names enqueued."""
    from .models import ScheduledRun

    now = timezone.localtime(now or timezone.now())
    enqueue = enqueue or (lambda path: import_string(path).enqueue())
    started = []
    for job in jobs:
        period = job.period(now)
        if ScheduledRun.objects.filter(job=job.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, period=period)
                enqueue(job.task)
        except IntegrityError:
            continue  # another scheduler took this period
        logger.info("scheduled job %s enqueued for %s", job.name, period)
        started.append(job.name)
    return started
