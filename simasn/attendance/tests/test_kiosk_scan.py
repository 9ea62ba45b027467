"""Kiosk QR scanned with a phone's own camera: the QR holds the scan page's address, the page shows the office
with Masuk / Pulang, a tap goes through the same check-in service as the kiosk API."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.attendance import kiosk
from simasn.attendance.models import CheckInEvent, EventSource, Kiosk
from simasn.attendance.rules_data import FLAG_LABELS
from simasn.conftest import login
from simasn.core.testing import CHROMIUM, SHOTS
from simasn.workcalendar.tests.schedule_helpers import assign

from .capture_helpers import API, FAR, URLCONF, at, bearer, five_day_schedule, office_for, token_for, working_monday

pytestmark = pytest.mark.urls(URLCONF)

NOW = at(working_monday(), "07:20")
SCAN = "attendance_capture:kiosk_scan"


@pytest.fixture
def now(monkeypatch):
    class Clock:
        value = NOW

    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.value)
    return clock


@pytest.fixture
def office_kiosk(org, now):
    schedules = five_day_schedule(org.opd_a)
    assign(schedules.five_day, unit=org.opd_b, start=dt.date(2025, 1, 1))
    return Kiosk.objects.create(location=office_for(org.opd_a), name="Lobi", secret="a" * 64)


def open_scan(client: Client, qr: str):
    return client.get(reverse(SCAN), {"qr": qr})


def forms_of(html: str) -> dict[str, dict[str, str]]:
    """The hidden fields of each button's form, by kind."""
    found = {}
    for form in re.findall(r"<form [^>]*data-kiosk-form>.*?</form>", html, flags=re.S):
        fields = dict(re.findall(r'name="(kind|client_id|qr)" value="([^"]*)"', form))
        found[fields["kind"]] = fields
    return found


def tap(client: Client, fields: dict[str, str]):
    return client.post(reverse(SCAN), fields)


# --- the code inside what was scanned, and the scan pass -------------------------------------------------------


@pytest.mark.parametrize(("scanned", "expected"), [
    ("k1.2.abc", "k1.2.abc"),
    ("  k1.2.abc\n", "k1.2.abc"),
    ("https://simasn.contoh.go.id/presensi/kios/pindai/?qr=k1.2.abc", "k1.2.abc"),
    ("http://10.0.0.5:8000/presensi/kios/pindai/?lang=id&qr=k1.2.abc", "k1.2.abc"),
    ("https://simasn.contoh.go.id/presensi/kios/pindai/?lain=1", ""),
    ("", ""),
])
def test_token_from_scan_reads_the_address_or_the_bare_code(scanned, expected):
    assert kiosk.token_from_scan(scanned) == expected


def test_a_scan_pass_holds_for_its_grace_after_the_code_was_read(office_kiosk, users):
    code = kiosk.token_for(office_kiosk, now=NOW)
    found, scan_pass = kiosk.scan_pass_issue(code, user_id=users.staff_a.pk, now=NOW)
    assert found == office_kiosk and scan_pass.startswith(f"p{office_kiosk.pk}.")
    grace = dt.timedelta(seconds=kiosk.SCAN_PASS_SECONDS)
    assert kiosk.kiosk_from_token(scan_pass, user_id=users.staff_a.pk, now=NOW + grace) == office_kiosk
    with pytest.raises(kiosk.QrExpired):  # the display code itself is long expired by then
        kiosk.kiosk_from_token(code, now=NOW + grace)
    with pytest.raises(kiosk.QrExpired):
        kiosk.kiosk_from_token(scan_pass, user_id=users.staff_a.pk, now=NOW + grace + dt.timedelta(seconds=1))
    with pytest.raises(kiosk.QrInvalid):  # issued in the future: never by this server
        kiosk.kiosk_from_token(scan_pass, user_id=users.staff_a.pk, now=NOW - dt.timedelta(minutes=1))
    assert kiosk.scan_time(scan_pass) == NOW
    assert kiosk.scan_time(code) == dt.datetime.fromtimestamp(kiosk.slot_of(NOW) * 30, tz=dt.UTC)
    assert kiosk.scan_time("bukan kode") is None


def test_a_pass_never_earns_another_pass_and_cannot_be_forged(office_kiosk, users):
    me = users.staff_a.pk
    code = kiosk.token_for(office_kiosk, now=NOW)
    _found, scan_pass = kiosk.scan_pass_issue(code, user_id=me, now=NOW)
    with pytest.raises(kiosk.QrInvalid):  # chaining passes would stretch the grace without end
        kiosk.scan_pass_issue(scan_pass, user_id=me, now=NOW)
    kiosk_id, issued, signature = scan_pass[1:].split(".")
    later = int(issued) + 60
    for forged in (f"p{kiosk_id}.{later}.{signature}", scan_pass[:-2] + ("AA" if scan_pass[-2:] != "AA" else "BB"),
                   f"k{kiosk_id}.{issued}.{signature}"):
        with pytest.raises(kiosk.QrInvalid):
            kiosk.kiosk_from_token(forged, user_id=me, now=NOW)
    with pytest.raises(kiosk.QrExpired):  # a display code older than the previous slot earns no pass
        kiosk.scan_pass_issue(code, user_id=me, now=NOW + dt.timedelta(seconds=61))


def test_a_pass_is_good_only_for_the_login_that_opened_the_page(office_kiosk, users):
    """The pass outlives the display code by two rotations; bound to whoever scanned, forwarding it to a
    colleague who is not at the office checks nobody in."""
    _found, scan_pass = kiosk.scan_pass_issue(kiosk.token_for(office_kiosk, now=NOW), user_id=users.staff_a.pk,
                                              now=NOW)
    for other in (users.staff_b.pk, None):
        with pytest.raises(kiosk.QrInvalid, match="tidak sah untuk akun Anda|Kode QR tidak sah"):
            kiosk.kiosk_from_token(scan_pass, user_id=other, now=NOW)


# --- the kiosk screen ------------------------------------------------------------------------------------------


def test_the_kiosk_screen_encodes_the_scan_page_address(client_for, users, office_kiosk, settings):
    settings.SIMASN_BASE_URL = ""
    admin = client_for(users.admin_opd_a)
    html = admin.get(reverse("attendance_capture:kiosk_display", args=[office_kiosk.pk])).content.decode()
    url = re.search(r'data-scan-url="([^"]+)"', html)[1].replace("&amp;", "&")
    token = re.search(r'data-token="([^"]+)"', html)[1]
    assert url == f"http://testserver{reverse(SCAN)}?qr={token}"
    assert kiosk.qr_svg(url) in html  # the QR drawn is the address, not the bare code
    settings.SIMASN_BASE_URL = "https://simasn.kendarikota.go.id/"
    fragment = admin.get(reverse("attendance_capture:kiosk_qr", args=[office_kiosk.pk])).content.decode()
    url = re.search(r'data-scan-url="([^"]+)"', fragment)[1]
    assert url.startswith(f"https://simasn.kendarikota.go.id{reverse(SCAN)}?qr=k{office_kiosk.pk}.")


# --- the scan page ---------------------------------------------------------------------------------------------


def test_opening_the_scan_page_shows_the_office_and_two_buttons(client_for, users, office_kiosk):
    response = open_scan(client_for(users.staff_a), kiosk.token_for(office_kiosk, now=NOW))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert 'data-state="ready"' in html and "Kantor Dinas Alpha" in html and "Lobi" in html
    assert "Masuk" in html and "Pulang" in html and "csrfmiddlewaretoken" in html
    forms = forms_of(html)
    assert set(forms) == {"in", "out"}
    assert forms["in"]["client_id"] != forms["out"]["client_id"]  # back-and-tap-the-other is no conflict
    assert uuid.UUID(forms["in"]["client_id"]).version == 4
    assert kiosk.kiosk_from_token(forms["in"]["qr"], user_id=users.staff_a.pk, now=NOW) == office_kiosk
    assert CheckInEvent.objects.count() == 0  # opening the page records nothing


def test_the_page_opened_from_the_full_address_works_too(client_for, users, office_kiosk):
    url = f"https://simasn.contoh.go.id{reverse(SCAN)}?qr={kiosk.token_for(office_kiosk, now=NOW)}"
    response = open_scan(client_for(users.staff_a), url)
    assert response.status_code == 200 and 'data-state="ready"' in response.content.decode()


def test_tapping_masuk_records_a_kiosk_event_at_the_kiosk_office(client_for, users, office_kiosk, org, now):
    staff = client_for(users.staff_a)
    fields = forms_of(open_scan(staff, kiosk.token_for(office_kiosk, now=NOW)).content.decode())["in"]
    now.value = NOW + dt.timedelta(seconds=8)
    response = tap(staff, fields)
    html = response.content.decode()
    assert response.status_code == 200, html
    assert 'data-status="accepted"' in html and "Presensi diterima" in html and "07:20:08" in html
    assert "Kantor Dinas Alpha" in html and 'id="replayed"' not in html
    event = CheckInEvent.objects.get()
    assert event.employee == org.staff_a and event.kind == "in" and event.source == EventSource.KIOSK
    assert event.location_id == office_kiosk.location_id and event.distance_m == 0
    assert (event.latitude, event.longitude) == (office_kiosk.location.latitude, office_kiosk.location.longitude)
    assert event.server_time == NOW + dt.timedelta(seconds=8)
    assert event.client_time == NOW  # when the code was read
    assert str(event.client_id) == fields["client_id"] and event.flags == []


def test_the_same_tap_twice_is_one_event(client_for, users, office_kiosk, now):
    staff = client_for(users.staff_a)
    fields = forms_of(open_scan(staff, kiosk.token_for(office_kiosk, now=NOW)).content.decode())["in"]
    first = tap(staff, fields)
    now.value = NOW + dt.timedelta(seconds=5)
    again = tap(staff, fields)
    assert first.status_code == again.status_code == 200
    assert 'id="replayed"' in again.content.decode() and 'data-status="accepted"' in again.content.decode()
    assert CheckInEvent.objects.count() == 1
    # The same client_id with another body (not something the page sends) is refused, not recorded.
    conflict = tap(staff, {**fields, "kind": "out"})
    assert conflict.status_code == 409 and 'id="scan-error"' in conflict.content.decode()
    assert CheckInEvent.objects.count() == 1


def test_a_tap_within_the_grace_counts_though_the_screen_rotated_twice(client_for, users, office_kiosk, now):
    staff = client_for(users.staff_a)
    forms = forms_of(open_scan(staff, kiosk.token_for(office_kiosk, now=NOW)).content.decode())
    now.value = NOW + dt.timedelta(seconds=kiosk.SCAN_PASS_SECONDS)
    assert tap(staff, forms["in"]).status_code == 200
    now.value = NOW + dt.timedelta(seconds=kiosk.SCAN_PASS_SECONDS + 1)
    late = tap(staff, forms["out"])
    html = late.content.decode()
    assert late.status_code == 422 and 'data-code="qr_expired"' in html
    assert "Kode QR sudah kedaluwarsa" in html and "pindai lagi" in html.lower()
    assert list(CheckInEvent.objects.values_list("kind", flat=True)) == ["in"]


def test_an_expired_code_says_so_and_stores_nothing(client_for, users, office_kiosk, now):
    """E.g. the login detour took longer than a rotation: the page explains and asks to scan again."""
    staff = client_for(users.staff_a)
    old = kiosk.token_for(office_kiosk, now=NOW - dt.timedelta(seconds=90))
    response = open_scan(staff, old)
    html = response.content.decode()
    assert response.status_code == 422 and 'data-code="qr_expired"' in html
    assert "kedaluwarsa" in html and "baru saja masuk" in html and "data-kiosk-form" not in html
    posted = tap(staff, {"kind": "in", "client_id": str(uuid.uuid4()), "qr": old})  # the bare old code
    assert posted.status_code == 422 and 'data-code="qr_expired"' in posted.content.decode()
    assert CheckInEvent.objects.count() == 0


def test_forged_codes_and_passes_are_refused(client_for, users, office_kiosk):
    staff = client_for(users.staff_a)
    code = kiosk.token_for(office_kiosk, now=NOW)
    forged = code[:-2] + ("AA" if code[-2:] != "AA" else "BB")
    response = open_scan(staff, forged)
    assert response.status_code == 403 and "Kode QR ditolak" in response.content.decode()
    scan_pass = forms_of(open_scan(staff, code).content.decode())["in"]["qr"]
    assert open_scan(staff, scan_pass).status_code == 403  # a pass in the address earns no new pass
    for qr in (scan_pass[:-2] + ("AA" if scan_pass[-2:] != "AA" else "BB"), "bukan-kode"):
        posted = tap(staff, {"kind": "in", "client_id": str(uuid.uuid4()), "qr": qr})
        assert posted.status_code == 403 and 'data-code="qr_invalid"' in posted.content.decode()
    assert CheckInEvent.objects.count() == 0


def test_a_forwarded_pass_is_refused_on_the_colleagues_phone(client_for, users, office_kiosk):
    fields = forms_of(open_scan(client_for(users.staff_a), kiosk.token_for(office_kiosk, now=NOW)).content.decode())
    posted = tap(client_for(users.staff_b), fields["in"])
    html = posted.content.decode()
    assert posted.status_code == 403 and 'data-code="qr_invalid"' in html and "tidak sah untuk akun Anda" in html
    assert CheckInEvent.objects.count() == 0
    assert tap(client_for(users.staff_a), fields["in"]).status_code == 200  # the one who scanned still can


def test_an_inactive_kiosk_is_named_as_such(client_for, users, office_kiosk):
    staff = client_for(users.staff_a)
    code = kiosk.token_for(office_kiosk, now=NOW)
    fields = forms_of(open_scan(staff, code).content.decode())["in"]
    kiosk.kiosk_set_active(actor=users.admin_bkpsdm, pk=office_kiosk.pk, active=False)
    for response in (open_scan(staff, code), tap(staff, fields)):
        html = response.content.decode()
        assert response.status_code == 403 and 'data-code="kiosk_inactive"' in html and "tidak aktif" in html
    assert CheckInEvent.objects.count() == 0


def test_a_login_without_an_employee_record_cannot_check_in(client_for, users, office_kiosk):
    admin = client_for(users.admin_bkpsdm)
    response = open_scan(admin, kiosk.token_for(office_kiosk, now=NOW))
    html = response.content.decode()
    assert response.status_code == 403 and "tidak terhubung dengan data pegawai" in html
    assert "data-kiosk-form" not in html
    posted = tap(admin, {"kind": "in", "client_id": str(uuid.uuid4()), "qr": kiosk.token_for(office_kiosk, now=NOW)})
    assert posted.status_code == 403 and CheckInEvent.objects.count() == 0


def test_logged_out_the_camera_link_goes_to_login_and_back(client, office_kiosk):
    code = kiosk.token_for(office_kiosk, now=NOW)
    response = open_scan(client, code)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse(settings.LOGIN_URL)
    assert parse_qs(target.query)["next"] == [f"{reverse(SCAN)}?qr={code}"]
    assert client.post(reverse(SCAN), {"kind": "in", "client_id": str(uuid.uuid4()), "qr": code}).status_code == 302
    assert CheckInEvent.objects.count() == 0


def test_the_tap_needs_the_csrf_token(users, office_kiosk):
    staff = login(Client(enforce_csrf_checks=True), users.staff_a)
    fields = forms_of(open_scan(staff, kiosk.token_for(office_kiosk, now=NOW)).content.decode())["in"]
    assert tap(staff, fields).status_code == 403
    assert CheckInEvent.objects.count() == 0


def test_an_incomplete_tap_is_refused(client_for, users, office_kiosk):
    staff = client_for(users.staff_a)
    for fields in ({}, {"kind": "in", "client_id": "bukan-uuid", "qr": "x"}, {"kind": "masuk", "qr": "x",
                                                                              "client_id": str(uuid.uuid4())}):
        response = tap(staff, fields)
        assert response.status_code == 400 and "Pindai ulang" in response.content.decode()
    assert CheckInEvent.objects.count() == 0


def test_an_employee_of_another_opd_is_recorded_there_and_flagged(client_for, users, office_kiosk, org):
    """Presence at that office is proven, but it is not one of his allowed locations: the service flags it for
    review (OUTSIDE_GEOFENCE, location_not_allowed); the page shows the flag in Indonesian."""
    office_for(org.opd_b, point=FAR, name="Kantor Badan Beta")  # his own office, elsewhere
    visitor = client_for(users.staff_b)
    fields = forms_of(open_scan(visitor, kiosk.token_for(office_kiosk, now=NOW)).content.decode())["in"]
    response = tap(visitor, fields)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="flagged"' in html
    assert 'data-flag="OUTSIDE_GEOFENCE"' in html and FLAG_LABELS["OUTSIDE_GEOFENCE"] in html
    event = CheckInEvent.objects.get()
    assert event.employee == org.staff_b and event.flags == ["OUTSIDE_GEOFENCE"]
    assert event.flag_details["OUTSIDE_GEOFENCE"]["reason"] == "location_not_allowed"
    assert event.location_id == office_kiosk.location_id


def test_without_a_code_the_page_explains_how_to_scan(client_for, users):
    response = client_for(users.staff_a).get(reverse(SCAN))
    assert response.status_code == 200 and "Arahkan kamera ponsel" in response.content.decode()


# --- the API takes the address as well as the bare code ----------------------------------------------------------


def _api_scan(client, token, qr, client_id):
    data = {"client_id": client_id, "kind": "in", "qr": qr, "client_time": NOW.isoformat()}
    return client.post(f"{API}/kiosk-check-ins", json.dumps(data), content_type="application/json", **bearer(token))


def test_the_api_accepts_the_scanned_address_and_the_bare_code_as_one_body(client, users, office_kiosk):
    token = token_for(users.staff_a)
    code = kiosk.token_for(office_kiosk, now=NOW)
    client_id = str(uuid.uuid4())
    first = _api_scan(client, token, f"https://simasn.contoh.go.id{reverse(SCAN)}?qr={code}", client_id)
    assert first.status_code == 201, first.content
    assert first.json()["location"]["id"] == office_kiosk.location_id
    retry = _api_scan(client, token, code, client_id)
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    assert CheckInEvent.objects.count() == 1
    no_code = _api_scan(client, token, f"https://simasn.contoh.go.id{reverse(SCAN)}", str(uuid.uuid4()))
    assert no_code.status_code == 403 and no_code.json()["code"] == "qr_invalid"
    too_long = _api_scan(client, token, "https://x.test/?qr=" + "a" * 1000, str(uuid.uuid4()))
    assert too_long.status_code == 422
    assert CheckInEvent.objects.count() == 1


# --- in a real browser: the kiosk screen on a desk, the phone's camera link, login, Masuk ----------------------


def _session_context(browser, base: str, user, **options):
    """A browser context holding the user's session (admin roles: with the second factor already verified)."""
    session_client = login(Client(), user)
    context = browser.new_context(**options)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": base,
                          "value": session_client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium tidak terpasang (/usr/bin/chromium)")
def test_scanning_the_kiosk_screen_with_a_phone_checks_in(browser, live_server, transactional_db, org, users,
                                                          settings):
    settings.SIMASN_BASE_URL = ""
    from .test_browser_attendance import PHONE, _always_open_schedule  # a schedule open all day, a phone

    _always_open_schedule(org.staff_a)  # accepted whatever the hour the test runs at
    office = office_for(org.opd_a)
    screen = Kiosk.objects.create(location=office, name="Lobi utama", secret="d" * 64)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    desk = _session_context(browser, base, users.admin_opd_a, viewport={"width": 1280, "height": 900},
                            locale="id-ID")
    display = desk.new_page()
    assert display.goto(base + reverse("attendance_capture:kiosk_display", args=[screen.pk])).status == 200
    scan_address = display.get_attribute("[data-scan-url]", "data-scan-url")
    assert scan_address.startswith(f"{base}{reverse(SCAN)}?qr=k{screen.pk}.")
    display.screenshot(path=str(SHOTS / "presensi_kios_layar.png"), full_page=True)
    # What a camera reads off the screen is that address (OpenCV's QR reader on the rendered pixels).
    import cv2
    import numpy

    pixels = numpy.frombuffer(display.locator(".kiosk-qr").screenshot(), dtype=numpy.uint8)
    read, _points, _code = cv2.QRCodeDetector().detectAndDecode(cv2.imdecode(pixels, cv2.IMREAD_COLOR))
    assert read == scan_address

    # The camera app opens the address in the phone's browser; not logged in yet: login, then back here.
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(read)
    assert reverse(settings.LOGIN_URL) in page.url
    page.fill("input[name=username]", users.staff_a.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#kiosk-scan[data-state='ready']")
    assert office.name in page.inner_text("#kiosk-office")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the scan page is {overflow}px wider than a 360px phone"
    page.screenshot(path=str(SHOTS / "presensi_kios_pindai.png"), full_page=True)

    # A colleague elsewhere, sent the pass of this page: his own scan page with it in the form is refused.
    colleague = _session_context(browser, base, users.staff_b, **PHONE)
    elsewhere = colleague.new_page()
    elsewhere.goto(read)
    elsewhere.wait_for_selector("#kiosk-scan[data-state='ready']")
    forwarded = page.get_attribute("#btn-in >> xpath=ancestor::form//input[@name='qr']", "value")
    elsewhere.evaluate("pass => document.querySelectorAll('input[name=qr]').forEach(i => i.value = pass)", forwarded)
    elsewhere.click("#btn-in")
    elsewhere.wait_for_selector("#scan-error[data-code='qr_invalid']")
    assert "tidak sah untuk akun Anda" in elsewhere.inner_text("#scan-error")
    elsewhere.screenshot(path=str(SHOTS / "presensi_kios_diteruskan.png"), full_page=True)
    colleague.close()
    assert not CheckInEvent.objects.exists()

    page.click("#btn-in")
    page.wait_for_selector("#result-card[data-status='accepted']")
    assert office.name in page.inner_text("#result-card")
    event = CheckInEvent.objects.get()
    assert (event.employee, event.kind, event.source, event.location_id) == (org.staff_a, "in", EventSource.KIOSK,
                                                                            office.pk)
    page.screenshot(path=str(SHOTS / "presensi_kios_diterima.png"), full_page=True)

    # Reloading the answer resubmits the same form: the same event, said so.
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.wait_for_selector("#replayed")
    assert CheckInEvent.objects.count() == 1
    phone.close()
    desk.close()
