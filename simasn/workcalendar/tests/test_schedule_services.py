"""Schedule writes: admin BKPSDM makes and edits schedules and Ramadan periods; an admin OPD assigns schedules
and draws up rosters inside his own subtree only. Bad times are refused with a message, nothing half-written;
every write is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.core.errors import DomainError, Forbidden
from simasn.core.models import AuditEvent
from simasn.workcalendar import schedule_services as svc
from simasn.workcalendar.models import RamadanPeriod, ScheduleAssignment, ShiftRoster, WorkSchedule

from .schedule_helpers import SYSTEM, assign, standard_schedules

D = dt.date
T = dt.time
MONDAY = D(2026, 6, 8)


@pytest.fixture
def std(db):
    return standard_schedules()


def _block(**changes):
    base = dict(start=T(7, 30), end=T(16, 0), break_minutes=60, checkin_open=T(7, 0), checkin_close=T(8, 0),
                checkout_open=T(16, 0), checkout_close=T(18, 0), ends_next_day=False)
    base.update(changes)
    return svc.Block(**base)


def _create(actor, name="Jadwal uji", **block_changes):
    return svc.schedule_create(actor=actor, name=name, kind="five_day", grace_minutes=5,
                               days=[svc.DaySpec(0, _block(**block_changes))])


@pytest.mark.parametrize(("changes", "message"), [
    ({"end": T(7, 0)}, "jam selesai harus setelah jam mulai"),
    ({"end": T(8, 0), "ends_next_day": True, "checkout_open": T(8, 0), "checkout_close": T(9, 0)},
     "lebih dari 24 jam"),
    ({"break_minutes": 600}, "istirahat harus kurang"),
    ({"checkin_open": T(9, 0), "checkin_close": T(8, 0)}, "jendela masuk ditutup sebelum dibuka"),
    ({"checkin_open": T(6, 0), "checkin_close": T(7, 0)}, "jam mulai harus di dalam jendela masuk"),
    ({"checkout_open": T(16, 30)}, "jam selesai harus di dalam jendela pulang"),
])
def test_bad_times_are_refused_with_the_day_named(db, changes, message):
    with pytest.raises(DomainError) as refused:
        _create(SYSTEM, **changes)
    assert message in refused.value.message and refused.value.message.startswith("Senin")
    assert not WorkSchedule.objects.exists()


def test_schedule_shape_rules(std):
    with pytest.raises(DomainError, match="sudah ada"):
        _create(SYSTEM, name=std.five_day.name.upper())
    with pytest.raises(DomainError, match="Toleransi"):
        svc.schedule_create(actor=SYSTEM, name="X", kind="five_day", grace_minutes=500,
                            days=[svc.DaySpec(0, _block())])
    with pytest.raises(DomainError, match="minimal satu shift"):
        svc.schedule_create(actor=SYSTEM, name="X", kind="shift")
    with pytest.raises(DomainError, match="sekali"):
        svc.schedule_create(actor=SYSTEM, name="X", kind="five_day",
                            days=[svc.DaySpec(0, _block()), svc.DaySpec(0, _block())])


def test_only_bkpsdm_edits_schedules(std, users):
    for user in (users.admin_opd_a, users.pimpinan, users.staff_a):
        with pytest.raises(Forbidden):
            _create(user)
        with pytest.raises(Forbidden):
            svc.ramadan_create(actor=user, name="R", start_date=MONDAY, end_date=MONDAY)
    schedule = _create(users.admin_bkpsdm)
    event = AuditEvent.objects.get(action="workcalendar.schedule_created", object_id=str(schedule.pk))
    assert event.after["days"][0]["start"] == "07:30:00"


def test_update_replaces_days_keeps_rostered_shifts(std, org):
    assign(std.shift, unit=org.opd_b)
    ShiftRoster.objects.create(employee=org.staff_b, date=MONDAY, shift=std.shift_of("malam"))
    specs = svc.specs_from_template("shift")
    kept = [s for s in specs["shifts"] if s.code != "siang"]
    updated = svc.schedule_update(actor=SYSTEM, schedule=std.shift, **{**specs, "shifts": kept, "grace_minutes": 10})
    assert sorted(updated.shifts.values_list("code", flat=True)) == ["malam", "pagi"]
    assert updated.grace_minutes == 10
    without_night = [s for s in specs["shifts"] if s.code != "malam"]
    with pytest.raises(DomainError, match="masih dipakai"):
        svc.schedule_update(actor=SYSTEM, schedule=std.shift, **{**specs, "shifts": without_night})
    assert std.shift.shifts.filter(code="malam").exists()
    five = svc.specs_from_template("five_day")
    svc.schedule_update(actor=SYSTEM, schedule=std.five_day, **{**five, "days": five["days"][:3]})
    assert std.five_day.days.count() == 3


def test_deactivation_waits_for_the_assignments_to_end(std, org):
    a = assign(std.six_day, unit=org.opd_b, start=D(2025, 1, 1))
    with pytest.raises(DomainError, match="masih ditetapkan"):
        svc.schedule_set_active(actor=SYSTEM, schedule=std.six_day, active=False)
    svc.assignment_end(actor=SYSTEM, assignment=a, effective_to=D(2025, 12, 31))
    assert not svc.schedule_set_active(actor=SYSTEM, schedule=std.six_day, active=False).is_active
    with pytest.raises(DomainError, match="tidak aktif"):
        assign(std.six_day, unit=org.opd_a)


def test_ramadan_period_rules(db):
    svc.ramadan_create(actor=SYSTEM, name="Ramadan 1448 H", start_date=D(2027, 2, 8), end_date=D(2027, 3, 9))
    with pytest.raises(DomainError, match="bertumpang tindih"):
        svc.ramadan_create(actor=SYSTEM, name="Lagi", start_date=D(2027, 3, 1), end_date=D(2027, 3, 20))
    with pytest.raises(DomainError, match="paling lama"):
        svc.ramadan_create(actor=SYSTEM, name="Panjang", start_date=D(2028, 1, 1), end_date=D(2028, 3, 1))
    with pytest.raises(DomainError, match="sebelum tanggal mulai"):
        svc.ramadan_create(actor=SYSTEM, name="Terbalik", start_date=D(2028, 2, 1), end_date=D(2028, 1, 1))
    assert RamadanPeriod.objects.count() == 1


def test_admin_opd_assigns_only_inside_his_subtree(std, org, users):
    mine = svc.assignment_create(actor=users.admin_opd_a, schedule=std.six_day, unit=org.bidang_a,
                                 effective_from=MONDAY)
    svc.assignment_create(actor=users.admin_opd_a, schedule=std.shift, employee=org.staff_a, effective_from=MONDAY)
    with pytest.raises(Forbidden):
        svc.assignment_create(actor=users.admin_opd_a, schedule=std.six_day, unit=org.opd_b, effective_from=MONDAY)
    with pytest.raises(Forbidden):
        svc.assignment_create(actor=users.admin_opd_a, schedule=std.six_day, employee=org.staff_b,
                              effective_from=MONDAY)
    theirs = assign(std.five_day, unit=org.opd_b, start=MONDAY)
    with pytest.raises(Forbidden):
        svc.assignment_end(actor=users.admin_opd_a, assignment=theirs, effective_to=MONDAY)
    with pytest.raises(Forbidden):
        svc.assignment_create(actor=users.staff_a, schedule=std.six_day, employee=org.staff_a, effective_from=MONDAY)
    assert AuditEvent.objects.filter(action="workcalendar.assignment_created", object_id=str(mine.pk)).exists()


def test_assignment_input_rules(std, org):
    with pytest.raises(DomainError, match="satu sasaran"):
        svc.assignment_create(actor=SYSTEM, schedule=std.five_day, unit=org.opd_a, employee=org.staff_a,
                              effective_from=MONDAY)
    with pytest.raises(DomainError, match="sebelum tanggal mulai"):
        assign(std.five_day, unit=org.opd_a, start=MONDAY, end=MONDAY - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="rentang"):
        assign(std.five_day, unit=org.opd_a, start=D(1990, 1, 1))
    started = assign(std.five_day, unit=org.opd_a, start=D(2026, 1, 1))
    with pytest.raises(DomainError, match="akhiri"):
        svc.assignment_delete(actor=SYSTEM, assignment=started)
    future = assign(std.six_day, employee=org.staff_a, start=D(2027, 1, 4))
    svc.assignment_delete(actor=SYSTEM, assignment=future)
    assert not ScheduleAssignment.objects.filter(pk=future.pk).exists()


def _week(employee, code_by_day, std):
    return [(employee.pk, MONDAY + dt.timedelta(days=i), std.shift_of(code).pk if code else None)
            for i, code in enumerate(code_by_day)]


def test_roster_a_week_and_change_it(std, org, users):
    assign(std.shift, unit=org.bidang_a)
    entries = _week(org.staff_a, ["pagi", "pagi", "siang", "malam", None, None, "pagi"], std)
    entries += _week(org.staff_a2, ["malam"] * 7, std)
    counts = svc.roster_set_week(actor=users.admin_opd_a, unit=org.opd_a, week_start=MONDAY, entries=entries)
    assert counts == {"created": 12, "updated": 0, "cleared": 0}
    again = svc.roster_set_week(actor=users.admin_opd_a, unit=org.opd_a, week_start=MONDAY, entries=entries)
    assert again == {"created": 0, "updated": 0, "cleared": 0}  # idempotent
    changed = _week(org.staff_a, [None, "siang", "siang", "malam", None, None, "pagi"], std)
    counts = svc.roster_set_week(actor=users.admin_opd_a, unit=org.opd_a, week_start=MONDAY, entries=changed)
    assert counts == {"created": 0, "updated": 1, "cleared": 1}
    assert ShiftRoster.objects.filter(employee=org.staff_a).count() == 4
    assert AuditEvent.objects.filter(action="workcalendar.roster_set").count() == 2


def test_roster_refusals(std, org, users):
    assign(std.shift, unit=org.bidang_a)
    assign(std.five_day, unit=org.opd_b)
    with pytest.raises(Forbidden):
        svc.roster_set_week(actor=users.admin_opd_a, unit=org.opd_b, week_start=MONDAY,
                            entries=_week(org.staff_b, ["pagi"], std))
    with pytest.raises(DomainError, match="bukan pegawai unit ini"):
        svc.roster_set_week(actor=SYSTEM, unit=org.bidang_a, week_start=MONDAY,
                            entries=_week(org.staff_b, ["pagi"], std))
    with pytest.raises(DomainError, match="tidak mengikuti jadwal shift"):
        svc.roster_set_week(actor=SYSTEM, unit=org.opd_b, week_start=MONDAY, entries=_week(org.staff_b, ["pagi"], std))
    with pytest.raises(DomainError, match="di luar rentang"):
        svc.roster_set_week(actor=SYSTEM, unit=org.opd_a, week_start=MONDAY,
                            entries=[(org.staff_a.pk, MONDAY + dt.timedelta(days=8), std.shift_of("pagi").pk)])
    with pytest.raises(DomainError, match="paling lama"):
        svc.roster_set(actor=SYSTEM, unit=org.opd_a, start=MONDAY, end=MONDAY + dt.timedelta(days=40), entries=[])
    # all or nothing: one bad entry, nothing written
    good_then_bad = _week(org.staff_a, ["pagi"], std) + [(org.staff_a2.pk, MONDAY, 999999)]
    with pytest.raises(DomainError):
        svc.roster_set_week(actor=SYSTEM, unit=org.opd_a, week_start=MONDAY, entries=good_then_bad)
    assert not ShiftRoster.objects.exists()
