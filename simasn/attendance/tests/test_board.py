"""The live board: counts per unit and for the scope from today's records, the latest check-ins, scope per
role, and the polling endpoint (204 while nothing changed, the new check-in right after it happens)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from simasn.attendance.board import board_data
from simasn.attendance.models import EventKind, EventStatus, ReviewStatus
from simasn.attendance.selectors import ATASAN, CITY, UNIT, monitoring_scope
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.models import OfficeLocation

from .records_helpers import at, make_record, store_event

pytestmark = pytest.mark.urls("simasn.attendance.tests.urls_records")


@pytest.fixture
def today(org):
    """Today's records: in OPD A staff_a on time, staff_a2 late, kabid not in yet, head_a on cuti; in OPD B
    staff_b present with a flagged check-in waiting for review."""
    day = timezone.localdate()
    make_record(org.staff_a, day, ["H"], first_in=at(day, "07:20"))
    make_record(org.staff_a2, day, ["TL2"], first_in=at(day, "08:10"), late=40)
    make_record(org.kabid, day, [])
    make_record(org.head_a, day, ["C"])
    make_record(org.staff_b, day, ["H"], first_in=at(day, "07:25"), pending=True)
    store_event(org.staff_a, EventKind.IN, at(day, "07:20"))
    store_event(org.staff_a2, EventKind.IN, at(day, "08:10"))
    store_event(org.staff_b, EventKind.IN, at(day, "07:25"), status=EventStatus.FLAGGED, review=ReviewStatus.PENDING)
    store_event(org.staff_b, EventKind.IN, at(day - dt.timedelta(days=1), "07:25"))  # yesterday: not on the board
    return day


def test_scope_by_role(org, users):
    assert monitoring_scope(users.pimpinan).kind == CITY
    assert monitoring_scope(users.admin_bkpsdm).kind == CITY
    assert monitoring_scope(users.admin_opd_a).kind == UNIT
    assert monitoring_scope(users.kabid).kind == ATASAN
    assert monitoring_scope(users.staff_a) is None


def test_city_counts_and_latest(org, users, today):
    board = board_data(scope=monitoring_scope(users.pimpinan))
    t = board.total
    assert (t.expected, t.present, t.late, t.not_yet, t.away, t.pending) == (5, 3, 1, 1, 1, 1)
    assert board.flagged_today == 1
    assert [e.employee for e in board.latest] == [org.staff_a2, org.staff_b, org.staff_a]  # newest (by time) first
    by_unit = {row.unit.name: (row.counts.expected, row.counts.present) for row in board.groups}
    assert by_unit == {"Dinas Alpha": (4, 2), "Badan Beta": (1, 1)}  # bidang rolled up to its OPD


def test_admin_opd_sees_his_opd_per_sub_unit(org, users, today):
    board = board_data(scope=monitoring_scope(users.admin_opd_a))
    assert board.total.expected == 4
    assert org.staff_b not in [e.employee for e in board.latest]
    rows = {row.unit.name: row.counts for row in board.groups}
    assert (rows["Bidang Alpha Satu"].present, rows["Bidang Alpha Satu"].not_yet) == (2, 1)  # kabid not in yet
    assert (rows["Dinas Alpha"].expected, rows["Dinas Alpha"].away) == (1, 1)  # the kepala, on cuti


def test_atasan_sees_his_bawahan_only(org, users, today):
    board = board_data(scope=monitoring_scope(users.kabid))
    assert (board.total.expected, board.total.present, board.total.late) == (2, 2, 1)


def test_board_query_count_does_not_grow(org, users, today, django_assert_max_num_queries):
    for _ in range(20):
        e = EmployeeFactory(unit=org.bidang_a)
        make_record(e, today, ["H"], first_in=at(today, "07:10"))
        store_event(e, EventKind.IN, at(today, "07:10"))
    scope = monitoring_scope(users.pimpinan)
    with django_assert_max_num_queries(5):
        board_data(scope=scope)


def test_a_past_day_shows_only_that_days_check_ins(org, users, today):
    """A board read for yesterday (the benchmark mocks the clock so) must not list or count today's events."""
    yesterday_noon = at(today - dt.timedelta(days=1), "12:00")
    board = board_data(scope=monitoring_scope(users.pimpinan), now=yesterday_noon)
    assert [e.employee for e in board.latest] == [org.staff_b]
    assert board.flagged_today == 0


def test_board_page_per_role(org, users, client_for, today):
    OfficeLocation.objects.create(unit=org.opd_a, name="Kantor Dinas Alpha", latitude=-3.99, longitude=122.51,
                                  radius_m=100)
    page = client_for(users.pimpinan).get(reverse("attendance:board"))
    assert page.status_code == 200
    assert "Pantauan Presensi" in page.text and "Dinas Alpha" in page.text and "Kantor Dinas Alpha" in page.text
    assert 'hx-trigger="every 3s"' in page.text
    # Coordinates as map apps read them: a decimal point, not the Indonesian decimal comma ("-3,99000, 122,51000").
    assert "-3.99000, 122.51000" in page.text
    opd = client_for(users.admin_opd_a).get(reverse("attendance:board"))
    assert opd.status_code == 200 and org.staff_b.name not in opd.text
    assert client_for(users.staff_a).get(reverse("attendance:board")).status_code == 403
    # a unit outside the admin's scope is a 404, like a missing one
    assert client_for(users.admin_opd_a).get(reverse("attendance:board") + f"?unit={org.opd_b.pk}").status_code == 404
    drilled = client_for(users.pimpinan).get(reverse("attendance:board") + f"?unit={org.opd_a.pk}")
    assert drilled.status_code == 200 and "Bidang Alpha Satu" in drilled.text


def test_polling_answers_204_until_a_new_check_in(org, users, client_for, today):
    client = client_for(users.pimpinan)
    scope = monitoring_scope(users.pimpinan)
    board = board_data(scope=scope)
    url = reverse("attendance:board_live")
    same = client.get(url, {"after": board.last_event_id, "v": board.version})
    assert same.status_code == 204

    newcomer = EmployeeFactory(unit=org.opd_b, name="Pegawai Baru Datang")
    store_event(newcomer, EventKind.IN, timezone.now())
    changed = client.get(url, {"after": board.last_event_id, "v": board.version})
    assert changed.status_code == 200
    assert "Pegawai Baru Datang" in changed.text
    assert 'id="papan-langsung"' in changed.text and "<html" not in changed.text  # the fragment only
    assert "list-group-item-success" in changed.text  # the new one is highlighted
    assert client_for(users.staff_a).get(url).status_code == 403
