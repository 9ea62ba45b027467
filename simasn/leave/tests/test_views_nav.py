"""The navigation entries of the leave pages (the context processor the base template reads)."""

from __future__ import annotations

from django.test import RequestFactory

from simasn.leave.context_processors import leave_nav
from simasn.leave.tests.conftest import TODAY, d
from simasn.leave.tests.ui_helpers import submit_cuti


def nav_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return leave_nav(request)["leave_nav"]


def test_a_pegawai_gets_his_page_but_no_inbox_or_calendar(world):
    nav = nav_for(world.users.staff_a)
    assert (nav.has_employee, nav.approver, nav.pending, nav.calendar) == (True, False, 0, False)


def test_an_atasan_gets_the_inbox_with_its_count_and_the_calendar(world):
    submit_cuti(world, d("2026-03-09"), d("2026-03-10"), today=TODAY)
    nav = nav_for(world.users.kabid)
    assert (nav.approver, nav.pending, nav.calendar) == (True, 1, True)


def test_an_admin_without_employee_record_gets_only_the_calendar(world):
    nav = nav_for(world.users.admin_opd_a)
    assert (nav.has_employee, nav.approver, nav.calendar) == (False, False, True)


def test_anonymous_gets_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert leave_nav(request) == {}
