"""The unit calendar: who is away on which day of a month, for an atasan's team or an admin's unit, built
from a constant number of queries."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simasn.accounts.tests.factories import UserFactory
from simasn.employees.models import Employee
from simasn.leave.calendar import unit_month_grid
from simasn.leave.models import AbsenceRequest, RequestKind, RequestStatus
from simasn.leave.tests.conftest import TODAY, d
from simasn.leave.tests.factories import AbsenceRequestFactory
from simasn.leave.tests.ui_helpers import freeze_today
from simasn.org.tests.factories import UnitFactory
from simasn.workcalendar import days
from simasn.workcalendar.models import Holiday, UnitHolidayException

URL = reverse("leave:calendar")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


def leave(employee, start, end, *, kind=RequestKind.CUTI, leave_type="tahunan", status=RequestStatus.APPROVED,
          **extra):
    return AbsenceRequestFactory(employee=employee, kind=kind, leave_type=leave_type, start_date=d(start),
                                 end_date=d(end), status=status, **extra)


def codes(grid, employee) -> dict[int, str]:
    row = next(r for r in grid.rows if r.employee_id == employee.pk)
    return {day: cell.code for day, cell in enumerate(row.cells, start=1)}


def css(grid, employee, day: int) -> str:
    return next(r for r in grid.rows if r.employee_id == employee.pk).cells[day - 1].css


def test_each_kind_has_its_code_on_the_days_it_covers(world):
    org = world.org
    leave(org.staff_a, "2026-03-09", "2026-03-10")  # Mon–Tue
    leave(org.staff_a2, "2026-03-11", "2026-03-11", kind=RequestKind.IZIN, leave_type="sakit",
          status=RequestStatus.PENDING)
    leave(org.staff_a2, "2026-03-13", "2026-03-15", kind=RequestKind.DINAS_LUAR, leave_type="")  # Fri–Sun
    leave(org.staff_a, "2026-03-16", "2026-03-16", kind=RequestKind.FLEKSIBEL, leave_type="")
    grid = unit_month_grid(viewer=world.users.kabid, year=2026, month=3)
    a, a2 = codes(grid, org.staff_a), codes(grid, org.staff_a2)
    assert [a[9], a[10], a[11], a[16]] == ["C", "C", "", "F"]
    assert (a[7], a[8]) == ("L", "L")  # Saturday, Sunday
    assert a2[11] == "I" and "lv-pending" in css(grid, org.staff_a2, 11)
    assert "lv-pending" not in css(grid, org.staff_a, 9) and "lv-c1" in css(grid, org.staff_a, 9)
    assert [a2[13], a2[14], a2[15]] == ["DL", "DL", "DL"]  # a trip runs over the weekend
    assert next(r for r in grid.rows if r.employee_id == org.staff_a.pk).away_days == 3
    assert [h.is_off for h in grid.days[6:9]] == [True, True, False]
    assert len(grid.days) == 31


def test_cuti_is_not_counted_on_a_holiday_and_a_cut_short_leave_ends_early(world):
    org = world.org
    Holiday.objects.create(date=d("2026-03-19"), name="Hari Suci Nyepi", category="libur_nasional")
    days.invalidate()
    leave(org.staff_a, "2026-03-16", "2026-03-20", cut_short_from=d("2026-03-20"))
    leave(org.staff_a2, "2026-03-02", "2026-03-03", status=RequestStatus.REJECTED)
    leave(org.staff_a2, "2026-03-04", "2026-03-04", status=RequestStatus.CANCELLED)
    grid = unit_month_grid(viewer=world.users.kabid, year=2026, month=3)
    a = codes(grid, org.staff_a)
    assert [a[16], a[17], a[18], a[19], a[20]] == ["C", "C", "C", "L", ""]
    assert next(h for h in grid.days if h.date.day == 19).holiday == "Hari Suci Nyepi"
    assert not {codes(grid, org.staff_a2)[i] for i in (2, 3, 4)} - {""}, "rejected and cancelled are not shown"


def test_a_unit_that_works_on_a_holiday_has_no_l_that_day(world):
    org = world.org
    Holiday.objects.create(date=d("2026-03-19"), name="Hari Suci Nyepi", category="libur_nasional")
    UnitHolidayException.objects.create(unit=org.bidang_a, date=d("2026-03-19"), note="Layanan tetap buka")
    days.invalidate()
    grid = unit_month_grid(viewer=world.users.admin_opd_a, year=2026, month=3, unit_id=org.opd_a.pk)
    assert codes(grid, org.head_a)[19] == "L"  # Dinas Alpha itself is closed
    assert codes(grid, org.staff_a)[19] == ""  # its bidang works


def test_a_leave_across_the_month_boundary_is_clipped(world):
    leave(world.org.staff_a, "2026-02-26", "2026-03-03")
    a = codes(unit_month_grid(viewer=world.users.kabid, year=2026, month=3), world.org.staff_a)
    assert [a[1], a[2], a[3], a[4]] == ["L", "C", "C", ""]


# ── The page and its scope ──────────────────────────────────────────────────────────────────────────────


def test_the_atasan_sees_his_team_and_nobody_else(world, client_for):
    leave(world.org.staff_a, "2026-03-09", "2026-03-10")
    response = client_for(world.users.kabid).get(URL, {"bulan": "2026-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Maret 2026" in html and "Tim saya" in html
    assert world.org.staff_a.full_name in html and world.org.staff_a2.full_name in html
    assert world.org.staff_b.full_name not in html and world.org.head_a.full_name not in html
    assert 'title="Cuti Tahunan">C</td>' in html
    assert 'name="unit"' not in html, "an atasan has no unit picker"


def test_an_employee_without_subordinates_may_not_open_it(world, client_for):
    assert client_for(world.users.staff_a).get(URL).status_code == 403


def test_an_admin_opd_sees_his_opd_and_cannot_pick_another(world, client_for):
    client = client_for(world.users.admin_opd_a)
    html = client.get(URL, {"bulan": "2026-03"}).content.decode()
    assert world.org.head_a.full_name in html and world.org.staff_a.full_name in html
    assert world.org.staff_b.full_name not in html
    assert f'value="{world.org.opd_b.pk}"' not in html
    assert client.get(URL, {"unit": world.org.opd_b.pk}).status_code == 404
    assert client.get(URL, {"unit": world.org.bidang_a.pk}).status_code == 200


def test_bkpsdm_picks_a_unit_first(world, client_for):
    client = client_for(world.users.admin_bkpsdm)
    assert "Pilih unit untuk melihat" in client.get(URL).content.decode()
    html = client.get(URL, {"unit": world.org.opd_b.pk, "bulan": "2026-03"}).content.decode()
    assert world.org.staff_b.full_name in html and world.org.staff_a.full_name not in html


def test_a_bad_month_falls_back_to_this_month(world, client_for):
    html = client_for(world.users.kabid).get(URL, {"bulan": "2026-13"}).content.decode()
    assert "Maret 2026" in html


# ── Cost ────────────────────────────────────────────────────────────────────────────────────────────────


def _staff(unit, n: int, start: int = 0) -> list[Employee]:
    """n employees of the unit (bulk), each with a request in March 2026 of a kind and status by turns."""
    submitter = UserFactory()
    people = Employee.objects.bulk_create([
        Employee(nip=f"19900101202001{i:04d}", kind="PNS", name=f"Staf Kalender {i:04d}",
                 birth_date=dt.date(1990, 1, 1), sex="L", unit=unit)
        for i in range(start, start + n)
    ])
    AbsenceRequest.objects.bulk_create([
        AbsenceRequest(employee=person, start_date=dt.date(2026, 3, 2 + i % 20),
                       end_date=dt.date(2026, 3, 2 + i % 20 + i % 4), reason="Uji",
                       kind=[RequestKind.CUTI, RequestKind.IZIN, RequestKind.DINAS_LUAR][i % 3],
                       leave_type=["tahunan", "sakit", ""][i % 3],
                       status=[RequestStatus.APPROVED, RequestStatus.PENDING][i % 2], submitted_by=submitter)
        for i, person in enumerate(people)
    ])
    return people


def test_the_query_count_does_not_grow_with_the_unit(world, client_for, django_assert_max_num_queries):
    unit = UnitFactory(name="Dinas Kalender", parent=None)
    client = client_for(world.users.admin_bkpsdm)
    _staff(unit, 5)
    params = {"unit": unit.pk, "bulan": "2026-03"}
    client.get(URL, params)  # the first call in a process loads the holiday table
    with CaptureQueriesContext(connection) as five:
        assert "5 pegawai" in client.get(URL, params).content.decode()
    _staff(unit, 45, start=5)
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert "50 pegawai" in client.get(URL, params).content.decode()


def test_an_opd_of_500_renders_well_within_budget(world, client_for):
    unit = UnitFactory(name="Dinas Besar", parent=None)
    _staff(unit, 500)
    client = client_for(world.users.admin_bkpsdm)
    params = {"unit": unit.pk, "bulan": "2026-03"}
    client.get(URL, params)
    started = time.perf_counter()
    html = client.get(URL, params).content.decode()
    elapsed = time.perf_counter() - started
    assert "500 pegawai" in html
    # The target is 200 ms on the server (measured 30–60 ms here); the bound leaves room for a slow CI box.
    assert elapsed < 0.6, f"{elapsed * 1000:.0f} ms"
