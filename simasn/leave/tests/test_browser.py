"""The approval chain end to end in a real browser: a pegawai asks for cuti tahunan, his atasan approves,
the kepala OPD approves from the inbox, the pegawai sees "Disetujui" and opens the surat izin cuti, and the
public page verifies it. Screenshots in test-artifacts/screenshots/leave_*.png."""

from __future__ import annotations

from django.urls import reverse

from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.core.testing import BROWSER_MARKS, SHOTS
from simasn.leave.models import AbsenceRequest, RequestStatus
from simasn.leave.tests.conftest import TODAY, d
from simasn.leave.tests.factories import AbsenceRequestFactory
from simasn.leave.tests.ui_helpers import freeze_today

pytestmark = BROWSER_MARKS


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"leave_{name}.png"), full_page=True)


def _session(browser, base_url: str, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert reverse("accounts:login") not in page.url, f"login failed for {user.username}"
    return context, page


def _no_error(page) -> None:
    body = page.inner_text("body")
    assert "Traceback" not in body and "Server Error" not in body


def test_cuti_tahunan_through_the_whole_chain(browser, transactional_db, world, live_server, monkeypatch):
    freeze_today(monkeypatch, TODAY)  # the live server runs in this process: it sees the same "today"
    base = live_server.url

    # The pegawai asks.
    context, page = _session(browser, base, world.users.staff_a)
    page.goto(base + reverse("leave:mine"))
    _no_error(page)
    assert "Saldo cuti 2026" in page.inner_text("body")
    page.click("text=Ajukan")
    page.click("#konten .dropdown-menu >> text=Cuti")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=leave_type]", "tahunan")
    page.fill("input[name=start_date]", "2026-03-09")
    page.fill("input[name=end_date]", "2026-03-13")
    page.locator("input[name=end_date]").dispatch_event("change")
    page.wait_for_selector("#preview >> text=5 hari kerja")
    page.fill("textarea[name=reason]", "Menghadiri pernikahan adik di Baubau")
    page.fill("input[name=address_during]", "Jl. Betoambari 12, Baubau")
    _shot(page, "01_form")
    # A slip first: the end before the start comes back on the form, in Indonesian, nothing filed.
    page.fill("input[name=end_date]", "2026-03-06")
    page.click("#request-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".invalid-feedback").count() >= 1
    assert not AbsenceRequest.objects.exists()
    _shot(page, "01b_form_galat")
    page.fill("input[name=end_date]", "2026-03-13")
    page.click("#request-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    _no_error(page)
    body = page.inner_text("body")
    assert "Menunggu persetujuan" in body and "Alur persetujuan" in body
    _shot(page, "02_diajukan")
    context.close()
    req = AbsenceRequest.objects.get()
    assert req.working_days == 5

    # The atasan langsung approves from the request's page.
    context, page = _session(browser, base, world.users.kabid)
    page.goto(base + reverse("leave:inbox"))
    _no_error(page)
    _shot(page, "03_inbox_atasan")
    page.click(f"a[href='{reverse('leave:detail', args=[req.pk])}']")
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=note]", "Pekerjaan sudah diserahkan kepada rekan.")
    _shot(page, "03b_keputusan_atasan")
    page.click("text=Setujui")
    page.wait_for_load_state("networkidle")
    assert "Permohonan disetujui." in page.inner_text("body")
    _shot(page, "04_disetujui_atasan")
    context.close()

    # The kepala OPD approves straight from his inbox.
    context, page = _session(browser, base, world.head_a)
    page.goto(base + reverse("leave:inbox"))
    assert world.org.staff_a.full_name in page.inner_text("body")
    page.click(f"#langkah-{req.steps.get(order=2).pk} >> text=Setujui")
    page.wait_for_load_state("networkidle")
    assert "Tidak ada permohonan yang menunggu keputusan Anda." in page.inner_text("body")
    _shot(page, "05_inbox_kepala_kosong")
    context.close()
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED

    # The pegawai sees the decision and opens his letter.
    context, page = _session(browser, base, world.users.staff_a)
    page.goto(base + reverse("leave:detail", args=[req.pk]))
    body = page.inner_text("body")
    assert "Disetujui" in body and req.verification_code in body
    _shot(page, "06_disetujui_pegawai")
    href = page.get_attribute("text=Unduh surat izin cuti", "href")
    pdf = context.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    (SHOTS / "leave_surat_izin_cuti.pdf").write_bytes(pdf.body())
    page.goto(base + reverse("leave:mine"))
    _shot(page, "07_saldo_setelah")
    assert "Disetujui" in page.inner_text("body")
    context.close()

    # Anyone holding the paper checks it.
    anonymous = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="id-ID")
    page = anonymous.new_page()
    page.goto(base + reverse("leave:verify_form"))
    page.fill("input[name=kode]", req.verification_code.lower())
    page.click("text=Periksa")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "Surat izin cuti sah" in body and world.org.staff_a.nip not in body
    _shot(page, "08_verifikasi_publik")
    anonymous.close()

    # The atasan's month view shows the approved leave, and a colleague's pending izin hatched.
    AbsenceRequestFactory(employee=world.org.staff_a2, kind="izin", leave_type="sakit", status="diajukan",
                          start_date=d("2026-03-17"), end_date=d("2026-03-17"), working_days=1)
    context, page = _session(browser, base, world.users.kabid)
    page.goto(base + reverse("leave:calendar") + "?bulan=2026-03")
    _no_error(page)
    assert page.locator("td[title='Cuti Tahunan']").count() == 5
    assert page.locator("td.lv-pending").count() == 1
    _shot(page, "09_kalender_unit")
    context.close()
