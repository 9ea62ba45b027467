"""The mobile check-in page (PWA): the page, its manifest, its service worker and the session probe."""

from __future__ import annotations

import importlib.util
import json
import re
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.http import Http404
from django.test import Client
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from PIL import Image

from config import urls as project_urls
from simasn.attendance import views_pwa
from simasn.attendance.rules_data import FLAG_LABELS, STATUS_LABELS
from simasn.conftest import login
from simasn.core.errors import DomainError


def _with_attendance(patterns: list) -> list:
    """The project's URLs plus whatever of issue 4 config/ does not mount yet (the check-in page, the attendance
    pages, the attendance API), mounted the way config/ will. Once config/ mounts them this adds nothing; the
    browser test uses it too."""
    patterns = list(patterns)
    namespaces = {getattr(p, "namespace", None) for p in patterns}
    extra = []
    if "attendance_pwa" not in namespaces:
        extra.append(path("presensi/", include("simasn.attendance.urls_pwa")))
    if "attendance" not in namespaces and importlib.util.find_spec("simasn.attendance.urls"):
        extra.append(path("presensi/", include("simasn.attendance.urls")))
    try:
        reverse("api:attendance_check_in", urlconf=project_urls)
    except NoReverseMatch:
        from config import api as project_api
        from simasn.accounts.api_auth import BearerDeviceAuth, SessionAuth
        from simasn.attendance.api import router

        api = NinjaAPI(auth=[BearerDeviceAuth(), SessionAuth()], urls_namespace="api")
        for error, handler in [(DomainError, project_api.on_domain_error),
                               (ValidationError, project_api.on_validation_error),
                               (AuthenticationError, project_api.on_auth_error),
                               (Http404, project_api.on_not_found), (HttpError, project_api.on_http_error)]:
            api.add_exception_handler(error, handler)
        api.add_router("/attendance", router)
        extra.insert(0, path("api/v1/", api.urls))  # before the project's API: its paths are tried first
    return extra + patterns


urlpatterns = _with_attendance(project_urls.urlpatterns)
handler403, handler404, handler500 = project_urls.handler403, project_urls.handler404, project_urls.handler500

pytestmark = pytest.mark.urls(__name__)

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _json_script(html: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert match, f"no json_script #{element_id}"
    return json.loads(match.group(1))


def test_page_requires_login(client):
    response = client.get(reverse("attendance_pwa:checkin"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_employee_sees_the_check_in_page(client_for, users):
    response = client_for(users.staff_a).get(reverse("attendance_pwa:checkin"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="btn-in"' in html and 'id="btn-out"' in html
    assert ">Masuk<" in html and ">Pulang<" in html
    assert users.staff_a.employee.nip in html
    assert f'<link rel="manifest" href="{reverse("attendance_pwa:manifest")}">' in html
    assert 'name="theme-color" content="#0b4f8a"' in html
    assert "no-cache" in response["Cache-Control"]


def test_page_carries_the_flag_labels_and_its_settings_as_json(client_for, users):
    html = client_for(users.staff_a).get(reverse("attendance_pwa:checkin")).content.decode()
    assert _json_script(html, "flag-labels") == FLAG_LABELS
    assert _json_script(html, "status-labels") == STATUS_LABELS
    config = _json_script(html, "presensi-config")
    assert config["owner"] == users.staff_a.pk
    assert config["api"] == {
        "checkins": "/api/v1/attendance/check-ins",
        "locations": "/api/v1/attendance/my-locations",
        "today": "/api/v1/attendance/today",
    }
    assert config["sw_url"] == reverse("attendance_pwa:service_worker")
    assert config["sw_scope"] == reverse("attendance_pwa:checkin")
    assert config["messages"]["queue_count"] == "%(count)s presensi menunggu dikirim"


def test_page_has_no_inline_script(client_for, users):
    """CSP 'self': every script is a file; the only inline <script> elements are JSON data."""
    html = client_for(users.staff_a).get(reverse("attendance_pwa:checkin")).content.decode()
    start = html.index('id="presensi"')
    for attrs in SCRIPT_TAG.findall(html[start:]):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    for name in ("presensi-geo.js", "presensi-queue.js", "presensi.js"):
        assert f'src="/static/attendance/js/{name}"' in html


def test_account_without_employee_record_is_told_why(client_for, users):
    response = client_for(users.admin_bkpsdm).get(reverse("attendance_pwa:checkin"))
    assert response.status_code == 403
    assert "tidak terhubung dengan data pegawai" in response.content.decode()


def test_service_worker_is_javascript_served_at_the_page_path(client):
    response = client.get(reverse("attendance_pwa:service_worker"))  # no login: the browser fetches it itself
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    page = reverse("attendance_pwa:checkin")
    assert reverse("attendance_pwa:service_worker").startswith(page)  # default scope covers the page
    assert response["Service-Worker-Allowed"] == page
    source = response.content.decode()
    settings_line = re.search(r"^const PRESENSI = (.*);$", source, re.MULTILINE)
    assert settings_line and re.search(r'^const VERSION = "[0-9a-f]{12}";$', source, re.MULTILINE)
    presensi = json.loads(settings_line.group(1))
    assert presensi["shell_url"] == page
    assert presensi["api_prefix"] == "/api/v1/"
    assert presensi["session_url"] == reverse("attendance_pwa:session")
    assert "addEventListener(\"fetch\"" in source and "addEventListener(\"sync\"" in source


def test_every_asset_the_worker_caches_exists():
    """cache.addAll() fails the whole install when one file is missing."""
    for name in views_pwa.SHELL_ASSETS:
        assert finders.find(name), name
    assert finders.find(views_pwa.SW_SOURCE)


def test_manifest_names_the_app_and_points_at_real_icons(client):
    response = client.get(reverse("attendance_pwa:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    page = reverse("attendance_pwa:checkin")
    assert manifest["name"] == "SIMASN Presensi"
    assert manifest["start_url"] == page and manifest["scope"] == page
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b4f8a"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        file = finders.find(icon["src"].removeprefix("/static/"))
        assert file, icon["src"]
        with Image.open(file) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_session_probe_names_the_logged_in_account(client, client_for, users):
    anonymous = client.get(reverse("attendance_pwa:session"))
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthorized"
    response = client_for(users.staff_a).get(reverse("attendance_pwa:session"))
    assert response.status_code == 200
    assert response.json() == {"user": users.staff_a.pk}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["checkin", "service_worker", "manifest", "session"])
def test_pages_refuse_writes(client_for, users, name):
    assert client_for(users.staff_a).post(reverse(f"attendance_pwa:{name}")).status_code in (403, 405)


def test_the_page_talks_to_the_api_with_its_session_and_csrf_token(users):
    """What the script does: GET with the session cookie; POST with X-CSRFToken read from the csrftoken cookie.
    A POST without the token is a 403 naming CSRF, which the script keeps queued (a new login cures it)."""
    browser = Client(enforce_csrf_checks=True)
    login(browser, users.staff_a)
    config = _json_script(browser.get(reverse("attendance_pwa:checkin")).content.decode(), "presensi-config")
    assert browser.get(config["api"]["locations"]).status_code == 200
    assert browser.get(config["api"]["today"]).status_code == 200
    body = {"client_id": str(uuid.uuid4()), "kind": "in", "client_time": timezone.localtime().isoformat(),
            "latitude": -3.9778, "longitude": 122.5194, "accuracy_m": 12.0, "mock_location": False}
    refused = browser.post(config["api"]["checkins"], body, content_type="application/json")
    assert refused.status_code == 403 and "csrf" in refused.json()["detail"].lower()
    token = browser.cookies[config["csrf_cookie"]].value
    headers = {"X-CSRFToken": token, "X-Device-Id": "pwa-uji", "X-Client-Sent-At": timezone.localtime().isoformat()}
    first = browser.post(config["api"]["checkins"], body, content_type="application/json", headers=headers)
    assert first.status_code == 201, first.content
    assert set(first.json()["flags"]) <= set(FLAG_LABELS)
    replay = browser.post(config["api"]["checkins"], body, content_type="application/json", headers=headers)
    assert replay.status_code == 200 and replay.json() == first.json()
