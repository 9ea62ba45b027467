"""Check in from the PWA in a real phone-sized Chromium with a fake GPS position at the office, see the
answer, see it appear on the live board of the admin OPD without a reload; then check out with no network,
see it queued, and see it sent when the network is back.

Screenshots: test-artifacts/screenshots/presensi_*.png (360×740).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from simasn.accounts.models import Role, User
from simasn.attendance import selectors_capture
from simasn.attendance.models import CheckInEvent
from simasn.attendance.rules_data import FLAG_LABELS
from simasn.conftest import login
from simasn.core.testing import BROWSER_MARKS, SHOTS, launched_chromium
from simasn.core.tests.test_browser import DEMO_PASSWORD, _login
from simasn.employees.models import Employee
from simasn.leave.selectors import excused_days
from simasn.org.geo import haversine_m
from simasn.workcalendar.models import ScheduleAssignment, ScheduleDay, ScheduleKind, WorkSchedule
from simasn.workcalendar.schedules import office_timezone

pytestmark = [
    *BROWSER_MARKS,
    pytest.mark.urls("simasn.attendance.tests.test_pwa"),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "id-ID",
         "timezone_id": "Asia/Makassar"}
BOARD_TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def chromium():
    """Chromium with a fake camera (a test pattern) that needs no permission prompt, for the selfie."""
    with launched_chromium("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream") as browser:
        yield browser


def _always_open_schedule(employee: Employee) -> None:
    """Today's masuk/pulang windows span the whole day, so the test passes at any hour: the check-in must
    be accepted, not flagged OUTSIDE_WINDOW because CI happens to run in the evening or on a Sunday."""
    schedule = WorkSchedule.objects.create(name="Uji presensi sepanjang hari", kind=ScheduleKind.FIVE_DAY,
                                           grace_minutes=0)
    whole_day = {"checkin_open": dt.time(0, 0), "checkin_close": dt.time(23, 59),
                 "checkout_open": dt.time(0, 0), "checkout_close": dt.time(23, 59)}
    for weekday in range(7):
        ScheduleDay.objects.create(schedule=schedule, weekday=weekday, start=dt.time(23, 55), end=dt.time(23, 59),
                                   **whole_day)
    ScheduleAssignment.objects.create(schedule=schedule, employee=employee, effective_from=timezone.localdate())


def _scene() -> tuple[User, User, Employee, dict]:
    """An admin OPD, a pegawai of that OPD who is not away today, and the office he checks in at."""
    today = timezone.localdate()
    for admin in User.objects.filter(role=Role.ADMIN_OPD, is_active=True, scope_unit__isnull=False).order_by("pk"):
        staff = list(Employee.objects.filter(unit__path__startswith=admin.scope_unit.path, user__role=Role.PEGAWAI,
                                             user__is_active=True).select_related("user", "unit").order_by("pk")[:40])
        away = excused_days([e.pk for e in staff], today, today)
        for employee in staff:
            if (employee.pk, today) in away:
                continue
            offices = [p for p in selectors_capture.my_locations(employee) if p["kind"] and p["id"]]
            if offices:
                return admin, employee.user, employee, offices[0]
    raise AssertionError("the demo has no admin OPD with a pegawai who has an office location")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"presensi_{name}.png"), full_page=True)


def _board_url() -> str:
    return reverse("attendance:board")


def test_check_in_from_the_phone_reaches_the_live_board_and_survives_offline(chromium, live_server,
                                                                              transactional_db):
    call_command("seed_demo", employees=300, seed=7, days=0, password=DEMO_PASSWORD, verbosity=0)  # a clean day
    admin, pegawai, employee, office = _scene()
    _always_open_schedule(employee)
    base = live_server.url

    # The admin OPD watches the live board first: the check-in must appear there without a reload.
    desk = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    board = desk.new_page()
    _login(board, base, admin)
    assert board.goto(base + _board_url()).status == 200
    board.wait_for_load_state("networkidle")
    assert employee.name not in board.inner_text("body")

    # This phone is left on WIB, an hour behind Kendari: the page still shows the office's (WITA) clock.
    phone = chromium.new_context(**{**PHONE, "timezone_id": "Asia/Jakarta"},
                                 geolocation={"latitude": office["latitude"], "longitude": office["longitude"],
                                              "accuracy": 8})
    phone.grant_permissions(["geolocation", "camera"], origin=base)
    page = phone.new_page()
    _login(page, base, pegawai)
    assert page.goto(base + reverse("attendance_pwa:checkin")).status == 200
    page.wait_for_selector("#geofence-state[data-inside='1']", timeout=10_000)
    assert office["name"] in page.inner_text("#geofence")
    assert "± 8 m" in page.inner_text("#gps-status")
    # The page's distance is the server's formula (display only; the server decides).
    js_distance = page.evaluate("([a, b, c, d]) => PresensiGeo.haversine(a, b, c, d)",
                                [office["latitude"], office["longitude"], office["latitude"] + 0.01,
                                 office["longitude"] + 0.01])
    assert js_distance == pytest.approx(haversine_m(office["latitude"], office["longitude"],
                                                    office["latitude"] + 0.01, office["longitude"] + 0.01), abs=0.01)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the check-in page is {overflow}px wider than a 360px phone"
    _shot(page, "siap")

    # Masuk: accepted at the office, shown with the server's time and the office's name.
    page.click("#btn-in")
    page.wait_for_selector("#result-card[data-status='accepted']", timeout=15_000)
    assert office["name"] in page.inner_text("#result-card")
    event = CheckInEvent.objects.get(employee=employee, kind="in")
    assert event.status == "accepted" and event.flags == [] and event.location_id == office["id"]
    assert event.client_time is not None and abs((event.server_time - event.client_time).total_seconds()) < 60
    assert f"{timezone.localtime(event.server_time, office_timezone()):%H:%M:%S}" in page.inner_text("#result-card")
    page.wait_for_selector("#today-events li")
    _shot(page, "diterima")

    # The live board shows it within the 5 s (10 s here for a slow CI) without reloading.
    board.get_by_text(employee.name).first.wait_for(timeout=BOARD_TIMEOUT_MS)
    # ... and its office's dot on the map turns busy in the same update.
    assert board.get_attribute(f'#peta-lokasi circle[data-location="{office["id"]}"]', "class") == "board-map-busy"
    _shot(board, "papan")
    desk.close()

    # The service worker is in control before the network goes away.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    # Pulang without a network, with a selfie from the (fake) front camera: queued on the phone.
    phone.set_offline(True)
    page.wait_for_selector("#net-status:has-text('Luring')")
    page.click("#selfie-open")
    page.wait_for_function("document.getElementById('selfie-video').videoWidth > 0")
    page.click("#selfie-shoot")
    page.wait_for_selector("#selfie-preview:not(.d-none)")
    _shot(page, "swafoto")
    tapped = timezone.now()
    page.click("#btn-out")
    page.wait_for_selector("#result-card[data-status='queued']", timeout=15_000)
    page.wait_for_selector("#queue-text:has-text('1 presensi menunggu dikirim')")
    assert not CheckInEvent.objects.filter(employee=employee, kind="out").exists()
    _shot(page, "luring")

    # Reloaded while offline: the worker serves the page from its cache and the queue is still there.
    assert page.reload().from_service_worker
    page.wait_for_selector("#queue-text:has-text('1 presensi menunggu dikirim')")
    page.wait_for_selector("#today:has-text('tidak dapat dimuat')")  # the API is not cached, and is offline

    # Back online: sent by itself, once, with the time of the tap.
    phone.set_offline(False)
    page.wait_for_selector("#queue", state="hidden", timeout=BOARD_TIMEOUT_MS * 3)
    page.wait_for_selector("#result-card[data-status='accepted'], #result-card[data-status='flagged']")
    out = CheckInEvent.objects.get(employee=employee, kind="out")
    assert abs((out.client_time - tapped).total_seconds()) < 5
    assert out.photo, "the selfie went with the queued check-in"
    shown = set(page.eval_on_selector_all("#result-card [data-flag]", "nodes => nodes.map(n => n.dataset.flag)"))
    assert shown == set(out.flags)
    for code in out.flags:
        assert FLAG_LABELS[code] in page.inner_text("#result-card")
    _shot(page, "terkirim")
    phone.close()


def _logged_in_phone(chromium, live_server, user: User):
    """A phone context holding the user's session cookie (no login form: the demo is not needed here)."""
    client = Client()
    login(client, user)
    context = chromium.new_context(**PHONE, geolocation={"latitude": -3.9778, "longitude": 122.5194, "accuracy": 15})
    context.grant_permissions(["geolocation"], origin=live_server.url)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context


def test_the_page_keeps_what_may_succeed_later_and_drops_what_never_will(chromium, live_server, transactional_db,
                                                                         users):
    """Server answers replayed by the outbox: 5xx and 401 keep the check-in queued; 409 (the client_id was used
    with another body) and 422 (invalid) drop it with an explanation. Answers are forged with page.route."""
    answers: list[tuple[int, dict]] = [
        (503, {"detail": "Layanan sedang sibuk.", "code": "error"}),
        (401, {"detail": "Autentikasi diperlukan.", "code": "unauthorized"}),
        (409, {"detail": "client_id sudah dipakai dengan data lain.", "code": "conflict"}),
        (422, {"detail": "Data yang dikirim tidak valid.", "code": "validation_error",
               "errors": [{"loc": ["body", "accuracy_m"], "msg": "Input should be greater than 0", "type": "x"}]}),
    ]
    bodies: list[dict] = []

    def forge(route):
        bodies.append(route.request.post_data_json)
        status, body = answers.pop(0)
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body))

    context = _logged_in_phone(chromium, live_server, users.staff_a)
    page = context.new_page()
    page.route("**/api/v1/attendance/check-ins", forge)
    assert page.goto(live_server.url + reverse("attendance_pwa:checkin")).status == 200
    page.wait_for_selector("#gps-accuracy")

    page.click("#btn-in")  # 503: kept
    page.wait_for_selector("#result-card[data-status='server_error']")
    page.wait_for_selector("#queue-text:has-text('1 presensi menunggu dikirim')")
    page.click("#queue-send")  # 401: kept, with a way to log in again
    page.wait_for_selector("#result-card[data-status='auth'] a[href*='next=']")
    assert page.inner_text("#queue-text") == "1 presensi menunggu dikirim"
    page.click("#queue-send")  # 409: dropped
    page.wait_for_selector("#result-card[data-status='error']:has-text('ID yang sama')")
    page.wait_for_selector("#queue", state="hidden")
    assert bodies[0] == bodies[1] == bodies[2], "a replay sends the same body, client_id and client_time included"
    assert set(bodies[0]) == {"client_id", "kind", "client_time", "latitude", "longitude", "accuracy_m",
                              "mock_location"}
    assert bodies[0]["kind"] == "in" and bodies[0]["accuracy_m"] == 15 and bodies[0]["mock_location"] is False
    assert dt.datetime.fromisoformat(bodies[0]["client_time"]).utcoffset() == dt.timedelta(hours=8)

    page.click("#btn-out")  # 422: dropped, the server's reasons shown
    page.wait_for_selector("#result-card[data-status='error']:has-text('accuracy_m')")
    assert "Data yang dikirim tidak valid." in page.inner_text("#result-card")
    _shot(page, "ditolak")
    page.wait_for_selector("#queue", state="hidden")
    assert bodies[3]["kind"] == "out" and bodies[3]["client_id"] != bodies[0]["client_id"]
    assert page.evaluate("PresensiQueue.all().then(items => items.length)") == 0
    assert not CheckInEvent.objects.exists()
    context.close()
