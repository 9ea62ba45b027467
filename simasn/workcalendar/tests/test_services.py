"""Holidays are seeded from the national data, then BKPSDM's word is final: the sync never overwrites,
re-activates or duplicates a row. Only admin BKPSDM edits holidays; an admin OPD records that a unit of
their own subtree works on a holiday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from simasn.core.errors import DomainError, Forbidden
from simasn.core.models import AuditEvent
from simasn.workcalendar import days, services
from simasn.workcalendar.models import Holiday, HolidaySource, UnitHolidayException

from .factories import HolidayFactory

D = dt.date


@pytest.mark.django_db
def test_sync_takes_public_and_government_days_and_names_cuti_bersama():
    result = services.sync_holidays(years=[2026])
    assert result["created"] == Holiday.objects.count() > 20
    nyepi = Holiday.objects.get(date=D(2026, 3, 18))
    assert (nyepi.name, nyepi.category, nyepi.source) == ("Cuti Bersama Hari Suci Nyepi", "cuti_bersama",
                                                          HolidaySource.HOLIDAYS_PACKAGE)
    assert Holiday.objects.get(date=D(2026, 8, 17)).category == "libur_nasional"


@pytest.mark.django_db
def test_sync_twice_changes_nothing():
    services.sync_holidays(years=[2026, 2027])
    before = list(Holiday.objects.values_list("pk", "date", "name", "category", "is_active", "updated_at"))
    events = AuditEvent.objects.count()
    assert services.sync_holidays(years=[2026, 2027])["created"] == 0
    assert list(Holiday.objects.values_list("pk", "date", "name", "category", "is_active", "updated_at")) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_sync_leaves_edited_and_deactivated_rows_alone(users):
    services.sync_holidays(years=[2026])
    admin = users.admin_bkpsdm
    labour_day = Holiday.objects.get(date=D(2026, 5, 1))
    services.holiday_set_active(actor=admin, holiday=labour_day, active=False)
    pancasila = Holiday.objects.get(date=D(2026, 6, 1))
    services.holiday_update(actor=admin, holiday=pancasila, date=pancasila.date, name="Hari Lahir Pancasila",
                            category="libur_nasional", legal_basis="SKB 3 Menteri 2025")
    count = Holiday.objects.count()
    services.sync_holidays(years=[2026])
    assert Holiday.objects.count() == count
    assert not Holiday.objects.get(pk=labour_day.pk).is_active
    pancasila.refresh_from_db()
    assert (pancasila.source, pancasila.legal_basis) == (HolidaySource.MANUAL, "SKB 3 Menteri 2025")


@pytest.mark.django_db
def test_sync_command_defaults_to_this_year_and_next(capsys):
    this_year = timezone.localdate().year
    call_command("sync_holidays")
    assert set(Holiday.objects.dates("date", "year").values_list("date__year", flat=True)) == {this_year, this_year + 1}
    call_command("sync_holidays", "--years", str(this_year))
    assert "0 ditambahkan" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_yearly_task_runs_the_sync(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from simasn.workcalendar.tasks import sync_national_holidays

    result = sync_national_holidays.enqueue(years=[2026])
    assert result.return_value["created"] > 20


@pytest.mark.django_db
def test_bkpsdm_adds_a_regional_holiday_with_an_audit_event(users):
    holiday = services.holiday_create(actor=users.admin_bkpsdm, date=D(2026, 9, 28), name="Libur daerah uji",
                                      category="libur_daerah", legal_basis="Keputusan Wali Kota")
    assert holiday.source == HolidaySource.MANUAL
    assert AuditEvent.objects.filter(action="workcalendar.holiday_created", object_id=str(holiday.pk)).exists()
    assert not days.is_working_day(D(2026, 9, 28))


@pytest.mark.django_db
@pytest.mark.parametrize(("date", "name", "category", "message"), [
    (D(2026, 1, 1), "tahun baru masehi", "libur_nasional", "sudah ada"),
    (D(1990, 1, 1), "Libur lama", "libur_nasional", "rentang 5 tahun"),
    (D(2026, 2, 2), "   ", "libur_nasional", "wajib diisi"),
    (D(2026, 2, 2), "Libur", "libur_bulan", "tidak dikenal"),
])
def test_bad_holidays_are_refused_and_nothing_is_stored(users, date, name, category, message):
    HolidayFactory(date=D(2026, 1, 1), name="Tahun Baru Masehi")
    with pytest.raises(DomainError, match=message):
        services.holiday_create(actor=users.admin_bkpsdm, date=date, name=name, category=category)
    assert Holiday.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin_opd_a", "pimpinan", "staff_a"])
def test_only_bkpsdm_edits_holidays(users, who):
    with pytest.raises(Forbidden):
        services.holiday_create(actor=getattr(users, who), date=D(2026, 9, 28), name="Libur", category="libur_daerah")
    assert not Holiday.objects.exists()


@pytest.mark.django_db
def test_admin_opd_records_exceptions_only_in_their_own_subtree(org, users):
    services.unit_exception_create(actor=users.admin_opd_a, unit=org.bidang_a, date=D(2026, 3, 23))
    with pytest.raises(Forbidden):
        services.unit_exception_create(actor=users.admin_opd_a, unit=org.opd_b, date=D(2026, 3, 23))
    with pytest.raises(Forbidden):
        services.unit_exception_create(actor=users.staff_a, unit=org.bidang_a, date=D(2026, 3, 24))
    with pytest.raises(DomainError, match="sudah tercatat"):
        services.unit_exception_create(actor=users.admin_bkpsdm, unit=org.bidang_a, date=D(2026, 3, 23))
    assert list(UnitHolidayException.objects.values_list("unit_id", flat=True)) == [org.bidang_a.pk]


@pytest.mark.django_db
def test_removing_an_exception_makes_the_holiday_count_again(org, users):
    HolidayFactory(date=D(2026, 3, 23))
    exception = services.unit_exception_create(actor=users.admin_bkpsdm, unit=org.opd_a, date=D(2026, 3, 23))
    assert days.is_working_day(D(2026, 3, 23), org.bidang_a)
    services.unit_exception_delete(actor=users.admin_opd_a, exception=exception)
    assert not days.is_working_day(D(2026, 3, 23), org.bidang_a)
