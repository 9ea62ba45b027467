"""Login by NIP and password, logout, and the django-axes lockout keyed on (NIP, address)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from simasn.accounts.tests.factories import DEFAULT_PASSWORD

LOGIN = "/akun/masuk/"


def post_login(client, username, password=DEFAULT_PASSWORD, ip="10.1.1.1", **data):
    return client.post(LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=ip)


def test_login_page_is_in_indonesian(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Masuk ke SIMASN" in html
    assert 'autocomplete="username"' in html
    assert "NIP" in html


def test_pegawai_logs_in_by_nip_and_lands_on_home(client, users):
    response = post_login(client, users.staff_a.username)
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("accounts:devices")).status_code == 200


def test_nip_typed_in_groups_is_accepted(client, users):
    nip = users.staff_a.username
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert post_login(client, grouped).status_code == 302


def test_wrong_password_shows_one_indonesian_message(client, users):
    response = post_login(client, users.staff_a.username, "salah-sekali-123")
    assert response.status_code == 200
    assert "NIP atau kata sandi salah." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_nip_and_inactive_account_get_the_same_message(client, users):
    users.staff_b.is_active = False
    users.staff_b.save()
    for username in ("199901012020011001", users.staff_b.username):
        response = post_login(client, username)
        assert response.status_code == 200
        assert "NIP atau kata sandi salah." in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_empty_fields_get_specific_messages(client, db):
    html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "NIP wajib diisi." in html
    assert "Kata sandi wajib diisi." in html


def test_next_on_this_site_is_followed(client, users):
    response = post_login(client, users.staff_a.username, next="/akun/perangkat/")
    assert response.url == "/akun/perangkat/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_next_to_another_site_is_ignored(client, users, target):
    response = post_login(client, users.staff_a.username, next=target)
    assert response.url == reverse("core:home")


def test_logout_requires_post(client_for, users):
    client = client_for(users.staff_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


class TestLockout:
    """AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]: a whole office shares one NAT address."""

    def fail_until_locked(self, client, username, ip):
        responses = [post_login(client, username, "salah-terus-123", ip=ip)
                     for _ in range(settings.AXES_FAILURE_LIMIT)]
        return responses[-1]

    def test_limit_failures_lock_the_pair_with_a_page_that_says_when(self, client, users):
        last = self.fail_until_locked(client, users.staff_a.username, "10.9.9.9")
        assert last.status_code == 429
        html = last.content.decode()
        assert "Akun terkunci sementara" in html
        assert "Coba lagi setelah pukul" in html
        assert "WITA" in html
        # Locked now: even the right password is refused from this address.
        again = post_login(client, users.staff_a.username, ip="10.9.9.9")
        assert again.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_one_failure_short_of_the_limit_still_logs_in(self, client, users):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert post_login(client, users.staff_a.username, "salah-terus-123", ip="10.9.9.8").status_code == 200
        assert post_login(client, users.staff_a.username, ip="10.9.9.8").status_code == 302

    def test_same_nip_from_another_address_still_logs_in(self, client, users):
        self.fail_until_locked(client, users.staff_a.username, "10.9.9.9")
        assert post_login(client, users.staff_a.username, ip="10.7.7.7").status_code == 302

    def test_another_nip_from_the_same_address_still_logs_in(self, client, users):
        self.fail_until_locked(client, users.staff_a.username, "10.9.9.9")
        assert post_login(client, users.staff_b.username, ip="10.9.9.9").status_code == 302

    def test_success_resets_the_count(self, client, users, django_user_model):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            post_login(client, users.staff_a.username, "salah-terus-123", ip="10.9.9.7")
        assert post_login(client, users.staff_a.username, ip="10.9.9.7").status_code == 302
        client.post(reverse("accounts:logout"))
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert post_login(client, users.staff_a.username, "salah-terus-123", ip="10.9.9.7").status_code == 200
