"""Token API requests take the short middleware chain (TOKEN_API_MIDDLEWARE); everything else the browser's."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import translation

from simasn.accounts.services import device_token_issue, device_token_revoke
from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.accounts.tests.test_api import bearer
from simasn.conftest import login
from simasn.core.handlers import is_token_api_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "authorization", "expected"), [
    ("/api/v1/attendance/check-ins", "Bearer abc", True),
    ("/api/v1/me", "bearer abc", True),  # the scheme is case-insensitive
    ("/api/v1/me", "BEARER abc", True),
    ("/api/v1/me", "", False),  # the session API of the web pages
    ("/api/v1/me", "Basic dXNlcjpwdw==", False),
    ("/api/v1/me", "Bearerabc", False),
    ("/presensi/", "Bearer abc", False),  # pages never take a token
    ("/apiv1/me", "Bearer abc", False),
])
def test_which_requests_take_the_token_chain(path, authorization, expected):
    environ = {"PATH_INFO": path, **({"HTTP_AUTHORIZATION": authorization} if authorization else {})}
    assert is_token_api_request(environ) is expected


def test_a_token_request_leaves_the_session_and_csrf_middleware_out(users):
    _token, raw = device_token_issue(user=users.staff_a, device_id="ponsel-1")
    response = Client(enforce_csrf_checks=True).get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == users.staff_a.username
    assert not hasattr(response.wsgi_request, "session")
    assert "Cookie" not in response.get("Vary", "")
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware stays


def test_a_web_page_request_with_a_token_still_takes_the_browser_chain(users):
    _token, raw = device_token_issue(user=users.staff_a, device_id="ponsel-1")
    response = Client().get("/presensi/absen/", **bearer(raw))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]  # a token is no login
    assert hasattr(response.wsgi_request, "session")


def test_a_revoked_token_is_refused_even_beside_a_logged_in_session(users):
    token, raw = device_token_issue(user=users.staff_a, device_id="ponsel-1")
    device_token_revoke(actor=users.staff_a, token_id=token.pk)
    client = login(Client(), users.staff_a)
    assert client.get("/api/v1/me").status_code == 200  # the session alone is a login on the session API
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_the_token_chain_checks_the_host(users):
    _token, raw = device_token_issue(user=users.staff_a, device_id="ponsel-1")
    response = Client().get("/api/v1/me", HTTP_HOST="penyerang.example", **bearer(raw))
    assert response.status_code == 400  # CommonMiddleware's get_host(): ALLOWED_HOSTS


def test_a_token_request_is_answered_in_the_default_language_whatever_the_worker_served_before(users):
    _token, raw = device_token_issue(user=users.staff_a, device_id="ponsel-1")
    translation.activate("en")  # as a previous browser request with the English cookie leaves the thread
    try:
        Client().get("/api/v1/me", **bearer(raw))
        assert translation.get_language() == settings.LANGUAGE_CODE == "id"
    finally:
        translation.deactivate()


def test_token_login_without_a_token_keeps_the_browser_chain(client, users):
    response = client.post("/api/v1/auth/device-token", {"nip": users.staff_a.username, "password": DEFAULT_PASSWORD,
                                                         "device_id": "ponsel-1"}, content_type="application/json")
    assert response.status_code == 201
    assert hasattr(response.wsgi_request, "session")


def test_the_token_login_works_on_the_token_chain_too(users):
    """A phone that logs in again may still send its old token: the login then runs on the token chain, where
    django-axes still counts the failures and a failure is still a JSON answer."""
    token, raw = device_token_issue(user=users.staff_a, device_id="ponsel-1")
    device_token_revoke(actor=users.staff_a, token_id=token.pk)
    client = Client()
    wrong = client.post("/api/v1/auth/device-token", {"nip": users.staff_a.username, "password": "salah-salah",
                                                      "device_id": "ponsel-1"},
                        content_type="application/json", **bearer(raw))
    assert wrong.status_code == 401 and wrong.json()["code"]
    assert not hasattr(wrong.wsgi_request, "session")
    assert AccessAttempt.objects.get(username=users.staff_a.username).failures_since_start == 1
    right = client.post("/api/v1/auth/device-token", {"nip": users.staff_a.username, "password": DEFAULT_PASSWORD,
                                                      "device_id": "ponsel-1"},
                        content_type="application/json", **bearer(raw))
    assert right.status_code == 201 and right.json()["token"] != raw
