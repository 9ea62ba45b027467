"""Jadwal Kerja pages: everyone reads the schedules; admin BKPSDM edits them; admins assign schedules and draw
up shift rosters inside their scope; anyone looks up his own schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simasn.workcalendar import schedule_services
from simasn.workcalendar.models import RamadanPeriod, ScheduleAssignment, ShiftRoster, WorkSchedule
from simasn.workcalendar.schedule_forms import template_initial

from .schedule_helpers import assign, standard_schedules

MONDAY = dt.date(2026, 6, 8)


@pytest.fixture
def std(db):
    return standard_schedules()


def _schedule_post(initial: dict, **changes) -> dict:
    """The schedule page's POST data from its initial values (what a browser submits unchanged)."""
    data = {k: ("" if v is None else v) for k, v in initial["schedule"].items()}
    data.update(changes)
    for prefix, rows in (("hari", initial["days"]), ("ramadan", initial["ramadan"]), ("shift", initial["shifts"])):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            for key, value in row.items():
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{i}-{key}"] = "on"
                elif value is not None:
                    data[f"{prefix}-{i}-{key}"] = value.strftime("%H:%M") if isinstance(value, dt.time) else value
    return data


def test_everyone_reads_the_schedules(std, client_for, users, django_assert_max_num_queries):
    client = client_for(users.staff_a)
    for i in range(3):  # more schedules, same number of queries
        schedule_services.schedule_create(actor="uji", **{**schedule_services.specs_from_template("shift"),
                                                          "name": f"Shift {i}"})
    with django_assert_max_num_queries(12):
        response = client.get(reverse("workcalendar:schedules"))
    page = response.content.decode()
    assert response.status_code == 200
    assert std.five_day.name in page and "07:30–16:00" in page and "37,5 jam" in page
    assert "Shift Malam" in page and "+1 hari" in page
    assert "Buat jadwal" not in page and "Penetapan jadwal" not in page
    assert client.get(reverse("workcalendar:schedule_create")).status_code == 403
    assert client.get(reverse("workcalendar:schedule_edit", args=[std.five_day.pk])).status_code == 403
    assert client.get(reverse("workcalendar:assignments")).status_code == 403
    assert client.get(reverse("workcalendar:roster")).status_code == 403


def test_calendar_page_links_to_the_schedules(std, client_for, users):
    page = client_for(users.staff_a).get(reverse("workcalendar:year")).content.decode()
    assert reverse("workcalendar:schedules") in page


def test_bkpsdm_creates_from_a_template_and_edits(std, client_for, users):
    client = client_for(users.admin_bkpsdm)
    form = client.get(reverse("workcalendar:schedule_create"), {"templat": "six_day"})
    assert form.status_code == 200 and "Jadwal 6 Hari Kerja" in form.content.decode()
    response = client.post(reverse("workcalendar:schedule_create"),
                           _schedule_post(template_initial("six_day"), name="Jadwal Sekolah"))
    assert response.status_code == 302
    created = WorkSchedule.objects.get(name="Jadwal Sekolah")
    assert created.days.filter(is_ramadan=False).count() == 6

    initial = template_initial("six_day")
    initial["days"][0]["end"] = dt.time(7, 0)  # Monday ends before it starts
    response = client.post(reverse("workcalendar:schedule_edit", args=[created.pk]),
                           _schedule_post(initial, name="Jadwal Sekolah"))
    assert response.status_code == 200
    assert "Senin: jam selesai harus setelah jam mulai" in response.content.decode()
    initial["days"][0]["end"] = dt.time(14, 0)
    initial["days"][5]["works"] = False  # no more Saturdays
    response = client.post(reverse("workcalendar:schedule_edit", args=[created.pk]),
                           _schedule_post(initial, name="Jadwal Sekolah", grace_minutes=10))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.grace_minutes == 10 and created.days.filter(weekday=5).count() == 0


def test_missing_times_are_shown_on_the_row(std, client_for, users):
    initial = template_initial("five_day")
    initial["days"][5] = {"works": True}
    response = client_for(users.admin_bkpsdm).post(reverse("workcalendar:schedule_create"),
                                                   _schedule_post(initial, name="Baru"))
    assert response.status_code == 200 and "Mulai: Wajib diisi." in response.content.decode()
    assert not WorkSchedule.objects.filter(name="Baru").exists()


def test_toggle_and_ramadan(std, client_for, users):
    client = client_for(users.admin_bkpsdm)
    assign(std.six_day, unit=users.admin_opd_a.scope_unit)
    response = client.post(reverse("workcalendar:schedule_toggle", args=[std.six_day.pk]), {"aktif": "0"},
                           follow=True)
    assert "masih ditetapkan" in response.content.decode()
    response = client.post(reverse("workcalendar:ramadan_create"),
                           {"name": "Ramadan 1448 H", "start_date": "2027-02-08", "end_date": "2027-03-09"})
    assert response.status_code == 302
    period = RamadanPeriod.objects.get()
    response = client.post(reverse("workcalendar:ramadan_create"),
                           {"name": "Lagi", "start_date": "2027-03-01", "end_date": "2027-03-05"})
    assert "bertumpang tindih" in response.content.decode()
    client.post(reverse("workcalendar:ramadan_delete", args=[period.pk]))
    assert not RamadanPeriod.objects.exists()
    assert client_for(users.admin_opd_a).post(reverse("workcalendar:ramadan_create"), {}).status_code == 403


def test_admin_opd_assigns_in_his_subtree(std, org, client_for, users, django_assert_max_num_queries):
    assign(std.five_day, unit=org.opd_b)
    client = client_for(users.admin_opd_a)
    form = client.get(reverse("workcalendar:assignment_create")).content.decode()
    assert org.bidang_a.name in form and org.opd_b.name not in form
    response = client.post(reverse("workcalendar:assignment_create"), {
        "schedule": std.shift.pk, "target": "employee", "nip": org.staff_a.nip, "effective_from": "2026-06-01",
    })
    assert response.status_code == 302
    response = client.post(reverse("workcalendar:assignment_create"), {
        "schedule": std.shift.pk, "target": "employee", "nip": org.staff_b.nip, "effective_from": "2026-06-01",
    })
    assert "tidak ditemukan" in response.content.decode()  # outside his scope: as if missing
    response = client.post(reverse("workcalendar:assignment_create"), {
        "schedule": std.six_day.pk, "target": "unit", "unit": org.bidang_a.pk, "effective_from": "2026-06-01",
        "effective_to": "2026-05-01",
    })
    assert "sebelum tanggal mulai" in response.content.decode()
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("workcalendar:assignments"), {"semua": "1"})
    page = listing.content.decode()
    assert org.staff_a.name in page and org.opd_b.name not in page
    theirs = ScheduleAssignment.objects.get(unit=org.opd_b)
    assert client.post(reverse("workcalendar:assignment_end", args=[theirs.pk]),
                       {"effective_to": "2026-12-31"}).status_code == 404
    mine = ScheduleAssignment.objects.get(employee=org.staff_a)
    client.post(reverse("workcalendar:assignment_end", args=[mine.pk]), {"effective_to": "2026-06-30"})
    mine.refresh_from_db()
    assert mine.effective_to == dt.date(2026, 6, 30)


def test_roster_week_grid_saves_with_htmx(std, org, client_for, users, django_assert_max_num_queries):
    assign(std.shift, unit=org.bidang_a)
    assign(std.five_day, unit=org.opd_a)
    client = client_for(users.admin_opd_a)
    url = reverse("workcalendar:roster")
    with django_assert_max_num_queries(16):
        page = client.get(url, {"unit": org.opd_a.pk, "minggu": "2026-06-10"}).content.decode()
    assert org.staff_a.name in page and org.head_a.name not in page  # only shift workers
    assert "08 Jun 2026" in page  # the week starts on Monday
    pagi = std.shift_of("pagi").pk
    malam = std.shift_of("malam").pk
    data = {"unit": org.opd_a.pk, "minggu": "2026-06-08", f"s-{org.staff_a.pk}-20260608": pagi,
            f"s-{org.staff_a.pk}-20260609": malam, f"s-{org.head_a.pk}-20260608": pagi}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="roster-grid"' in body and "<html" not in body
    assert "2 baru" in body
    assert set(ShiftRoster.objects.values_list("employee_id", "date")) == {
        (org.staff_a.pk, MONDAY), (org.staff_a.pk, MONDAY + dt.timedelta(days=1))}
    assert client.get(url, {"unit": org.opd_b.pk}).status_code == 404
    assert client_for(users.admin_bkpsdm).get(url, {"unit": org.opd_b.pk}).status_code == 200


def test_lookup_own_and_others(std, org, client_for, users):
    assign(std.five_day, unit=org.opd_a)
    url = reverse("workcalendar:lookup")
    mine = client_for(users.staff_a).get(url, {"nip": org.staff_a.nip, "tanggal": "2026-06-12"}).content.decode()
    assert "07:30 – " in mine and "16:30" in mine and std.five_day.name in mine
    other = client_for(users.staff_a).get(url, {"nip": org.staff_b.nip, "tanggal": "2026-06-12"}).content.decode()
    assert "tidak ditemukan" in other
    saturday = client_for(users.admin_bkpsdm).get(url, {"nip": org.staff_a.nip, "tanggal": "2026-06-13"})
    assert "bukan hari kerja" in saturday.content.decode()
    bad = client_for(users.staff_a).get(url, {"nip": org.staff_a.nip, "tanggal": "2025-02-29"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    default = client_for(users.staff_a).get(url).content.decode()
    assert org.staff_a.nip in default and "Jadwal yang berlaku" in default
