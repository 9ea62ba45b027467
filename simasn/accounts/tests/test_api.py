"""Device tokens for the mobile app (hashed, bound to the device, revocable) and GET /api/v1/me."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from simasn.accounts import scopes
from simasn.accounts.api_auth import BearerDeviceAuth
from simasn.accounts.models import DeviceToken
from simasn.accounts.services import user_set_active
from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.core.models import AuditEvent

ISSUE = "/api/v1/auth/device-token"


def issue(client: Client, nip: str, password: str = DEFAULT_PASSWORD, device_id: str = "android-abc123",
          ip: str = "10.3.3.3"):
    return client.post(ISSUE, {"nip": nip, "password": password, "device_id": device_id},
                       content_type="application/json", REMOTE_ADDR=ip)


def bearer(token: str, **headers) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers}


@pytest.fixture
def staff_token(client, users) -> str:
    response = issue(client, users.staff_a.username)
    assert response.status_code == 201, response.content
    return response.json()["token"]


def test_issue_returns_201_and_stores_only_the_hash(client, users):
    response = issue(client, users.staff_a.username)
    assert response.status_code == 201
    token = response.json()["token"]
    assert len(token) >= 43  # token_urlsafe(32)
    stored = DeviceToken.objects.get(user=users.staff_a)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.device_id == "android-abc123"
    row_text = " ".join(str(v) for v in DeviceToken.objects.values_list().get())
    assert token not in row_text
    logged = " ".join(f"{e.summary} {e.before} {e.after}" for e in AuditEvent.objects.all())
    assert "accounts.device_token_issued" in AuditEvent.objects.values_list("action", flat=True)
    assert token not in logged and DEFAULT_PASSWORD not in logged


def test_bearer_token_reads_me_without_personal_data(client, users, org, staff_token):
    response = client.get("/api/v1/me", **bearer(staff_token))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == users.staff_a.username
    assert body["role"] == "pegawai"
    assert body["scope_unit"] is None
    employee = body["employee"]
    assert employee["nip"] == org.staff_a.nip
    assert employee["unit"] == {"id": org.bidang_a.pk, "name": org.bidang_a.name}
    assert employee["position"] == {"id": org.staf_a.pk, "name": org.staf_a.name}
    assert set(employee) == {"id", "nip", "name", "full_name", "kind", "status", "golongan", "unit", "position"}
    text = response.content.decode()
    assert org.staff_a.nik not in text
    assert "nik" not in text.lower() and "address" not in text


def test_me_for_admin_opd_shows_scope_unit_and_no_employee(client_for, users, org):
    body = client_for(users.admin_opd_a).get("/api/v1/me").json()
    assert body["scope_unit"] == {"id": org.opd_a.pk, "name": org.opd_a.name}
    assert body["employee"] is None


def test_me_requires_authentication(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_unknown_token_is_refused(client, db):
    assert client.get("/api/v1/me", **bearer("bukan-token")).status_code == 401


def test_matching_device_header_is_accepted_and_another_device_is_refused(client, staff_token):
    assert client.get("/api/v1/me", **bearer(staff_token, HTTP_X_DEVICE_ID="android-abc123")).status_code == 200
    response = client.get("/api/v1/me", **bearer(staff_token, HTTP_X_DEVICE_ID="iphone-lain"))
    assert response.status_code == 401


def test_new_token_for_the_same_device_revokes_the_old_one(client, users, staff_token):
    second = issue(client, users.staff_a.username).json()["token"]
    assert client.get("/api/v1/me", **bearer(staff_token)).status_code == 401
    assert client.get("/api/v1/me", **bearer(second)).status_code == 200
    other_device = issue(client, users.staff_a.username, device_id="tablet-2").json()["token"]
    assert client.get("/api/v1/me", **bearer(second)).status_code == 200  # other devices keep theirs
    assert client.get("/api/v1/me", **bearer(other_device)).status_code == 200


def test_wrong_password_unknown_nip_and_inactive_user_get_the_same_401(client, users):
    users.staff_b.is_active = False
    users.staff_b.save()
    for nip, password in [(users.staff_a.username, "salah-sekali-1"), ("199901012020011001", DEFAULT_PASSWORD),
                          (users.staff_b.username, DEFAULT_PASSWORD)]:
        response = issue(client, nip, password)
        assert response.status_code == 401
        assert response.json() == {"detail": "NIP atau kata sandi salah.", "code": "invalid_credentials"}
    assert not DeviceToken.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"nip": 198609262015051001, "password": DEFAULT_PASSWORD, "device_id": "x"},
        {"nip": "1986", "password": DEFAULT_PASSWORD, "device_id": ""},
        {"nip": "1986", "password": DEFAULT_PASSWORD, "device_id": "x" * 129},
        {"nip": "1986", "password": DEFAULT_PASSWORD, "device_id": "a\nb"},
        {"nip": "1986", "password": DEFAULT_PASSWORD},
        {"nip": "1986", "password": ["x"], "device_id": "x"},
    ],
)
def test_malformed_body_is_422_json(client, db, payload):
    response = client.post(ISSUE, payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_device_id_of_128_characters_is_accepted(client, users):
    assert issue(client, users.staff_a.username, device_id="d" * 128).status_code == 201


def test_api_failures_lock_the_pair_with_json(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert issue(client, users.staff_a.username, "salah-terus-1", ip="10.4.4.4").status_code == 401
    locked = issue(client, users.staff_a.username, "salah-terus-1", ip="10.4.4.4")
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "Coba lagi setelah pukul" in body["detail"]
    assert body["retry_after_seconds"] > 0
    # The right password is refused too, from this address, and the web login shares the lock.
    assert issue(client, users.staff_a.username, ip="10.4.4.4").json()["code"] == "locked_out"
    web = client.post("/akun/masuk/", {"username": users.staff_a.username, "password": DEFAULT_PASSWORD},
                      REMOTE_ADDR="10.4.4.4")
    assert web.status_code == 429
    # Another address, or another NIP from this address, is unaffected.
    assert issue(client, users.staff_a.username, ip="10.5.5.5").status_code == 201
    assert issue(client, users.staff_b.username, ip="10.4.4.4").status_code == 201


def test_list_own_tokens_without_hashes(client, users, staff_token):
    issue(client, users.staff_b.username)
    response = client.get("/api/v1/auth/device-tokens", **bearer(staff_token))
    assert response.status_code == 200
    tokens = response.json()
    assert len(tokens) == 1
    assert tokens[0]["device_id"] == "android-abc123"
    assert tokens[0]["active"] is True and tokens[0]["current"] is True
    assert "token_hash" not in tokens[0]
    assert DeviceToken.objects.get(user=users.staff_a).token_hash not in response.content.decode()


def test_revoke_own_token_then_it_stops_working(client, users, staff_token):
    token_id = DeviceToken.objects.get(user=users.staff_a).pk
    response = client.delete(f"/api/v1/auth/device-tokens/{token_id}", **bearer(staff_token))
    assert response.status_code == 204
    assert client.get("/api/v1/me", **bearer(staff_token)).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.device_token_revoked").count() == 1


def test_revoking_someone_elses_token_is_404(client, users, staff_token):
    issue(client, users.staff_b.username)
    other = DeviceToken.objects.get(user=users.staff_b)
    response = client.delete(f"/api/v1/auth/device-tokens/{other.pk}", **bearer(staff_token))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    other.refresh_from_db()
    assert other.revoked_at is None


def test_deactivated_user_token_stops_working(client, users, staff_token):
    users.staff_a.is_active = False
    users.staff_a.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", **bearer(staff_token)).status_code == 401


def test_deactivation_service_also_revokes_tokens(client, users, staff_token):
    user_set_active(actor=users.admin_bkpsdm, user=users.staff_a, is_active=False)
    assert not DeviceToken.objects.filter(user=users.staff_a, revoked_at__isnull=True).exists()


def test_session_api_needs_csrf_for_writes(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.staff_a)
    DeviceToken.objects.create(user=users.staff_a, device_id="x", token_hash="0" * 64)
    token = DeviceToken.objects.get(user=users.staff_a)
    assert client.delete(f"/api/v1/auth/device-tokens/{token.pk}").status_code in (401, 403)
    token.refresh_from_db()
    assert token.revoked_at is None


class TestAdminTokens:
    """An admin may hold a phone token (check-in), but it carries no admin power: that needs the TOTP."""

    def authenticate(self, token: str, role_user):
        request = RequestFactory().get("/api/v1/me")
        return BearerDeviceAuth().authenticate(request, token)

    def test_admin_gets_a_token_for_self_service(self, client, users):
        token = issue(client, users.admin_bkpsdm.username).json()["token"]
        assert client.get("/api/v1/me", **bearer(token)).json()["role"] == "admin_bkpsdm"
        assert client.get("/api/v1/auth/device-tokens", **bearer(token)).status_code == 200

    @pytest.mark.parametrize("role", ["admin_bkpsdm", "admin_opd_a"])
    def test_admin_token_has_no_admin_scope(self, client, users, role):
        token = issue(client, getattr(users, role).username).json()["token"]
        user = self.authenticate(token, role)
        assert user is not None and not user.is_verified()
        assert not scopes.can_administer_city(user)
        assert not scopes.is_city_wide(user)
        assert scopes.managed_unit_path(user) is None
        assert not scopes.is_personnel_admin(user)
        assert not user.has_perm("accounts.manage_users")

    def test_pimpinan_token_keeps_city_wide_reading(self, client, users):
        token = issue(client, users.pimpinan.username).json()["token"]
        assert scopes.is_city_wide(self.authenticate(token, "pimpinan"))

    def test_verified_admin_session_keeps_its_powers(self, client_for, users):
        client = client_for(users.admin_bkpsdm)
        response = client.get("/akun/perangkat/")
        user = response.wsgi_request.user
        assert user.is_verified()
        assert scopes.can_administer_city(user)


def test_a_device_token_brings_its_employee_along_in_one_query(client, users, staff_token, org,
                                                               django_assert_num_queries):
    request = RequestFactory().get("/api/v1/me")
    with django_assert_num_queries(1):  # the token with user, employee and unit (issued just now: no touch)
        user = BearerDeviceAuth().authenticate(request, staff_token)
    with django_assert_num_queries(0):
        assert user.employee.pk == org.staff_a.pk and user.employee.unit.pk == org.staff_a.unit_id


def test_last_used_at_is_touched_at_most_once_a_minute(client, users, staff_token, monkeypatch):
    import datetime as dt


    issued = DeviceToken.objects.get().last_used_at  # issuing is the token's first use (the login)
    assert issued is not None
    clock = {"now": issued + dt.timedelta(seconds=59)}
    monkeypatch.setattr("simasn.accounts.api_auth.timezone.now", lambda: clock["now"])
    auth = BearerDeviceAuth()
    auth.authenticate(RequestFactory().get("/api/v1/me"), staff_token)
    assert DeviceToken.objects.get().last_used_at == issued  # a burst is not a write per request
    clock["now"] = issued + dt.timedelta(seconds=61)
    auth.authenticate(RequestFactory().get("/api/v1/me"), staff_token)
    assert DeviceToken.objects.get().last_used_at == issued + dt.timedelta(seconds=61)
    clock["now"] = issued + dt.timedelta(seconds=100)
    auth.authenticate(RequestFactory().get("/api/v1/me"), staff_token)
    assert DeviceToken.objects.get().last_used_at == issued + dt.timedelta(seconds=61)
