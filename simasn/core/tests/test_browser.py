"""Every role logs in through a real browser and sees its main pages (screenshots in test-artifacts/).

Runs in headless Chromium (Debian's /usr/bin/chromium) through Playwright; `make test` runs it when
the browser exists, and CI insists on it.
"""

from __future__ import annotations

import base64

import pytest
from django.core.management import call_command
from django.urls import reverse

from simasn.accounts.models import Role, User
from simasn.core.testing import BROWSER_MARKS, SHOTS

DEMO_PASSWORD = "Uji-Peramban#2026"

pytestmark = BROWSER_MARKS


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", employees=300, seed=7, password=DEMO_PASSWORD, verbosity=0)
    return {role: User.objects.filter(role=role).exclude(employee__isnull=False).first() or
            User.objects.filter(role=role).first() for role in Role.values}


def _totp_code(secret_b32: str) -> str:
    from django_otp.oath import totp

    secret_b32 = "".join(secret_b32.split()).upper()
    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def _login(page, base_url: str, user: User) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if reverse("accounts:otp") in page.url:
        secret = page.inner_text("#otp-secret").strip()
        page.fill("input[name=token]", _totp_code(secret))
        page.locator("input[name=token]").press("Enter")
        page.wait_for_load_state("networkidle")
    assert reverse("accounts:login") not in page.url, f"login failed for {user.username}"


def _visit(page, base_url: str, path: str, shot: str) -> None:
    response = page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200, f"{path} → {response and response.status}"
    body = page.inner_text("body")
    assert "Traceback" not in body and "Server Error" not in body
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


def _pages_for(user: User) -> list[tuple[str, str]]:
    employee = User.objects.filter(role=Role.PEGAWAI, employee__isnull=False).first().employee
    common = [("home", reverse("core:home")), ("kalkulator", reverse("core:calculators")),
              ("kalkulator-nip", reverse("core:calculator", args=["nip"])),
              ("kalkulator-hari-kerja", reverse("core:calculator", args=["working-days"])),
              ("kalender", reverse("workcalendar:year"))]
    personnel = [
        ("pegawai", reverse("employees:list")),
        ("pegawai-filter", reverse("employees:list") + "?kind=PPPK"),
        ("profil", reverse("employees:detail", args=[employee.pk])),
        ("organisasi", reverse("org:unit_tree")),
        ("unit", reverse("org:unit_detail", args=[employee.unit_id])),
        ("pensiun", reverse("employees:retirements")),
    ]
    if user.role == Role.ADMIN_BKPSDM:
        return common + personnel + [("impor", reverse("employees:import")), ("audit", reverse("core:audit_log"))]
    if user.role == Role.ADMIN_OPD:
        scoped = user.scope_unit.employees.first()
        return common + [("pegawai", reverse("employees:list")), ("organisasi", reverse("org:unit_tree")),
                         ("profil", reverse("employees:detail", args=[scoped.pk])),
                         ("impor", reverse("employees:import"))]
    if user.role == Role.INSPEKTORAT:
        return common + personnel + [("audit", reverse("core:audit_log"))]
    if user.role == Role.PIMPINAN:
        return common + personnel
    return common + [("profil-saya", reverse("employees:me")), ("perangkat", reverse("accounts:devices"))]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_logs_in_and_sees_its_pages(role, browser, demo, live_server):
    user = demo[role]
    assert user is not None, f"seed_demo made no {role} account"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    _login(page, live_server.url, user)
    for name, path in _pages_for(user):
        _visit(page, live_server.url, path, f"{role}-{name}")
    context.close()


def test_profile_fits_a_360px_phone(browser, demo, live_server):
    user = User.objects.filter(role=Role.PEGAWAI, employee__isnull=False).first()
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    _login(page, live_server.url, user)
    _visit(page, live_server.url, reverse("employees:me"), "ponsel-profil-saya")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a 360px screen"
    context.close()
