"""Daily records rebuilt from the database's sources: schedules, holidays, leave, events; in bulk, with a
constant number of queries, and idempotently (recomputing twice changes nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simasn.attendance.models import CheckInEvent, DailyRecord, EventKind, EventStatus, ReviewStatus
from simasn.attendance.recompute import compute_days, recompute_days
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave.models import RequestKind
from simasn.leave.tests.factories import AbsenceRequestFactory
from simasn.workcalendar import days
from simasn.workcalendar.models import ShiftRoster
from simasn.workcalendar.schedule_services import assignment_create
from simasn.workcalendar.tests.factories import HolidayFactory
from simasn.workcalendar.tests.schedule_helpers import SYSTEM, standard_schedules

from .records_helpers import MONDAY, at, store_event

FRIDAY = MONDAY + dt.timedelta(days=4)
SATURDAY = MONDAY + dt.timedelta(days=5)
SUNDAY = MONDAY + dt.timedelta(days=6)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)
LATER = at(NEXT_MONDAY, "23:00")  # every day of the week is over


@pytest.fixture
def std(org):
    made = standard_schedules()
    for unit in (org.opd_a, org.opd_b):
        assignment_create(actor=SYSTEM, schedule=made.five_day, unit=unit, effective_from=dt.date(2026, 1, 1))
    return made


def records(employee) -> dict[dt.date, DailyRecord]:
    return {r.date: r for r in DailyRecord.objects.filter(employee=employee)}


def test_a_week_of_one_employee(std, org):
    e = org.staff_a
    store_event(e, EventKind.IN, at(MONDAY, "07:25"))
    store_event(e, EventKind.OUT, at(MONDAY, "16:05"))
    store_event(e, EventKind.IN, at(MONDAY + dt.timedelta(days=1), "08:10"))  # late 40 min, no check-out
    store_event(e, EventKind.IN, at(SATURDAY, "09:00"))  # a Saturday visit: L, times kept
    HolidayFactory(date=MONDAY + dt.timedelta(days=3), name="Libur uji")  # Thursday
    AbsenceRequestFactory(employee=e, kind=RequestKind.CUTI, leave_type="tahunan", start_date=FRIDAY,
                          end_date=FRIDAY, working_days=1)

    stats = recompute_days([e.pk], MONDAY, SUNDAY, now=LATER)
    got = records(e)
    assert {d: r.codes for d, r in got.items()} == {
        MONDAY: ["H"],
        MONDAY + dt.timedelta(days=1): ["TL2", "PSW4"],
        MONDAY + dt.timedelta(days=2): ["TK"],
        FRIDAY: ["C"],
        SATURDAY: ["L"],
    }  # Thursday (holiday) and Sunday: no working period, no event → no record
    assert got[SATURDAY].first_in == at(SATURDAY, "09:00")
    assert got[MONDAY + dt.timedelta(days=1)].late_band == 2 and got[MONDAY + dt.timedelta(days=1)].early_band == 4
    assert got[FRIDAY].excuse_request_id is not None
    assert all(r.is_closed for r in got.values())
    assert stats == {"employees": 1, "written": 5, "deleted": 0, "unchanged": 0}


def test_recomputing_twice_changes_nothing_and_a_source_change_is_picked_up(std, org):
    e = org.staff_a
    store_event(e, EventKind.IN, at(MONDAY, "07:25"))
    recompute_days([e.pk], MONDAY, FRIDAY, now=LATER)
    before = list(DailyRecord.objects.filter(employee=e).values())
    again = recompute_days([e.pk], MONDAY, FRIDAY, now=LATER)
    assert again["written"] == again["deleted"] == 0
    assert list(DailyRecord.objects.filter(employee=e).values()) == before  # computed_at too

    store_event(e, EventKind.OUT, at(MONDAY, "16:00"))
    HolidayFactory(date=FRIDAY, name="Libur baru")
    days.invalidate()  # what the holiday services do on a change
    stats = recompute_days([e.pk], MONDAY, FRIDAY, now=LATER)
    assert stats["written"] == 1 and stats["deleted"] == 1  # Monday becomes H; Friday's TK goes away
    assert records(e)[MONDAY].codes == ["H"]
    assert FRIDAY not in records(e)


def test_pending_review_then_accepted(std, org):
    e = org.staff_a
    flagged = store_event(e, EventKind.IN, at(MONDAY, "07:20"), status=EventStatus.FLAGGED,
                          review=ReviewStatus.PENDING)
    store_event(e, EventKind.OUT, at(MONDAY, "16:10"))
    recompute_days([e.pk], MONDAY, MONDAY, now=LATER)
    day = records(e)[MONDAY]
    assert (day.codes, day.has_pending_review) == (["TL4"], True)
    CheckInEvent.objects.filter(pk=flagged.pk).update(review_status=ReviewStatus.ACCEPTED)
    recompute_days([e.pk], MONDAY, MONDAY, now=LATER)
    day = records(e)[MONDAY]
    assert (day.codes, day.has_pending_review) == (["H"], False)
    CheckInEvent.objects.filter(pk=flagged.pk).update(review_status=ReviewStatus.REJECTED)
    recompute_days([e.pk], MONDAY, MONDAY, now=LATER)
    assert records(e)[MONDAY].codes == ["TL4"]


def test_night_shift_check_out_next_morning(std, org):
    e = org.staff_b
    assignment_create(actor=SYSTEM, schedule=std.shift, employee=e, effective_from=dt.date(2026, 1, 1))
    ShiftRoster.objects.create(employee=e, date=MONDAY, shift=std.shift_of("malam"))
    store_event(e, EventKind.IN, at(MONDAY, "20:50"))
    store_event(e, EventKind.OUT, at(MONDAY + dt.timedelta(days=1), "08:03"),
                work_date=MONDAY + dt.timedelta(days=1))  # whatever the capture stored, the time decides
    recompute_days([e.pk], MONDAY, MONDAY + dt.timedelta(days=1), now=LATER)
    got = records(e)
    assert list(got) == [MONDAY]
    assert got[MONDAY].codes == ["H"]
    assert got[MONDAY].last_out == at(MONDAY + dt.timedelta(days=1), "08:03")
    # Recomputing only the Tuesday leaves Monday's night alone and creates nothing for Tuesday.
    assert recompute_days([e.pk], MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=1), now=LATER) == {
        "employees": 1, "written": 0, "deleted": 0, "unchanged": 0}


def test_leave_kinds_give_their_codes(std, org):
    people = [EmployeeFactory(unit=org.opd_a) for _ in range(3)]
    AbsenceRequestFactory(employee=people[0], kind=RequestKind.IZIN, leave_type="sakit", start_date=MONDAY,
                          end_date=MONDAY, working_days=1)
    AbsenceRequestFactory(employee=people[1], kind=RequestKind.DINAS_LUAR, leave_type="", start_date=MONDAY,
                          end_date=MONDAY, working_days=1, spt_number="SPT/1", destination="Kolaka")
    AbsenceRequestFactory(employee=people[2], kind=RequestKind.CUTI, start_date=MONDAY, end_date=MONDAY,
                          working_days=1, status="ditolak")  # rejected: not an excuse
    recompute_days([p.pk for p in people], MONDAY, MONDAY, now=LATER)
    assert [records(p)[MONDAY].codes for p in people] == [["S"], ["DL"], ["TK"]]


def test_days_after_today_get_no_record_and_today_is_open(std, org):
    e = org.staff_a
    store_event(e, EventKind.IN, at(MONDAY, "07:40"))
    recompute_days([e.pk], MONDAY, FRIDAY, now=at(MONDAY, "09:00"))
    got = records(e)
    assert list(got) == [MONDAY]
    assert (got[MONDAY].codes, got[MONDAY].is_closed, got[MONDAY].late_minutes) == (["TL1"], False, 10)


def test_departed_employees_are_left_alone(std, org):
    e = org.staff_a
    recompute_days([e.pk], MONDAY, MONDAY, now=LATER)
    e.status = "pensiun"
    e.save(update_fields=["status"])
    assert recompute_days([e.pk], MONDAY, MONDAY, now=LATER)["employees"] == 0
    assert records(e)[MONDAY].codes == ["TK"]


def test_queries_do_not_grow_with_employees_or_days(std, org, django_assert_max_num_queries):
    people = [EmployeeFactory(unit=org.opd_a if i % 2 else org.bidang_a) for i in range(30)]
    for p in people[:10]:
        store_event(p, EventKind.IN, at(MONDAY, "07:20"))
        store_event(p, EventKind.OUT, at(MONDAY, "16:20"))
    # employees (locked), schedules (assignments, rows, holidays…), excuses, events, stored rows, upsert,
    # savepoint bookkeeping: a constant.
    with django_assert_max_num_queries(16):
        recompute_days([p.pk for p in people], MONDAY, SUNDAY, now=LATER)
    assert DailyRecord.objects.count() == 30 * 5
    with django_assert_max_num_queries(16):
        compute_days([p.pk for p in people], MONDAY, SUNDAY, now=LATER)


TIMES = st.sampled_from(["06:55", "07:30", "07:31", "08:00", "08:01", "09:31", "12:00", "14:29", "15:30", "16:00",
                         "17:59", "20:55", "23:50"])
EVENTS = st.lists(st.tuples(st.integers(0, 7), TIMES, st.sampled_from([EventKind.IN, EventKind.OUT]),
                            st.sampled_from(["ok", "pending", "accepted", "rejected"])), max_size=14)
REVIEW = {"ok": (EventStatus.ACCEPTED, ""), "pending": (EventStatus.FLAGGED, ReviewStatus.PENDING),
          "accepted": (EventStatus.FLAGGED, ReviewStatus.ACCEPTED),
          "rejected": (EventStatus.FLAGGED, ReviewStatus.REJECTED)}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=EVENTS, night=st.booleans())
def test_property_recompute_twice_gives_identical_rows(std, org, events, night):
    e = org.staff_b
    CheckInEvent.objects.filter(employee=e).delete()
    DailyRecord.objects.filter(employee=e).delete()
    ShiftRoster.objects.filter(employee=e).delete()
    if night:
        ShiftRoster.objects.create(employee=e, date=MONDAY + dt.timedelta(days=2), shift=std.shift_of("malam"))
    for offset, hhmm, kind, review in events:
        status, review_status = REVIEW[review]
        store_event(e, kind, at(MONDAY + dt.timedelta(days=offset), hhmm), status=status, review=review_status)
    recompute_days([e.pk], MONDAY, SUNDAY, now=LATER)
    first = list(DailyRecord.objects.filter(employee=e).order_by("date").values())
    stats = recompute_days([e.pk], MONDAY, SUNDAY, now=LATER)
    assert stats["written"] == stats["deleted"] == 0
    assert list(DailyRecord.objects.filter(employee=e).order_by("date").values()) == first
    # what was written is what a fresh computation gives
    fresh = compute_days([e.pk], MONDAY, SUNDAY, now=LATER)
    assert {d: r.codes for (_e, d), (r, _x) in fresh.items()} == {row["date"]: row["codes"] for row in first}
    assert all(row["codes"] == ["L"] for row in first if row["date"].weekday() >= 5 and not night)


def test_the_upsert_writes_the_record_fields_in_their_declared_order():
    # recompute.upsert_records builds each row positionally in this order.
    from simasn.attendance.daily import RECORD_FIELDS

    assert RECORD_FIELDS == ("status", "codes", "first_in", "last_out", "late_minutes", "early_minutes",
                             "worked_minutes", "deduction_percent", "late_band", "early_band", "schedule_name",
                             "excuse_request_id", "has_pending_review", "is_closed")
