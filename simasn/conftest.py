"""Fixtures shared by every app's tests: a small organisation and one user per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from simasn.accounts.models import Role, User
from simasn.accounts.tests.factories import UserFactory
from simasn.employees.models import Employee
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.models import JabatanType, Position, Unit, UnitKind
from simasn.org.tests.factories import PositionFactory, UnitFactory
from simasn.workcalendar import days


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Argon2 is deliberately slow and the `users` fixture hashes seven passwords per test; tests check
    flows, not the hasher (accounts/tests check that production uses Argon2); stored Argon2 hashes still verify."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def fresh_holiday_table():
    """A rolled-back test transaction cannot un-bump the holiday table's cached version (and the file cache
    outlives a test run): every test starts from the database."""
    days.invalidate()
    yield
    days.invalidate()


@dataclass
class Org:
    """Two OPD; OPD A has a bidang. Positions: kepala A → kabid A → staf A; kepala B → staf B."""

    opd_a: Unit
    bidang_a: Unit
    opd_b: Unit
    kepala_a: Position
    kabid_a: Position
    staf_a: Position
    kepala_b: Position
    staf_b: Position
    head_a: Employee  # holds kepala_a
    kabid: Employee  # holds kabid_a; atasan of staff_a
    staff_a: Employee  # holds staf_a
    staff_a2: Employee  # holds staf_a too (a pelaksana position may have many holders)
    staff_b: Employee


@pytest.fixture
def org(db) -> Org:
    opd_a = UnitFactory(name="Dinas Alpha", kind=UnitKind.DINAS)
    bidang_a = UnitFactory(name="Bidang Alpha Satu", kind=UnitKind.BIDANG, parent=opd_a)
    opd_b = UnitFactory(name="Badan Beta", kind=UnitKind.BADAN)
    kepala_a = PositionFactory(name="Kepala Dinas Alpha", unit=opd_a, jabatan_type=JabatanType.JPT_PRATAMA,
                               kelas_jabatan=14)
    kabid_a = PositionFactory(name="Kepala Bidang Alpha Satu", unit=bidang_a, parent=kepala_a,
                              jabatan_type=JabatanType.ADMINISTRATOR, kelas_jabatan=11)
    staf_a = PositionFactory(name="Analis Alpha", unit=bidang_a, parent=kabid_a, kelas_jabatan=7)
    kepala_b = PositionFactory(name="Kepala Badan Beta", unit=opd_b, jabatan_type=JabatanType.JPT_PRATAMA,
                               kelas_jabatan=14)
    staf_b = PositionFactory(name="Pengadministrasi Beta", unit=opd_b, parent=kepala_b, kelas_jabatan=5)
    return Org(
        opd_a=opd_a, bidang_a=bidang_a, opd_b=opd_b, kepala_a=kepala_a, kabid_a=kabid_a, staf_a=staf_a,
        kepala_b=kepala_b, staf_b=staf_b,
        head_a=EmployeeFactory(unit=opd_a, position=kepala_a, golongan="IV/b"),
        kabid=EmployeeFactory(unit=bidang_a, position=kabid_a, golongan="IV/a"),
        staff_a=EmployeeFactory(unit=bidang_a, position=staf_a),
        staff_a2=EmployeeFactory(unit=bidang_a, position=staf_a),
        staff_b=EmployeeFactory(unit=opd_b, position=staf_b),
    )


def user_for(employee: Employee | None = None, **kwargs) -> User:
    user = UserFactory(username=employee.nip if employee else None, **kwargs) if employee else UserFactory(**kwargs)
    if employee:
        employee.user = user
        employee.save(update_fields=["user"])
    return user


@dataclass
class Users:
    admin_bkpsdm: User
    admin_opd_a: User
    pimpinan: User
    inspektorat: User
    kabid: User  # pegawai who is atasan of staff_a
    staff_a: User
    staff_b: User


@pytest.fixture
def users(org: Org) -> Users:
    return Users(
        admin_bkpsdm=user_for(role=Role.ADMIN_BKPSDM),
        admin_opd_a=user_for(role=Role.ADMIN_OPD, scope_unit=org.opd_a),
        pimpinan=user_for(role=Role.PIMPINAN),
        inspektorat=user_for(role=Role.INSPEKTORAT),
        kabid=user_for(org.kabid),
        staff_a=user_for(org.staff_a),
        staff_b=user_for(org.staff_b),
    )


def login(client: Client, user: User) -> Client:
    """Log a client in; admin roles also get a confirmed TOTP device marked as verified in the session."""
    client.force_login(user)
    if user.requires_otp:
        device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(client):
    """client_for(user) → a fresh logged-in Client (each call a new one)."""

    def make(user: User) -> Client:
        return login(Client(), user)

    return make


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium shared by a browser-test module (see simasn.core.testing.launched_chromium)."""
    from simasn.core.testing import launched_chromium

    with launched_chromium() as chromium:
        yield chromium
