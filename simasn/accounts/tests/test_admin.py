"""Django admin for users and device tokens, the otp_reset command, and the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from simasn.accounts.models import DeviceToken, Role
from simasn.core.models import AuditEvent


@pytest.fixture
def superadmin(users, client_for):
    admin = users.admin_bkpsdm
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return client_for(admin)


def test_user_admin_pages_render(superadmin, users):
    assert superadmin.get("/django-admin/accounts/user/").status_code == 200
    assert superadmin.get("/django-admin/accounts/user/add/").status_code == 200
    page = superadmin.get(f"/django-admin/accounts/user/{users.staff_a.pk}/change/")
    assert page.status_code == 200
    assert "scope_unit" in page.content.decode()


def test_user_admin_change_is_audited_without_the_hash(superadmin, users, org):
    user = users.pimpinan
    response = superadmin.post(f"/django-admin/accounts/user/{user.pk}/change/", {
        "username": user.username, "full_name": "Wakil Wali Kota", "email": "", "role": Role.ADMIN_OPD,
        "scope_unit": org.opd_b.pk, "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.ADMIN_OPD and user.scope_unit == org.opd_b
    event = AuditEvent.objects.get(action="accounts.user_changed_admin")
    assert event.before["role"] == "pimpinan" and event.after["role"] == "admin_opd"
    assert event.after["password_changed"] is False
    assert user.password not in str(event.after)


def test_user_admin_refuses_admin_opd_without_scope_in_indonesian(superadmin, users):
    user = users.pimpinan
    response = superadmin.post(f"/django-admin/accounts/user/{user.pk}/change/", {
        "username": user.username, "full_name": "", "email": "", "role": Role.ADMIN_OPD, "scope_unit": "",
        "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    })
    assert response.status_code == 200
    assert "Admin OPD harus memiliki unit cakupan." in response.content.decode()
    user.refresh_from_db()
    assert user.role == Role.PIMPINAN


def test_device_tokens_are_read_only_and_revocable_in_admin(superadmin, users):
    token = DeviceToken.objects.create(user=users.staff_a, device_id="android-x", token_hash="c" * 64)
    assert superadmin.get("/django-admin/accounts/devicetoken/").status_code == 200
    page = superadmin.get(f"/django-admin/accounts/devicetoken/{token.pk}/change/")
    assert page.status_code == 200
    assert 'name="device_id"' not in page.content.decode()  # shown, not editable
    assert superadmin.get("/django-admin/accounts/devicetoken/add/").status_code == 403
    superadmin.post("/django-admin/accounts/devicetoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="accounts.device_token_revoked").count() == 1


def test_otp_reset_command_removes_devices_and_is_audited(users):
    TOTPDevice.objects.create(user=users.admin_opd_a, name="ponsel lama", confirmed=True)
    call_command("otp_reset", users.admin_opd_a.username)
    assert not TOTPDevice.objects.filter(user=users.admin_opd_a).exists()
    assert AuditEvent.objects.filter(action="accounts.otp_reset").count() == 1
    with pytest.raises(CommandError):
        call_command("otp_reset", "tidak-ada")


def test_openapi_lists_the_account_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/auth/device-token", "/api/v1/auth/device-tokens", "/api/v1/auth/device-tokens/{token_id}",
            "/api/v1/me"} <= set(paths)
    assert "201" in paths["/api/v1/auth/device-token"]["post"]["responses"]
