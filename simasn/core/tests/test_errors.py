"""Friendly Indonesian error pages; the 500 page needs neither the database nor a request."""

import pytest
from django.test import Client, RequestFactory

from simasn.core import views


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


def test_missing_page_is_a_friendly_404(client, db, production):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    assert 'lang="id"' in response.text


def test_404_for_a_signed_in_user_keeps_the_navigation(client_for, users, production):
    response = client_for(users.staff_a).get("/pegawai/999999999/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
    assert "Kembali ke Beranda" in response.text


def test_forbidden_page_is_a_friendly_403(client_for, users, production):
    response = client_for(users.staff_a).get("/audit/")
    assert response.status_code == 403
    assert "tidak berwenang" in response.text


def test_500_page_renders_without_database_or_request():
    # No `db` fixture: pytest-django makes any database access in here an error.
    response = views.error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Maaf, terjadi kesalahan pada sistem" in response.content.decode()


@pytest.mark.urls("simasn.core.tests.urls_errors")
def test_an_unexpected_failure_shows_the_500_page(db, production):
    client = Client(raise_request_exception=False)
    response = client.get("/uji-galat/")
    assert response.status_code == 500
    assert "Maaf, terjadi kesalahan pada sistem" in response.content.decode()
    assert "kegagalan uji" not in response.content.decode()
