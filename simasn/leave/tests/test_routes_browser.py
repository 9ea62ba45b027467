"""Alur Persetujuan in a real browser: admin BKPSDM adds a route (a slip first, refused in Indonesian), then
"coba alur" (HTMX) shows the three officials a pelaksana's cuti tahunan now reaches.
Screenshots in test-artifacts/screenshots/leave_routes_*.png."""

from __future__ import annotations

import base64

from django.urls import reverse

from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.conftest import user_for
from simasn.core.testing import BROWSER_MARKS, SHOTS
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave.models import ApprovalRoute
from simasn.org.models import JabatanType, UnitKind
from simasn.org.tests.factories import PositionFactory, UnitFactory

pytestmark = BROWSER_MARKS


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"leave_routes_{name}.png"), full_page=True)


def _totp_code(secret_b32: str) -> str:
    from django_otp.oath import totp

    secret_b32 = "".join(secret_b32.split()).upper()
    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def _login(browser, base_url: str, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if reverse("accounts:otp") in page.url:  # an admin's second factor, set up on first login
        page.fill("input[name=token]", _totp_code(page.inner_text("#otp-secret").strip()))
        page.locator("input[name=token]").press("Enter")
        page.wait_for_load_state("networkidle")
    assert reverse("accounts:login") not in page.url, f"login failed for {user.username}"
    return context, page


def test_bkpsdm_adds_a_route_and_tries_it(browser, transactional_db, world, live_server):
    sekda_unit = UnitFactory(name="Sekretariat Daerah", kind=UnitKind.SEKRETARIAT)
    sekda_pos = PositionFactory(name="Sekretaris Daerah", unit=sekda_unit, jabatan_type=JabatanType.JPT_MADYA,
                                kelas_jabatan=15)
    sekda = EmployeeFactory(unit=sekda_unit, position=sekda_pos)
    user_for(sekda)
    base = live_server.url
    context, page = _login(browser, base, world.users.admin_bkpsdm)

    page.goto(base + reverse("leave:routes"))
    page.wait_for_load_state("networkidle")
    assert "Bawaan sistem" in page.inner_text("body")
    _shot(page, "01_tabel")

    page.click("text=Tambah alur")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=target]", "cuti:tahunan")
    page.select_option("select[name=jabatan_type]", "pelaksana")
    page.select_option("select[name=step_1]", "atasan_langsung")
    page.select_option("select[name=step_2]", "atasan_langsung")
    page.click("#route-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "tercantum dua kali berturut-turut" in page.inner_text("body")
    assert not ApprovalRoute.objects.exists()
    _shot(page, "02_galat")

    page.select_option("select[name=step_2]", "kepala_opd")
    page.select_option("select[name=step_3]", "sekda")
    page.fill("input[name=note]", "Surat Edaran Sekda 2026")
    page.click("#route-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "disimpan" in page.inner_text("body")
    assert ApprovalRoute.objects.get().steps == ["atasan_langsung", "kepala_opd", "sekda"]

    page.fill("input[name=nip]", world.org.staff_a.nip)
    page.select_option("#coba-alur select[name=target]", "cuti:tahunan")
    page.click("#coba-alur button[type=submit]")
    page.wait_for_selector("#coba-alur ol li >> nth=2")
    result = page.inner_text("#coba-alur")
    assert world.org.kabid.full_name in result and sekda.full_name in result
    assert "coba" in page.url or page.url.endswith(reverse("leave:routes"))
    _shot(page, "03_coba")
    context.close()
