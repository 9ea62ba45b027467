"""The Kalender Kerja page: everyone signed in reads it; admin BKPSDM edits holidays; admin OPD adds
exceptions for their own units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simasn.workcalendar import services
from simasn.workcalendar.models import Holiday, UnitHolidayException

URL = reverse("workcalendar:year")


@pytest.fixture
def national(db):
    services.sync_holidays(years=[2026])


def test_pegawai_sees_the_year_without_edit_buttons(national, client_for, users, django_assert_max_num_queries):
    client = client_for(users.staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"tahun": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cuti Bersama Hari Suci Nyepi" in page and "Kalender Kerja 2026" in page
    assert "Sinkronkan dari data nasional" not in page
    assert client.get(reverse("workcalendar:holiday_create")).status_code == 403
    assert client.post(reverse("workcalendar:holiday_create"), {"date": "2026-09-28", "name": "X",
                                                                "category": "libur_daerah"}).status_code == 403
    assert not Holiday.objects.filter(name="X").exists()


def test_bkpsdm_adds_edits_deactivates_and_syncs(national, client_for, users):
    client = client_for(users.admin_bkpsdm)
    assert "Sinkronkan dari data nasional" in client.get(URL, {"tahun": 2026}).content.decode()
    response = client.post(reverse("workcalendar:holiday_create"), {
        "date": "2026-09-28", "name": "Libur daerah uji", "category": "libur_daerah", "legal_basis": "Kep. Wali Kota",
    })
    assert response.status_code == 302
    holiday = Holiday.objects.get(name="Libur daerah uji")
    response = client.post(reverse("workcalendar:holiday_edit", args=[holiday.pk]), {
        "date": "2026-09-28", "name": "Libur daerah", "category": "libur_daerah", "legal_basis": "",
    })
    assert response.status_code == 302
    client.post(reverse("workcalendar:holiday_toggle", args=[holiday.pk]), {"aktif": "0"})
    holiday.refresh_from_db()
    assert (holiday.name, holiday.is_active) == ("Libur daerah", False)
    response = client.post(reverse("workcalendar:holiday_sync"), {"tahun": "2026"}, follow=True)
    assert "0 hari libur baru" in response.content.decode()


def test_a_duplicate_holiday_shows_the_message_on_the_form(national, client_for, users):
    response = client_for(users.admin_bkpsdm).post(reverse("workcalendar:holiday_create"), {
        "date": "2026-08-17", "name": "Hari Kemerdekaan Republik Indonesia", "category": "libur_nasional",
    })
    assert response.status_code == 200
    assert "sudah ada" in response.content.decode()


def test_admin_opd_adds_an_exception_for_own_unit_only(org, national, client_for, users):
    client = client_for(users.admin_opd_a)
    form = client.get(reverse("workcalendar:exception_create")).content.decode()
    assert org.bidang_a.name in form and org.opd_b.name not in form
    response = client.post(reverse("workcalendar:exception_create"),
                           {"unit": org.bidang_a.pk, "date": "2026-03-23", "note": "Pelayanan"})
    assert response.status_code == 302
    response = client.post(reverse("workcalendar:exception_create"), {"unit": org.opd_b.pk, "date": "2026-03-23"})
    assert response.status_code == 200  # not a choice for this admin
    exception = UnitHolidayException.objects.get()
    assert (exception.unit_id, exception.date) == (org.bidang_a.pk, dt.date(2026, 3, 23))
    delete_url = reverse("workcalendar:exception_delete", args=[exception.pk])
    assert client_for(users.staff_a).post(delete_url).status_code == 404
    assert client.post(delete_url).status_code == 302
    assert not UnitHolidayException.objects.exists()
