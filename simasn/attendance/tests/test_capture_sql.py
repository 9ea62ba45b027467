"""The check-in's hand-written statements (capture_sql) answer exactly what their ORM twins answer (below:
the queries capture.py ran until the switch, and the plain ORM query for earlier_arrivals), on the edges the
check-in relies on: the newest events first, none before `since` and no more than asked, a retry recognised
by its client_id only, the latest recorded arrivals before a day, approved absences by inclusive dates, other
employees on the same phone within an inclusive window. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from simasn.attendance import capture_sql
from simasn.attendance.models import CheckInEvent, DailyRecord, EventKind, EventStatus
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave.models import AbsenceRequest, RequestKind, RequestStatus
from simasn.leave.tests.factories import AbsenceRequestFactory

from .records_helpers import MONDAY, WITA, at, make_record

pytestmark = pytest.mark.django_db

TUESDAY, WEDNESDAY = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
EVER = at(MONDAY - dt.timedelta(days=30), "00:00")  # a `since` before every stored event


def stored(employee, when: dt.datetime, *, kind: str = EventKind.IN, client_id: uuid.UUID | None = None,
           device_id: str = "", **extra) -> CheckInEvent:
    """A stored event as capture stores it (records_helpers.store_event, plus the client and the device)."""
    return CheckInEvent.objects.create(
        employee=employee, kind=kind, server_time=when, client_time=when, work_date=when.astimezone(WITA).date(),
        client_id=client_id, device_id=device_id, body_hash=f"{when:%H%M%S}".ljust(64, "0"), **extra)


# --- the ORM twins --------------------------------------------------------------------------------------------

ORM_HISTORY_FIELDS = ("id", "kind", "server_time", "work_date", "latitude", "longitude", "client_id", "body_hash",
                      "status", "review_status", "excuse_request_id")


def orm_recent_events(employee_id: int, since: dt.datetime, limit: int, client_id: uuid.UUID | None = None
                      ) -> list[dict]:
    rows = list(CheckInEvent.objects.filter(employee_id=employee_id, server_time__gte=since)
                .order_by("-server_time").values(*ORM_HISTORY_FIELDS)[:limit])
    for row in rows:
        stored_client_id = row.pop("client_id")
        row["same_client"] = client_id is not None and stored_client_id == client_id
    return rows


def orm_earlier_arrivals(employee_id: int, before: dt.date, limit: int) -> list[dt.datetime]:
    return list(DailyRecord.objects.filter(employee_id=employee_id, date__lt=before, first_in__isnull=False)
                .order_by("-date").values_list("first_in", flat=True)[:limit])


def orm_has_approved_absence(employee_id: int, day: dt.date) -> bool:
    return AbsenceRequest.objects.filter(employee_id=employee_id, start_date__lte=day, end_date__gte=day,
                                         status=RequestStatus.APPROVED).exists()


def orm_employees_on_device(device_id: str, since: dt.datetime, until: dt.datetime, *, excluding: int,
                            limit: int = 20) -> tuple[int, ...]:
    return tuple(sorted(set(
        CheckInEvent.objects.filter(device_id=device_id, server_time__gte=since, server_time__lte=until)
        .exclude(employee_id=excluding).order_by().values_list("employee_id", flat=True)[:limit])))


def typed(rows: list[dict]) -> list[dict]:
    """Values with their types (True must not pass for 1, a UTC string for a datetime)."""
    return [{k: (type(v), v) for k, v in row.items()} for row in rows]


# --- recent_events ----------------------------------------------------------------------------------------------


@pytest.fixture
def history(org) -> dict[str, CheckInEvent]:
    """Five events of staff_a stored out of time order (insertion order must not decide), one of another
    employee in between, two of them with a client_id, one flagged and placed."""
    e = org.staff_a
    return {
        "tue_in": stored(e, at(TUESDAY, "07:41"), client_id=uuid.uuid4()),
        "mon_in": stored(e, at(MONDAY, "07:25"), latitude=-3.97, longitude=122.515),
        "wed_in": stored(e, at(WEDNESDAY, "07:30").replace(microsecond=250_000)),
        "other": stored(org.staff_a2, at(WEDNESDAY, "08:00"), client_id=uuid.uuid4()),
        "mon_out": stored(e, at(MONDAY, "16:05"), kind=EventKind.OUT, status=EventStatus.FLAGGED,
                          review_status="menunggu", client_id=uuid.uuid4()),
        "tue_out": stored(e, at(TUESDAY, "16:30"), kind=EventKind.OUT),
    }


def test_recent_events_are_the_newest_first_like_the_orm(org, history):
    got = capture_sql.recent_events(org.staff_a.pk, EVER, 40)
    assert [row["id"] for row in got] == [history[k].pk for k in ("wed_in", "tue_out", "tue_in", "mon_out", "mon_in")]
    assert typed(got) == typed(orm_recent_events(org.staff_a.pk, EVER, 40))
    assert got[0]["server_time"] == at(WEDNESDAY, "07:30").replace(microsecond=250_000)
    assert got[0]["work_date"] == WEDNESDAY and got[-1]["latitude"] == -3.97
    assert got[1]["excuse_request_id"] is None and got[3]["review_status"] == "menunggu"


def test_recent_events_stop_at_the_limit(org, history):
    got = capture_sql.recent_events(org.staff_a.pk, EVER, 2)
    assert [row["id"] for row in got] == [history["wed_in"].pk, history["tue_out"].pk]
    assert typed(got) == typed(orm_recent_events(org.staff_a.pk, EVER, 2))


def test_same_client_marks_only_the_event_with_that_client_id(org, history):
    client_id = history["mon_out"].client_id
    got = capture_sql.recent_events(org.staff_a.pk, EVER, 40, client_id)
    assert [row["id"] for row in got if row["same_client"]] == [history["mon_out"].pk]
    assert all(row["same_client"] is False for row in got if row["id"] != history["mon_out"].pk)
    assert typed(got) == typed(orm_recent_events(org.staff_a.pk, EVER, 40, client_id))


@pytest.mark.parametrize("client_id", [None, "unknown", "other employee's"])
def test_same_client_is_false_everywhere_without_a_match(org, history, client_id):
    client_id = {None: None, "unknown": uuid.uuid4(), "other employee's": history["other"].client_id}[client_id]
    got = capture_sql.recent_events(org.staff_a.pk, EVER, 40, client_id)
    assert len(got) == 5 and not any(row["same_client"] for row in got)  # NULL client_ids included
    assert typed(got) == typed(orm_recent_events(org.staff_a.pk, EVER, 40, client_id))


def test_recent_events_begin_at_since_inclusively(org, history):
    since = history["tue_in"].server_time
    got = capture_sql.recent_events(org.staff_a.pk, since, 40)
    assert [row["id"] for row in got] == [history[k].pk for k in ("wed_in", "tue_out", "tue_in")]
    assert typed(got) == typed(orm_recent_events(org.staff_a.pk, since, 40))
    just_after = since.astimezone(dt.UTC) + dt.timedelta(microseconds=1)
    assert [row["id"] for row in capture_sql.recent_events(org.staff_a.pk, just_after, 40)] == [
        history["wed_in"].pk, history["tue_out"].pk]


def test_an_employee_without_events_has_no_history(org, history):
    assert capture_sql.recent_events(org.staff_b.pk, EVER, 40, uuid.uuid4()) == []


# --- earlier_arrivals ------------------------------------------------------------------------------------------


def test_earlier_arrivals_are_the_latest_recorded_first_ins_before_the_day(org):
    e = org.staff_a
    days = {n: MONDAY - dt.timedelta(days=n) for n in range(1, 6)}
    for n, hhmm in ((1, "07:20"), (2, "07:35"), (3, None), (4, "07:05"), (5, "07:50")):  # day 3: no arrival
        make_record(e, days[n], ["H"] if hhmm else ["TK"], first_in=at(days[n], hhmm) if hhmm else None)
    make_record(e, MONDAY, ["H"], first_in=at(MONDAY, "07:00"))  # the day itself is not earlier
    make_record(org.staff_a2, days[1], ["H"], first_in=at(days[1], "06:00"))

    got = capture_sql.earlier_arrivals(e.pk, MONDAY, 3)
    assert got == [at(days[1], "07:20"), at(days[2], "07:35"), at(days[4], "07:05")]
    assert [(type(t), t) for t in got] == [(type(t), t) for t in orm_earlier_arrivals(e.pk, MONDAY, 3)]
    assert all(t.utcoffset() is not None for t in got)
    every = capture_sql.earlier_arrivals(e.pk, MONDAY, 20)
    assert every == orm_earlier_arrivals(e.pk, MONDAY, 20) and every[-1] == at(days[5], "07:50") and len(every) == 4
    assert capture_sql.earlier_arrivals(org.staff_b.pk, MONDAY, 20) == []


# --- has_approved_absence -------------------------------------------------------------------------------------


def test_an_approved_request_covers_its_days_inclusively_and_nothing_else(org):
    e = org.staff_a
    AbsenceRequestFactory(employee=e, kind=RequestKind.CUTI, start_date=MONDAY, end_date=WEDNESDAY, working_days=3)
    for status, day in ((RequestStatus.PENDING, MONDAY + dt.timedelta(days=7)),
                        (RequestStatus.REJECTED, MONDAY + dt.timedelta(days=8)),
                        (RequestStatus.CANCELLED, MONDAY + dt.timedelta(days=9))):
        AbsenceRequestFactory(employee=e, start_date=day, end_date=day, working_days=1, status=status)
    AbsenceRequestFactory(employee=org.staff_a2, kind=RequestKind.DINAS_LUAR, start_date=MONDAY - dt.timedelta(days=3),
                          end_date=MONDAY - dt.timedelta(days=1), working_days=1)

    days = [MONDAY + dt.timedelta(days=n) for n in range(-3, 11)]
    covered = {day for day in days if capture_sql.has_approved_absence(e.pk, day)}
    assert covered == {MONDAY, TUESDAY, WEDNESDAY}
    assert not any(capture_sql.has_approved_absence(org.staff_a2.pk, day) for day in days[3:])
    assert capture_sql.has_approved_absence(org.staff_a2.pk, MONDAY - dt.timedelta(days=1))
    for employee in (e, org.staff_a2, org.staff_b):
        assert [capture_sql.has_approved_absence(employee.pk, day) for day in days] == [
            orm_has_approved_absence(employee.pk, day) for day in days]


# --- employees_on_device --------------------------------------------------------------------------------------

SINCE, UNTIL = at(MONDAY, "07:00"), at(MONDAY, "07:30")


def test_other_employees_on_the_phone_within_the_inclusive_window(org):
    me = org.staff_a
    stored(me, at(MONDAY, "07:10"), device_id="hp-1")  # the caller himself
    stored(org.head_a, SINCE, device_id="hp-1")  # on the lower bound
    stored(org.staff_a2, at(MONDAY, "07:15"), device_id="hp-1")
    stored(org.staff_a2, at(MONDAY, "07:20"), device_id="hp-1")  # twice: counted once
    stored(org.staff_b, UNTIL, device_id="hp-1")  # on the upper bound
    stored(org.kabid, SINCE - dt.timedelta(microseconds=1), device_id="hp-1")  # just before
    stored(org.kabid, UNTIL + dt.timedelta(seconds=1), device_id="hp-1")  # just after
    stored(org.kabid, at(MONDAY, "07:15"), device_id="hp-2")  # another phone

    got = capture_sql.employees_on_device("hp-1", SINCE, UNTIL, excluding=me.pk)
    assert got == tuple(sorted([org.head_a.pk, org.staff_a2.pk, org.staff_b.pk]))
    assert got == orm_employees_on_device("hp-1", SINCE, UNTIL, excluding=me.pk)
    assert capture_sql.employees_on_device("hp-1", SINCE, UNTIL, excluding=org.staff_b.pk) == tuple(
        sorted([org.head_a.pk, me.pk, org.staff_a2.pk]))
    assert capture_sql.employees_on_device("hp-3", SINCE, UNTIL, excluding=me.pk) == ()


def test_the_window_bounds_hold_in_any_time_zone(org):
    stored(org.staff_b, UNTIL, device_id="hp-1")
    utc_until = UNTIL.astimezone(dt.UTC)
    assert capture_sql.employees_on_device("hp-1", SINCE.astimezone(dt.UTC), utc_until, excluding=0) == (
        org.staff_b.pk,)
    earlier = utc_until - dt.timedelta(microseconds=1)
    assert capture_sql.employees_on_device("hp-1", SINCE, earlier, excluding=0) == ()


def test_no_more_rows_than_the_limit_are_read(org):
    others = [EmployeeFactory(unit=org.bidang_a) for _ in range(4)]
    for n, employee in enumerate(others):
        stored(employee, SINCE + dt.timedelta(minutes=n), device_id="hp-1")
    everyone = {employee.pk for employee in others}

    got = capture_sql.employees_on_device("hp-1", SINCE, UNTIL, excluding=org.staff_a.pk, limit=2)
    assert len(got) == 2 and set(got) <= everyone and list(got) == sorted(got)
    assert len(orm_employees_on_device("hp-1", SINCE, UNTIL, excluding=org.staff_a.pk, limit=2)) == 2
    assert set(capture_sql.employees_on_device("hp-1", SINCE, UNTIL, excluding=org.staff_a.pk)) == everyone


# --- insert_event ---------------------------------------------------------------------------------------------


def test_a_repeated_client_id_raises_integrity_error_and_stores_nothing(org):
    client_id = uuid.uuid4()
    first = CheckInEvent(employee=org.staff_a, kind=EventKind.IN, server_time=SINCE, work_date=MONDAY,
                         client_id=client_id)
    capture_sql.insert_event(first)
    assert CheckInEvent.objects.get(client_id=client_id).pk == first.pk

    retry = CheckInEvent(employee=org.staff_a, kind=EventKind.IN, server_time=UNTIL, work_date=MONDAY,
                         client_id=client_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        capture_sql.insert_event(retry)
    assert list(CheckInEvent.objects.filter(employee=org.staff_a).values_list("pk", flat=True)) == [first.pk]


def test_events_without_a_client_id_never_collide(org):
    for when in (SINCE, UNTIL):
        capture_sql.insert_event(CheckInEvent(employee=org.staff_a, kind=EventKind.IN, server_time=when,
                                              work_date=MONDAY))
    assert CheckInEvent.objects.filter(employee=org.staff_a, client_id__isnull=True).count() == 2


# --- checkin_reads: the four parts in one statement -------------------------------------------------------------


@pytest.mark.parametrize("arrival_limit, device_id", [(20, "hp-1"), (None, ""), (3, "hp-9")])
def test_the_combined_read_answers_what_the_four_parts_answer(org, history, arrival_limit, device_id):
    e = org.staff_a
    for n, hhmm in ((1, "07:20"), (2, "07:35"), (4, "07:05")):
        day = MONDAY - dt.timedelta(days=n)
        make_record(e, day, ["H"], first_in=at(day, hhmm))
    AbsenceRequestFactory(employee=e, kind=RequestKind.DINAS_LUAR, start_date=WEDNESDAY, end_date=WEDNESDAY,
                          status=RequestStatus.APPROVED)
    stored(org.staff_a2, at(WEDNESDAY, "07:29"), device_id="hp-1")
    stored(org.staff_b, at(WEDNESDAY, "07:31"), device_id="hp-1")
    client_id = CheckInEvent.objects.get(pk=history["mon_out"].pk).client_id
    since, until = at(WEDNESDAY, "07:00"), at(WEDNESDAY, "07:45")

    got = capture_sql.checkin_reads(employee_id=e.pk, since=EVER, limit=4, client_id=client_id, day=WEDNESDAY,
                                    arrival_limit=arrival_limit, device_id=device_id, device_since=since,
                                    device_until=until)
    assert typed(got.events) == typed(capture_sql.recent_events(e.pk, EVER, 4, client_id))
    assert [row["same_client"] for row in got.events] == [False, False, False, True]
    assert got.on_leave is capture_sql.has_approved_absence(e.pk, WEDNESDAY) is True
    if arrival_limit:
        assert got.arrivals == capture_sql.earlier_arrivals(e.pk, WEDNESDAY, arrival_limit)
        assert len(got.arrivals) == min(arrival_limit, 3)
    else:
        assert got.arrivals is None
    expected_device = capture_sql.employees_on_device(device_id, since, until, excluding=e.pk) if device_id else ()
    assert got.device_employees == expected_device
    assert got.device_employees == (tuple(sorted([org.staff_a2.pk, org.staff_b.pk])) if device_id == "hp-1"
                                     else ())


def test_the_combined_read_is_one_statement(org, history, django_assert_num_queries):
    with django_assert_num_queries(1):
        capture_sql.checkin_reads(employee_id=org.staff_a.pk, since=EVER, limit=40, client_id=uuid.uuid4(),
                                  day=WEDNESDAY, arrival_limit=20, device_id="hp-1", device_since=EVER,
                                  device_until=at(WEDNESDAY, "23:00"))


# --- insert_event_with_day: the event and its day, both or neither ----------------------------------------------


def _new_event(employee, when: dt.datetime, client_id: uuid.UUID) -> CheckInEvent:
    return CheckInEvent(employee=employee, kind=EventKind.IN, server_time=when, client_time=when,
                        work_date=when.astimezone(WITA).date(), client_id=client_id, body_hash="b" * 64,
                        flags=["OUTSIDE_WINDOW"], flag_details={"OUTSIDE_WINDOW": {"minutes": 3.5}})


def _write_both_or_neither(employee) -> None:
    from simasn.attendance.daily import DayResult

    first = _new_event(employee, at(MONDAY, "07:31"), uuid.uuid4())
    day = DayResult(status="TL", codes=["TL1"], first_in=first.server_time, late_minutes=1, has_pending_review=True)
    capture_sql.insert_event_with_day(first, day, at(MONDAY, "07:31"))
    assert first.pk is not None and not first._state.adding
    stored_event = CheckInEvent.objects.get(pk=first.pk)
    assert (stored_event.client_id, stored_event.flags) == (first.client_id, ["OUTSIDE_WINDOW"])
    record = DailyRecord.objects.get(employee=employee, date=MONDAY)
    assert (record.status, record.codes, record.first_in, record.late_minutes) == ("TL", ["TL1"], first.server_time, 1)

    again = _new_event(employee, at(MONDAY, "07:40"), first.client_id)  # the same client_id: refused whole
    with pytest.raises(IntegrityError):
        capture_sql.insert_event_with_day(again, DayResult(status="H", codes=["H"]), at(MONDAY, "07:40"))
    assert CheckInEvent.objects.filter(employee=employee).count() == 1
    assert DailyRecord.objects.get(employee=employee, date=MONDAY).status == "TL"


def test_an_event_and_its_day_are_stored_together_or_not_at_all(org):
    _write_both_or_neither(org.staff_a)
    assert CheckInEvent.objects.count() == 1  # the caller's transaction survived the refusal


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_too(org):
    """In autocommit (a request) PostgreSQL runs it as one statement without BEGIN/COMMIT: still both or neither."""
    _write_both_or_neither(org.staff_a)
