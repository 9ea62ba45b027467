"""Kiosk QR mode: signed rotating codes, the kiosk check-in API, and the kiosk pages."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse

from simasn.attendance import kiosk
from simasn.attendance.models import CheckInEvent, EventSource, Kiosk
from simasn.core.models import AuditEvent

from .capture_helpers import (
    API,
    URLCONF,
    assert_is_a_checkin_out,
    at,
    bearer,
    five_day_schedule,
    office_for,
    token_for,
    working_monday,
)

pytestmark = pytest.mark.urls(URLCONF)

NOW = at(working_monday(), "07:20")


@pytest.fixture
def now(monkeypatch):
    class Clock:
        value = NOW

    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.value)
    return clock


@pytest.fixture
def office_kiosk(org, now):
    five_day_schedule(org.opd_a)
    office = office_for(org.opd_a)
    return Kiosk.objects.create(location=office, name="Lobi", secret="a" * 64)


def scan(client, token, qr, **changes):
    data = {"client_id": str(uuid.uuid4()), "kind": "in", "qr": qr, "client_time": NOW.isoformat(), **changes}
    response = client.post(f"{API}/kiosk-check-ins", json.dumps(data), content_type="application/json",
                           **bearer(token))
    if response.status_code in (200, 201):
        assert_is_a_checkin_out(response)
    return response


def test_token_is_valid_in_its_slot_and_the_next_only(office_kiosk):
    token = kiosk.token_for(office_kiosk, now=NOW)
    period = dt.timedelta(seconds=30)
    assert kiosk.kiosk_from_token(token, now=NOW) == office_kiosk
    assert kiosk.kiosk_from_token(token, now=NOW + period) == office_kiosk
    with pytest.raises(kiosk.QrExpired):
        kiosk.kiosk_from_token(token, now=NOW + 2 * period)
    with pytest.raises(kiosk.QrInvalid):  # a code of a slot that has not come yet was never on a screen
        kiosk.kiosk_from_token(token, now=NOW - period)


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
    lambda t: t.replace(t.split(".")[1], str(int(t.split(".")[1]) + 1)),  # slot moved
    lambda t: "k999." + ".".join(t.split(".")[1:]),  # another kiosk id
    lambda t: "",
    lambda t: "https://contoh.test/qr",
])
def test_forged_tokens_are_refused(office_kiosk, mangle):
    with pytest.raises(kiosk.QrInvalid):
        kiosk.kiosk_from_token(mangle(kiosk.token_for(office_kiosk, now=NOW)), now=NOW)


def test_the_secret_key_takes_part_in_the_signature(office_kiosk, settings):
    token = kiosk.token_for(office_kiosk, now=NOW)
    settings.SECRET_KEY = "kunci-lain-" + "x" * 40
    with pytest.raises(kiosk.QrInvalid):
        kiosk.kiosk_from_token(token, now=NOW)


def test_kiosk_check_in_counts_at_the_kiosk_office(client, users, office_kiosk, org):
    response = scan(client, token_for(users.staff_a), kiosk.token_for(office_kiosk, now=NOW))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "accepted" and data["location"]["id"] == office_kiosk.location_id
    event = CheckInEvent.objects.get()
    assert event.source == EventSource.KIOSK and event.latitude == office_kiosk.location.latitude


def test_expired_and_forged_codes_store_nothing(client, users, office_kiosk, now):
    token = token_for(users.staff_a)
    old = kiosk.token_for(office_kiosk, now=NOW - dt.timedelta(seconds=90))
    expired = scan(client, token, old)
    assert expired.status_code == 422 and expired.json()["code"] == "qr_expired"
    forged = scan(client, token, old[:-2] + "xx")
    assert forged.status_code == 403 and forged.json()["code"] == "qr_invalid"
    assert scan(client, token, kiosk.token_for(office_kiosk, now=NOW), latitude=1.0).status_code == 422
    assert CheckInEvent.objects.count() == 0


def test_a_kiosk_of_another_opd_is_flagged(client, users, office_kiosk, org):
    other = Kiosk.objects.create(location=office_for(org.opd_b, name="Kantor Beta"), name="Beta", secret="b" * 64)
    response = scan(client, token_for(users.staff_a), kiosk.token_for(other, now=NOW))
    assert response.status_code == 201 and "OUTSIDE_GEOFENCE" in response.json()["flags"]


def test_an_inactive_kiosk_code_is_refused(client, users, office_kiosk):
    qr = kiosk.token_for(office_kiosk, now=NOW)
    kiosk.kiosk_set_active(actor=users.admin_bkpsdm, pk=office_kiosk.pk, active=False)
    assert scan(client, token_for(users.staff_a), qr).status_code == 403


def test_kiosk_pages_for_the_admin_opd(client_for, users, office_kiosk, org):
    admin = client_for(users.admin_opd_a)
    listing = admin.get(reverse("attendance_capture:kiosks"))
    assert listing.status_code == 200 and "Lobi" in listing.content.decode()
    display = admin.get(reverse("attendance_capture:kiosk_display", args=[office_kiosk.pk]))
    html = display.content.decode()
    assert display.status_code == 200 and "<svg" in html and 'hx-trigger="load delay:' in html
    assert display["Cache-Control"] == "no-store"
    token = html.split('data-token="')[1].split('"')[0]
    assert kiosk.kiosk_from_token(token, now=NOW) == office_kiosk
    fragment = admin.get(reverse("attendance_capture:kiosk_qr", args=[office_kiosk.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def test_admin_opd_creates_a_kiosk_for_his_office_only(client_for, users, org, now):
    own = office_for(org.opd_a)
    foreign = office_for(org.opd_b, name="Kantor Beta")
    admin = client_for(users.admin_opd_a)
    response = admin.post(reverse("attendance_capture:kiosks"), {"location": own.pk, "name": "Pintu depan"})
    assert response.status_code == 302
    created = Kiosk.objects.get(name="Pintu depan")
    assert len(created.secret) == 64
    assert AuditEvent.objects.filter(action="attendance.kiosk_created").count() == 1
    refused = admin.post(reverse("attendance_capture:kiosks"), {"location": foreign.pk, "name": "Bukan milik"})
    assert refused.status_code == 200 and not Kiosk.objects.filter(name="Bukan milik").exists()


def test_kiosk_pages_are_closed_to_pegawai_and_other_opd(client_for, users, office_kiosk, org):
    assert client_for(users.staff_a).get(reverse("attendance_capture:kiosks")).status_code == 403
    other_admin = client_for(users.admin_opd_a)
    foreign = Kiosk.objects.create(location=office_for(org.opd_b), name="Beta", secret="c" * 64)
    assert other_admin.get(reverse("attendance_capture:kiosk_display", args=[foreign.pk])).status_code == 404
