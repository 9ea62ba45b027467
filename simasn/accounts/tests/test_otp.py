"""TOTP second factor: required for admin_bkpsdm and admin_opd, not for other roles."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.core.models import AuditEvent

OTP = "/akun/otp/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A code outside the accepted window (one step either side), so the test cannot pass by luck."""
    valid = {totp(device.bin_key, drift=d) for d in (-2, -1, 0, 1, 2)}
    return next(f"{c:06d}" for c in range(1, 10**6) if c not in valid)


def password_login(user, ip="10.2.2.2") -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": DEFAULT_PASSWORD,
                                                        "next": "/akun/perangkat/"})
    return client, response


@pytest.mark.parametrize("role", ["admin_bkpsdm", "admin_opd_a"])
def test_admin_roles_go_from_password_to_otp(users, role):
    client, response = password_login(getattr(users, role))
    assert response.status_code == 302
    assert response.url.startswith(OTP)
    assert "next=%2Fakun%2Fperangkat%2F" in response.url
    # Any other page sends them back to the second factor, keeping where they were going.
    page = client.get("/akun/kata-sandi/?x=1&y=2")
    assert page.status_code == 302
    assert page.url == f"{OTP}?next=%2Fakun%2Fkata-sandi%2F%3Fx%3D1%26y%3D2"


@pytest.mark.parametrize("role", ["admin_bkpsdm", "admin_opd_a"])
def test_session_api_refuses_admin_without_otp(users, role):
    client, _ = password_login(getattr(users, role))
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert response.json()["code"] == "otp_required"


@pytest.mark.parametrize("role", ["pimpinan", "inspektorat", "staff_a", "kabid"])
def test_other_roles_need_no_second_factor(users, role):
    client, response = password_login(getattr(users, role))
    assert response.url == "/akun/perangkat/"
    assert client.get("/akun/perangkat/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_enrolment_shows_qr_and_secret_then_a_real_code_confirms(users):
    admin = users.admin_bkpsdm
    client, _ = password_login(admin)
    page = client.get(f"{OTP}?next=/akun/perangkat/")
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert "<svg" in html and "http://" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", "")
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    # Reloading the page keeps the same secret (the QR code already scanned stays valid).
    client.get(OTP)
    assert TOTPDevice.objects.filter(user=admin).count() == 1

    response = client.post(OTP, {"token": code_for(device), "next": "/akun/perangkat/"})
    assert response.status_code == 302
    assert response.url == "/akun/perangkat/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/akun/perangkat/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    actions = set(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert {"accounts.otp_enrolment_started", "accounts.otp_enrolled"} <= actions
    logged = " ".join(f"{e.summary} {e.before} {e.after}" for e in AuditEvent.objects.all())
    assert device.key not in logged and page.context["secret"].replace(" ", "") not in logged


def test_wrong_enrolment_code_is_refused_and_device_stays_unconfirmed(users):
    client, _ = password_login(users.admin_opd_a)
    client.get(OTP)
    device = TOTPDevice.objects.get(user=users.admin_opd_a)
    response = client.post(OTP, {"token": wrong_code_for(device)})
    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/akun/perangkat/").status_code == 302


@pytest.fixture
def enrolled_admin(users):
    device = TOTPDevice.objects.create(user=users.admin_bkpsdm, name="ponsel", confirmed=True)
    return users.admin_bkpsdm, device


def test_enrolled_admin_enters_code_and_is_verified(enrolled_admin):
    admin, device = enrolled_admin
    client, _ = password_login(admin)
    page = client.get(OTP)
    assert "<svg" not in page.content.decode()  # no new enrolment once a device is confirmed
    response = client.post(OTP, {"token": code_for(device), "next": "/akun/perangkat/"})
    assert response.url == "/akun/perangkat/"
    assert client.get("/api/v1/me").status_code == 200


def test_a_code_cannot_be_used_twice(enrolled_admin):
    admin, device = enrolled_admin
    code = code_for(device)
    first, _ = password_login(admin)
    assert first.post(OTP, {"token": code}).status_code == 302
    second, _ = password_login(admin, ip="10.2.2.3")
    assert second.post(OTP, {"token": code}).status_code == 200
    assert second.get("/akun/perangkat/").status_code == 302


def test_wrong_code_refused_with_message(enrolled_admin):
    admin, device = enrolled_admin
    client, _ = password_login(admin)
    response = client.post(OTP, {"token": wrong_code_for(device)})
    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    assert client.get("/akun/perangkat/").status_code == 302


@pytest.mark.parametrize("token", ["12345", "abcdef", "1234567"])
def test_code_must_be_six_digits(enrolled_admin, token):
    client, _ = password_login(enrolled_admin[0])
    assert "Kode harus terdiri dari 6 angka." in client.post(OTP, {"token": token}).content.decode()


def test_throttled_device_refuses_even_the_right_code_and_says_how_long(enrolled_admin):
    admin, device = enrolled_admin
    device.throttling_failure_count = 5  # the next try is allowed 16 s after the last failure
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client, _ = password_login(admin)
    response = client.post(OTP, {"token": code_for(device)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Terlalu banyak kode salah. Tunggu" in html
    assert client.get("/akun/perangkat/").status_code == 302


def test_verified_admin_visiting_otp_page_is_sent_on(users, client_for):
    client = client_for(users.admin_bkpsdm)
    response = client.get(f"{OTP}?next=/akun/perangkat/")
    assert response.status_code == 302
    assert response.url == "/akun/perangkat/"


def test_otp_page_requires_login(client, db):
    response = client.get(OTP)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
