"""Periodic jobs are enqueued once per period, from their time on, and a late server catches up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string

from simasn.core.models import ScheduledRun
from simasn.core.scheduler import JOBS, Job, enqueue_due

WITA = ZoneInfo("Asia/Makassar")
DAILY = Job("uji.harian", "x.daily", dt.time(0, 5))
YEARLY = Job("uji.tahunan", "x.yearly", dt.time(0, 30), yearly_on=(1, 1))


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


@pytest.mark.parametrize(("job", "now", "period"), [
    (DAILY, at(2026, 11, 29, 0, 4), "2026-11-28"),  # not yet today's: yesterday's, if it was missed
    (DAILY, at(2026, 11, 29, 0, 5), "2026-11-29"),
    (DAILY, at(2026, 11, 29, 23, 0), "2026-11-29"),  # a server started late still runs today's
    (YEARLY, at(2026, 12, 31, 23, 59), "2026"),  # due since 1 January 00:30
    (YEARLY, at(2027, 1, 1, 0, 29), "2026"),
    (YEARLY, at(2027, 1, 1, 0, 30), "2027"),
])
def test_the_period_a_job_is_due_in(job, now, period):
    assert job.period(now) == period


@pytest.mark.django_db
def test_each_job_runs_once_per_period_however_often_the_scheduler_looks():
    enqueued = []
    jobs = (DAILY, YEARLY)
    # A fresh installation: today's daily run, and this year's run (due since 1 January).
    assert enqueue_due(at(2026, 11, 29, 9, 0), jobs=jobs, enqueue=enqueued.append) == ["uji.harian", "uji.tahunan"]
    assert enqueue_due(at(2026, 11, 29, 9, 1), jobs=jobs, enqueue=enqueued.append) == []
    assert enqueue_due(at(2026, 11, 30, 0, 4), jobs=jobs, enqueue=enqueued.append) == []
    assert enqueue_due(at(2026, 11, 30, 0, 5), jobs=jobs, enqueue=enqueued.append) == ["uji.harian"]
    assert enqueued == ["x.daily", "x.yearly", "x.daily"]
    assert ScheduledRun.objects.count() == 3


@pytest.mark.django_db
def test_a_failed_enqueue_leaves_the_period_open_for_the_next_look():
    def broken(path):
        raise RuntimeError("antrean tidak tersedia")

    with pytest.raises(RuntimeError):
        enqueue_due(at(2026, 11, 29, 9, 0), jobs=(DAILY,), enqueue=broken)
    assert not ScheduledRun.objects.exists()


def test_every_job_names_a_real_task():
    for job in JOBS:
        assert callable(getattr(import_string(job.task), "enqueue", None)), job.task


@pytest.mark.django_db
def test_run_scheduler_once_enqueues_the_due_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("run_scheduler", "--once")
    assert ScheduledRun.objects.filter(job="attendance.close_days").exists()
