"""The Jadwal Kerja pages in a real browser: admin BKPSDM reads the schedules, saves a week of the RSUD's
shift roster through HTMX, and looks up a nurse's night shift (screenshots in test-artifacts/)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from simasn.accounts.models import Role, User
from simasn.core.testing import BROWSER_MARKS, SHOTS
from simasn.core.tests.test_browser import DEMO_PASSWORD, _login, _visit
from simasn.org.models import Unit, UnitKind
from simasn.workcalendar.demo import seed_schedules
from simasn.workcalendar.models import ShiftRoster

pytestmark = BROWSER_MARKS


def test_schedules_roster_and_lookup_in_the_browser(browser, transactional_db, live_server):
    call_command("seed_demo", employees=300, seed=7, password=DEMO_PASSWORD, verbosity=0)
    seed_schedules(today=timezone.localdate())
    admin = User.objects.filter(role=Role.ADMIN_BKPSDM).first()
    rsud = Unit.objects.get(kind=UnitKind.RSUD)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    _login(page, live_server.url, admin)
    _visit(page, live_server.url, reverse("workcalendar:schedules"), "jadwal-kerja")
    assert "Jadwal Normal 5 Hari Kerja" in page.inner_text("body")
    _visit(page, live_server.url, reverse("workcalendar:schedule_edit",
                                          args=[rsud.schedule_assignments.get().schedule_id]), "jadwal-ubah-shift")
    _visit(page, live_server.url, reverse("workcalendar:assignments"), "jadwal-penetapan")

    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    _visit(page, live_server.url, f"{reverse('workcalendar:roster')}?unit={rsud.pk}&minggu={monday}", "jadwal-shift")
    first = page.locator("#roster-grid select").first
    field = first.get_attribute("name")
    employee_id, day = int(field.split("-")[1]), dt.datetime.strptime(field.split("-")[2], "%Y%m%d").date()
    first.select_option(label="Shift Malam")
    page.click("#roster-grid button[type=submit]")
    page.wait_for_selector("#roster-grid .alert")
    assert "Jadwal shift disimpan" in page.inner_text("#roster-grid")
    assert ShiftRoster.objects.get(employee_id=employee_id, date=day).shift.code == "malam"
    page.screenshot(path=str(SHOTS / "jadwal-shift-tersimpan.png"), full_page=True)

    nip = User.objects.get(employee__pk=employee_id).username
    _visit(page, live_server.url, f"{reverse('workcalendar:lookup')}?nip={nip}&tanggal={day}", "jadwal-cek")
    assert "malam" in page.inner_text("body")
    context.close()
