"""Assessment periods as dates (monthly by default, quarterly when BKPSDM chooses it for a year)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simasn.performance import periods
from simasn.performance import rules_data as R


@pytest.mark.parametrize("kind,period,first,last", [
    ("monthly", 1, dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
    ("monthly", 2, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # leap year
    ("monthly", 12, dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ("quarterly", 1, dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
    ("quarterly", 4, dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    ("monthly", 0, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),  # period 0: the annual assessment
])
def test_period_bounds(kind, period, first, last):
    assert periods.period_bounds(2024, kind, period) == (first, last)


@pytest.mark.parametrize("kind,period", [("monthly", 13), ("quarterly", 5), ("weekly", 1), ("monthly", -1)])
def test_unknown_periods_are_refused(kind, period):
    with pytest.raises(ValueError):
        periods.period_bounds(2024, kind, period)


@given(year=st.integers(2000, 2100), kind=st.sampled_from(list(R.PERIODS_PER_YEAR)))
def test_periods_tile_the_year(year, kind):
    bounds = [periods.period_bounds(year, kind, p) for p in range(1, R.PERIODS_PER_YEAR[kind] + 1)]
    assert bounds[0][0] == dt.date(year, 1, 1) and bounds[-1][1] == dt.date(year, 12, 31)
    for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
        assert start == end + dt.timedelta(days=1)


@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)), kind=st.sampled_from(list(R.PERIODS_PER_YEAR)))
def test_a_day_lies_in_its_period(day, kind):
    first, last = periods.period_bounds(day.year, kind, periods.period_of(day, kind))
    assert first <= day <= last


def test_a_period_ends_on_its_last_day():
    assert not periods.period_has_ended(2024, "monthly", 3, dt.date(2024, 3, 30))
    assert periods.period_has_ended(2024, "monthly", 3, dt.date(2024, 3, 31))


def test_late_means_past_the_due_date():
    # Monthly: due 10 days after the month; quarterly: 15 days; annual: 31 January.
    assert periods.due_date(2024, "monthly", 1) == dt.date(2024, 2, 10)
    assert periods.due_date(2024, "quarterly", 1) == dt.date(2024, 4, 15)
    assert periods.due_date(2024, "monthly", 0) == dt.date(2025, 1, 31)
    assert periods.overdue_periods(2024, "monthly", dt.date(2024, 4, 10)) == [1, 2]
    assert periods.overdue_periods(2024, "monthly", dt.date(2024, 4, 11)) == [1, 2, 3]
    assert periods.overdue_periods(2024, "quarterly", dt.date(2025, 3, 1)) == [1, 2, 3, 4]
    assert not periods.annual_overdue(2024, dt.date(2025, 1, 31))
    assert periods.annual_overdue(2024, dt.date(2025, 2, 1))


def test_period_labels():
    assert periods.period_label("monthly", 1) == "Januari"
    assert periods.period_label("quarterly", 2) == "Triwulan II"
    assert periods.period_label("quarterly", 0) == "Tahunan"


def test_berakhlak_has_the_seven_core_values_in_order():
    assert list(R.BERAKHLAK.values()) == ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal",
                                          "Adaptif", "Kolaboratif"]


@pytest.mark.parametrize("unit_predikat,hasil", [("istimewa", "di_atas"), ("baik", "sesuai"),
                                                 ("butuh_perbaikan", "di_bawah"), ("kurang", "di_bawah"),
                                                 ("sangat_kurang", "di_bawah")])
def test_the_unit_heads_hasil_follows_the_units_predikat(unit_predikat, hasil):
    assert R.UNIT_HEAD_HASIL[unit_predikat] == hasil


def test_coaching_is_for_butuh_perbaikan_or_worse():
    assert {"butuh_perbaikan", "kurang", "sangat_kurang"} == R.COACHING_PREDIKAT
    assert R.OBJECTION_DEADLINE.days == 14 and "(verify)" in R.OBJECTION_DEADLINE.legal_source
