"""The daily status rules of DOMAIN §3, one row per case, on a normal Monday (07:30–16:00, no grace period,
masuk window 07:00–08:00, pulang window 16:00–18:00), judged after the day is over unless a row says so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from simasn.attendance.daily import derive_day, summary_dict, work_date_of
from simasn.attendance.models import EventStatus, ReviewStatus
from simasn.attendance.rules_data import SCHEMES

from .records_helpers import MONDAY, WITA, at, check_in, check_out, excuse, expected, night_shift

DAY_OVER = at(MONDAY, "23:00")
TUESDAY = MONDAY + dt.timedelta(days=1)


def judge(ins=(), outs=(), *, exp=None, now=DAY_OVER, **kw):
    events = [check_in(at(MONDAY, t)) for t in ins] + [check_out(at(MONDAY, t)) for t in outs]
    return derive_day(day=MONDAY, expected=exp or expected(), events=events, now=now, tz=WITA, **kw)


@pytest.mark.parametrize(("check_in_at", "check_out_at", "late", "early", "codes", "percent"), [
    # on time
    ("07:25", "16:05", 0, 0, ["H"], "0"),
    ("07:30", "16:00", 0, 0, ["H"], "0"),
    ("07:30:59", "16:00", 0, 0, ["H"], "0"),  # whole minutes: 59 seconds late is not a minute late
    # TL1: 1–30 minutes late
    ("07:31", "16:00", 1, 0, ["TL1"], "0.5"),
    ("08:00", "16:00", 30, 0, ["TL1"], "0.5"),
    # TL2: 31–60
    ("08:01", "16:00", 31, 0, ["TL2"], "1"),
    ("08:30", "16:00", 60, 0, ["TL2"], "1"),
    # TL3: 61–90
    ("08:31", "16:00", 61, 0, ["TL3"], "1.25"),
    ("09:00", "16:00", 90, 0, ["TL3"], "1.25"),
    # TL4: more than 90
    ("09:01", "16:00", 91, 0, ["TL4"], "1.5"),
    # PSW1–PSW4 by minutes before the end (16:00)
    ("07:30", "15:30", 0, 30, ["PSW1"], "0.5"),
    ("07:30", "15:29", 0, 31, ["PSW2"], "1"),
    ("07:30", "15:00", 0, 60, ["PSW2"], "1"),
    ("07:30", "14:59", 0, 61, ["PSW3"], "1.25"),
    ("07:30", "14:30", 0, 90, ["PSW3"], "1.25"),
    ("07:30", "14:29", 0, 91, ["PSW4"], "1.5"),
    # late and early on the same day: both deductions
    ("08:01", "15:29", 31, 31, ["TL2", "PSW2"], "2"),
])
def test_minutes_late_and_early_fall_into_the_bands(check_in_at, check_out_at, late, early, codes, percent):
    day = judge([check_in_at], [check_out_at])
    assert (day.late_minutes, day.early_minutes, day.codes) == (late, early, codes)
    assert day.deduction_percent == Decimal(percent)
    assert day.is_closed


@pytest.mark.parametrize(("ins", "outs", "codes", "status", "percent"), [
    (["07:20"], [], ["PSW4"], "PSW", "1.5"),  # no check-out → PSW4
    ([], ["16:10"], ["TL4"], "TL", "1.5"),  # no check-in → TL4
    ([], [], ["TK"], "TK", "3"),  # neither → TK, whole day
])
def test_missing_events(ins, outs, codes, status, percent):
    day = judge(ins, outs)
    assert (day.codes, day.status, day.deduction_percent) == (codes, status, Decimal(percent))


def test_grace_period_is_taken_off_before_the_bands():
    assert judge(["07:45"], ["16:00"], exp=expected(grace=15)).codes == ["H"]
    day = judge(["07:46"], ["16:00"], exp=expected(grace=15))
    assert (day.late_minutes, day.codes) == (1, ["TL1"])


def test_scheme_b_deducts_more_for_the_higher_bands():
    assert judge(["09:01"], ["16:00"], scheme=SCHEMES["B"]).deduction_percent == Decimal(2)
    assert judge([], [], scheme=SCHEMES["B"]).deduction_percent == Decimal(4)


def test_first_in_and_last_out_and_worked_minutes():
    day = judge(["07:40", "07:20"], ["12:00", "16:10"])
    assert (day.first_in, day.last_out) == (at(MONDAY, "07:20"), at(MONDAY, "16:10"))
    assert day.worked_minutes == 8 * 60 + 50 - 60  # the 60-minute break is not work


# ── days without work, and excused days ───────────────────────────────────────────────────────────────

def test_weekend_or_holiday_is_l_even_with_a_check_in():
    # The schedule resolver gives no working period on a weekend or holiday.
    day = derive_day(day=MONDAY, expected=None, events=[check_in(at(MONDAY, "08:00"))], now=DAY_OVER, tz=WITA)
    assert (day.status, day.codes, day.deduction_percent) == ("L", ["L"], 0)
    assert day.first_in == at(MONDAY, "08:00")


@pytest.mark.parametrize(("kind", "leave_type", "code"), [
    ("cuti", "tahunan", "C"),
    ("cuti", "besar", "C"),
    ("cuti", "sakit", "C"),
    ("izin", "sakit", "S"),
    ("dinas_luar", "", "DL"),
])
def test_an_approved_excuse_gives_its_code_and_no_deduction(kind, leave_type, code):
    day = judge([], [], excuse=excuse(kind, leave_type, request_id=7))
    assert (day.status, day.codes, day.deduction_percent, day.excuse_request_id) == (code, [code], 0, 7)


def test_tugas_belajar_and_cltn_by_employee_status():
    assert judge([], [], employee_status="tugas_belajar").codes == ["TB"]
    assert judge([], [], employee_status="cltn").codes == ["C"]


def test_flexible_work_is_h_when_checked_in_at_its_place():
    place = excuse("fleksibel", request_id=9)
    there = [check_in(at(MONDAY, "09:30"), excuse_request_id=9)]
    day = derive_day(day=MONDAY, expected=expected(), excuse=place, events=there, now=DAY_OVER, tz=WITA)
    assert (day.codes, day.deduction_percent) == (["H"], 0)
    # Not at its place: judged by the events like any day.
    elsewhere = [check_in(at(MONDAY, "09:30"))]
    day = derive_day(day=MONDAY, expected=expected(), excuse=place, events=elsewhere, now=DAY_OVER, tz=WITA)
    assert day.codes == ["TL4", "PSW4"]


def test_an_izin_of_a_few_hours_moves_the_time_it_covers():
    morning = excuse("izin", "keperluan_penting", start_time="07:30", end_time="10:00")
    assert judge(["09:55"], ["16:00"], excuse=morning).codes == ["H"]
    assert judge(["10:31"], ["16:00"], excuse=morning).codes == ["TL2"]
    afternoon = excuse("izin", "keperluan_penting", start_time="14:00", end_time="16:00")
    assert judge(["07:30"], ["14:00"], excuse=afternoon).codes == ["H"]
    assert judge(["07:30"], ["13:30"], excuse=afternoon).codes == ["PSW1"]


# ── only accepted events count ────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("status", "review", "counts", "pending"), [
    (EventStatus.ACCEPTED, ReviewStatus.NOT_NEEDED, True, False),
    (EventStatus.FLAGGED, ReviewStatus.PENDING, False, True),  # waiting for the atasan: not yet
    (EventStatus.FLAGGED, ReviewStatus.NOT_NEEDED, False, True),
    (EventStatus.FLAGGED, ReviewStatus.ACCEPTED, True, False),  # accepted on review: counts
    (EventStatus.FLAGGED, ReviewStatus.REJECTED, False, False),  # rejected: never
])
def test_flagged_events_count_only_once_accepted(status, review, counts, pending):
    events = [check_in(at(MONDAY, "07:20"), status=status, review=review), check_out(at(MONDAY, "16:05"))]
    day = derive_day(day=MONDAY, expected=expected(), events=events, now=DAY_OVER, tz=WITA)
    assert day.codes == (["H"] if counts else ["TL4"])
    assert day.has_pending_review is pending


# ── a day that is not over yet ────────────────────────────────────────────────────────────────────────

def test_an_open_day_has_no_psw4_and_no_tk_yet():
    ten = at(MONDAY, "10:00")
    day = judge(["07:20"], [], now=ten)
    assert (day.codes, day.status, day.is_closed, day.deduction_percent) == (["H"], "H", False, 0)
    assert judge(["08:15"], [], now=ten).codes == ["TL2"]
    nothing = judge([], [], now=ten)
    assert (nothing.status, nothing.codes, nothing.deduction_percent, nothing.is_closed) == ("", [], 0, False)
    # The day closes with the check-out window (18:00).
    assert judge(["07:20"], [], now=at(MONDAY, "18:00")).codes == ["PSW4"]


# ── night shift across midnight ───────────────────────────────────────────────────────────────────────

def test_a_night_shift_check_out_next_morning_belongs_to_the_shift_date():
    shift = night_shift(MONDAY)
    plan = {MONDAY: shift}
    out = check_out(at(TUESDAY, "08:05"))
    assert work_date_of(out, plan, WITA) == MONDAY
    assert work_date_of(check_in(at(MONDAY, "20:55")), plan, WITA) == MONDAY
    # after the shift's check-out window the morning is Tuesday's again
    assert work_date_of(check_out(at(TUESDAY, "10:30")), plan, WITA) == TUESDAY
    # a check-in for Tuesday's own day schedule is Tuesday's
    plan[TUESDAY] = expected(TUESDAY)
    assert work_date_of(check_in(at(TUESDAY, "07:25")), plan, WITA) == TUESDAY
    assert work_date_of(check_out(at(TUESDAY, "07:25")), plan, WITA) == MONDAY

    day = derive_day(day=MONDAY, expected=shift, events=[check_in(at(MONDAY, "20:55")), out],
                     now=at(TUESDAY, "12:00"), tz=WITA)
    assert (day.codes, day.worked_minutes) == (["H"], 11 * 60 + 10)
    early = derive_day(day=MONDAY, expected=shift, events=[check_in(at(MONDAY, "21:31")),
                                                          check_out(at(TUESDAY, "06:59"))],
                       now=at(TUESDAY, "12:00"), tz=WITA)
    assert early.codes == ["TL2", "PSW3"]
    # At 09:00 on Tuesday the shift's check-out window is still open: no PSW4 yet.
    assert derive_day(day=MONDAY, expected=shift, events=[check_in(at(MONDAY, "20:55"))],
                      now=at(TUESDAY, "09:00"), tz=WITA).codes == ["H"]


def test_the_api_summary_names_codes_in_indonesian():
    day = judge(["08:01"], ["16:00"])
    summary = summary_dict(MONDAY, day, expected())
    assert summary["codes"] == ["TL2"]
    assert summary["status_label"] == "Terlambat 31–60 menit"
    assert summary["deduction_percent"] == "1"
    assert summary["schedule"]["start"] == "2026-03-09T07:30:00+08:00"
    assert summary["first_in"] == "2026-03-09T08:01:00+08:00"
