"""Sessions end when an account is deactivated, with the project's real authentication backends."""

from __future__ import annotations

import importlib.util

from django.conf import settings

from config import settings as project_settings
from simasn.accounts.services import user_set_active


def test_configured_backends_include_axes_and_rules():
    # The proof below is only worth something with the backends production uses.
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def test_existing_web_session_stops_working_after_deactivation(client_for, users):
    client = client_for(users.staff_a)
    assert client.get("/akun/perangkat/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200

    user_set_active(actor=users.admin_bkpsdm, user=users.staff_a, is_active=False)

    page = client.get("/akun/perangkat/")
    assert page.status_code == 302
    assert page.url.startswith("/akun/masuk/")
    assert client.get("/api/v1/me").status_code == 401


def test_reactivating_an_account_does_not_bring_its_old_sessions_back(client_for, users):
    client = client_for(users.staff_a)
    user_set_active(actor=users.admin_bkpsdm, user=users.staff_a, is_active=False)
    user_set_active(actor=users.admin_bkpsdm, user=users.staff_a, is_active=True)

    assert client.get("/api/v1/me").status_code == 401
    assert client_for(users.staff_a).get("/api/v1/me").status_code == 200  # a new login works


def test_deactivated_admin_session_ends_too(client_for, users):
    client = client_for(users.admin_opd_a)
    assert client.get("/api/v1/me").status_code == 200
    users.admin_opd_a.is_active = False
    users.admin_opd_a.save(update_fields=["is_active"])
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/akun/perangkat/").status_code == 302



def test_production_hasher_is_argon2():
    # The autouse fixture in simasn/conftest.py swaps the hasher; the project module keeps the real list.
    assert importlib.util.find_spec("argon2") is not None
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
