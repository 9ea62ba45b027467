"""Password change and the "Perangkat terhubung" page."""

from __future__ import annotations

from django.urls import reverse

from simasn.accounts.models import DeviceToken
from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.core.models import AuditEvent

PASSWORD = "/akun/kata-sandi/"
NEW_PASSWORD = "Kendari-Bertakwa-2027"


def change(client, old=DEFAULT_PASSWORD, new1=NEW_PASSWORD, new2=NEW_PASSWORD):
    return client.post(PASSWORD, {"old_password": old, "new_password1": new1, "new_password2": new2})


def test_password_change_keeps_the_session_and_is_audited_without_the_password(client_for, users):
    client = client_for(users.staff_a)
    response = change(client)
    assert response.status_code == 302
    users.staff_a.refresh_from_db()
    assert users.staff_a.check_password(NEW_PASSWORD)
    assert client.get(PASSWORD).status_code == 200  # still logged in
    event = AuditEvent.objects.get(action="accounts.password_changed")
    assert event.actor_id == users.staff_a.pk
    logged = f"{event.summary} {event.before} {event.after}"
    assert NEW_PASSWORD not in logged and DEFAULT_PASSWORD not in logged and "argon2" not in logged


def test_password_change_keeps_an_admins_second_factor(client_for, users):
    client = client_for(users.admin_bkpsdm)
    assert change(client).status_code == 302
    assert client.get("/api/v1/me").status_code == 200


def test_wrong_old_password_is_refused(client_for, users):
    client = client_for(users.staff_a)
    response = change(client, old="bukan-sandi-lama")
    assert response.status_code == 200
    assert "Kata sandi lama salah." in response.content.decode()
    users.staff_a.refresh_from_db()
    assert users.staff_a.check_password(DEFAULT_PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password_changed").exists()


def test_mismatch_and_weak_passwords_are_refused(client_for, users):
    client = client_for(users.staff_a)
    assert "Kedua kata sandi baru tidak sama." in change(client, new2="Lain-Sekali-2027").content.decode()
    weak = change(client, new1="12345678901", new2="12345678901")
    assert weak.status_code == 200
    assert weak.context["form"].errors["new_password2"]
    users.staff_a.refresh_from_db()
    assert users.staff_a.check_password(DEFAULT_PASSWORD)


def test_other_sessions_end_after_password_change(client_for, users):
    phone_browser = client_for(users.staff_a)
    desk = client_for(users.staff_a)
    assert change(desk).status_code == 302
    assert phone_browser.get(PASSWORD).status_code == 302


def test_password_page_requires_login(client, db):
    assert client.get(PASSWORD).url.startswith(reverse("accounts:login"))


def make_token(user, device_id):
    return DeviceToken.objects.create(user=user, device_id=device_id, token_hash=f"{device_id:0>64}"[-64:])


def test_devices_page_lists_only_own_tokens(client_for, users):
    make_token(users.staff_a, "android-milik-a")
    make_token(users.staff_b, "android-milik-b")
    html = client_for(users.staff_a).get("/akun/perangkat/").content.decode()
    assert "android-milik-a" in html
    assert "android-milik-b" not in html
    assert "Aktif" in html and "Cabut" in html


def test_devices_page_revokes_own_token(client_for, users):
    token = make_token(users.staff_a, "android-milik-a")
    client = client_for(users.staff_a)
    response = client.post("/akun/perangkat/", {"token": token.pk}, follow=True)
    assert "dicabut" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_devices_page_cannot_revoke_someone_elses_token(client_for, users):
    other = make_token(users.staff_b, "android-milik-b")
    client = client_for(users.staff_a)
    for value in (other.pk, "bukan-angka", ""):
        response = client.post("/akun/perangkat/", {"token": value}, follow=True)
        assert "Token perangkat tidak ditemukan." in response.content.decode()
    other.refresh_from_db()
    assert other.revoked_at is None


def test_devices_page_has_constant_queries(client_for, users, django_assert_max_num_queries):
    client = client_for(users.staff_a)
    for i in range(30):
        make_token(users.staff_a, f"perangkat-{i}")
    with django_assert_max_num_queries(12):
        assert client.get("/akun/perangkat/").status_code == 200
