"""In a real browser: the bell shows the unread count, a notification opens its page and is then read,
"Tandai semua sudah dibaca" clears the rest (screenshots in test-artifacts/screenshots/notifikasi-*.png).

Needs the bell in templates/base.html and the `unread` context processor in settings.
"""

from __future__ import annotations

from django.urls import reverse

from simasn.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from simasn.core.testing import BROWSER_MARKS, SHOTS
from simasn.notifications import services
from simasn.notifications.models import Notification

pytestmark = BROWSER_MARKS


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"notifikasi-{name}.png"), full_page=True)


def test_bell_open_and_mark_all_read(browser, live_server, transactional_db):
    user = UserFactory(full_name="Budi Santoso")
    services.notify(recipient=user, category="leave.awaiting_approval", object_type="leave.leaverequest",
                    object_id=1, title="Cuti tahunan Siti Rahma (16–20 Maret 2026) menunggu persetujuan Anda",
                    body="5 hari kerja. Alasan: keperluan keluarga.", url=reverse("workcalendar:year"))
    services.notify(recipient=user, category="leave.decided", title="Cuti sakit Anda disetujui",
                    body="Disetujui oleh Kepala Bidang.")
    services.notify(recipient=user, category="skp.rated", title="SKP 2025 Anda telah dinilai: Baik")
    services.mark_read(actor=user, pk=Notification.objects.get(category="skp.rated").pk)

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    bell = page.locator(f"nav a[href='{reverse('notifications:list')}']")
    assert bell.locator(".badge").inner_text() == "2"
    bell.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Notifikasi"
    assert page.locator("li.list-group-item button.fw-bold").count() == 2
    _shot(page, "daftar")

    page.get_by_role("button", name="Cuti tahunan Siti Rahma").click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url + reverse("workcalendar:year")
    assert bell.locator(".badge").inner_text() == "1"

    page.goto(live_server.url + reverse("notifications:list"))
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    page.wait_for_load_state("networkidle")
    assert "1 notifikasi ditandai sudah dibaca." in page.inner_text("body")
    assert bell.locator(".badge").count() == 0
    assert page.locator("li.list-group-item button.fw-bold").count() == 0
    _shot(page, "semua-dibaca")

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + reverse("notifications:list"))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a 360px screen"
    _shot(page, "ponsel")
    context.close()
