"""seed_demo: the real Kendari structure, valid synthetic people, every role's account, and the guard that
keeps it away from real data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from simasn.accounts.models import Role, User
from simasn.core.audit import audit_verify
from simasn.core.demo.data_places import KECAMATAN
from simasn.core.demo.loader import DEFAULT_PASSWORD
from simasn.core.demo.org_builder import plan_org
from simasn.core.demo.people import PersonFactory, age_on
from simasn.core.demo.staffing import minimum_employees, staff_plan
from simasn.core.models import AuditEvent, SiteState
from simasn.employees.models import Employee
from simasn.employees.nip import parse_any
from simasn.employees.retirement import retirement_date
from simasn.employees.rules_data import GOLONGAN_BY_CODE, GOLONGAN_PPPK
from simasn.employees.validators import nik_errors
from simasn.org.models import JabatanType, OfficeLocation, Position, Unit, UnitKind
from simasn.org.tests.factories import UnitFactory

EMPLOYEES = 320  # just above the minimum: every managerial post filled, some staff left over
SEED = 7
MANAGERIAL = {JabatanType.JPT_PRATAMA, JabatanType.JPT_MADYA, JabatanType.ADMINISTRATOR, JabatanType.PENGAWAS}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def accept_any_hasher(settings) -> None:
    """The class's city was hashed before per-test fixtures swapped the hashers; make sure both verify."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]


def golongan_between(code: str, low: str, high: str) -> bool:
    return GOLONGAN_BY_CODE[low].rank_order <= GOLONGAN_BY_CODE[code].rank_order <= GOLONGAN_BY_CODE[high].rank_order


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """One seeded city for the whole class, rolled back afterwards (seeding per test would take minutes)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed(employees=EMPLOYEES, seed=SEED)
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db
class TestSeededCity:
    def test_all_eleven_kecamatan_with_their_65_kelurahan(self):
        kecamatan = Unit.objects.filter(kind=UnitKind.KECAMATAN)
        assert sorted(k.name for k in kecamatan) == sorted(f"Kecamatan {k.name}" for k in KECAMATAN)
        assert Unit.objects.filter(kind=UnitKind.KELURAHAN).count() == 65
        for kec in KECAMATAN:
            unit = kecamatan.get(code=f"KDI.KEC.{kec.code}")
            names = set(unit.children.values_list("name", flat=True))
            assert names == {f"Kelurahan {name}" for name in kec.kelurahan}
        assert Unit.objects.get(name="Kelurahan Kendari Caddi").parent.name == "Kecamatan Kendari"

    def test_the_opd_of_domain_11_exist_under_the_pemda(self):
        root = Unit.objects.get(parent=None)
        assert (root.name, root.kind) == ("Pemerintah Kota Kendari", UnitKind.PEMDA)
        names = set(root.children.values_list("name", flat=True))
        for expected in ("Sekretariat Daerah", "Inspektorat Daerah", "Badan Pengelolaan Keuangan dan Aset Daerah",
                         "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Dinas Pendidikan",
                         "Dinas Kesehatan", "Dinas Kependudukan dan Pencatatan Sipil", "Satuan Polisi Pamong Praja",
                         "Rumah Sakit Umum Daerah Kota Kendari", "Dinas Perumahan dan Kawasan Permukiman"):
            assert expected in names
        assert Unit.objects.get(code="KDI.BKPSDM").children.filter(kind=UnitKind.BIDANG).count() >= 2

    def test_unit_codes_and_paths_are_consistent(self):
        units = {u.pk: u for u in Unit.objects.all()}
        for unit in units.values():
            assert len(unit.code) <= 30 and unit.code.startswith("KDI")
            parent_path = units[unit.parent_id].path if unit.parent_id else "/"
            assert unit.path == f"{parent_path}{unit.pk}/"
            assert unit.depth == unit.path.strip("/").count("/")

    def test_every_office_has_a_geofence_in_kendari_on_wita(self):
        locations = OfficeLocation.objects.all()
        assert locations.filter(unit__kind=UnitKind.KELURAHAN).count() == 65
        for loc in locations:
            assert -4.10 < loc.latitude < -3.90 and 122.40 < loc.longitude < 122.70
            assert 100 <= loc.radius_m <= 200
            assert loc.timezone == "Asia/Makassar"

    def test_position_tree_runs_from_the_wali_kota_down(self):
        positions = {p.pk: p for p in Position.objects.select_related("unit")}
        roots = [p for p in positions.values() if p.parent_id is None]
        assert [(p.name, p.jabatan_type, p.kelas_jabatan) for p in roots] == [
            ("Wali Kota Kendari", JabatanType.KEPALA_DAERAH, 17)
        ]
        sekda = Position.objects.get(name="Sekretaris Daerah")
        assert (sekda.parent_id, sekda.kelas_jabatan) == (roots[0].pk, 15)
        setda_path = sekda.unit.path
        for position in positions.values():
            if position.parent_id is None:
                continue
            parent = positions[position.parent_id]
            # The atasan sits in the same unit or above it, except that the Sekda (in the Sekretariat
            # Daerah) is the atasan of every kepala OPD and camat.
            assert position.unit.path.startswith(parent.unit.path) or parent.unit.path == setda_path, position
            assert parent.kelas_jabatan >= position.kelas_jabatan, position
        for head in Position.objects.filter(unit__kind__in=[UnitKind.DINAS, UnitKind.BADAN], unit__depth=1):
            assert (head.jabatan_type, head.kelas_jabatan, head.parent_id) == (JabatanType.JPT_PRATAMA, 14, sekda.pk)
        lurah = Position.objects.get(name="Lurah Korumba")
        assert lurah.parent.name == "Camat Mandonga" and lurah.jabatan_type == JabatanType.PENGAWAS

    def test_position_names_are_unique_within_a_unit(self):
        pairs = list(Position.objects.values_list("unit_id", "name"))
        assert len(pairs) == len(set(pairs))

    def test_every_managerial_post_has_exactly_one_holder(self):
        counts = Counter(Employee.objects.filter(position__jabatan_type__in=MANAGERIAL).values_list(
            "position_id", flat=True))
        managerial = Position.objects.filter(jabatan_type__in=MANAGERIAL)
        assert managerial.count() > 250
        assert {pk: counts.get(pk, 0) for pk in managerial.values_list("pk", flat=True)} == dict.fromkeys(
            managerial.values_list("pk", flat=True), 1)
        assert not Employee.objects.filter(position__jabatan_type=JabatanType.KEPALA_DAERAH).exists()
        assert Employee.objects.count() == EMPLOYEES

    def test_every_nip_is_valid_unique_and_agrees_with_the_record(self):
        today = timezone.localdate()
        employees = list(Employee.objects.select_related("position", "unit"))
        assert len({e.nip for e in employees}) == len(employees)
        assert len({e.nik for e in employees}) == len(employees)
        for e in employees:
            parsed = parse_any(e.nip, e.kind)
            assert parsed.valid, (e.nip, parsed.errors)
            assert (parsed.birth_date, parsed.sex) == (e.birth_date, e.sex)
            assert parsed.kind == ("PPPK" if e.kind == "PPPK" else "PNS")
            if e.kind != "PPPK":
                assert parsed.tmt_cpns == (e.tmt_cpns.year, e.tmt_cpns.month)
                assert age_on(e.birth_date, e.tmt_cpns) >= 18 and e.tmt_cpns <= today
            assert e.unit_id == e.position.unit_id
            assert not nik_errors(e.nik) and e.nik.startswith("7471")
            assert int(e.nik[6:8]) == e.birth_date.day + (40 if e.sex == "P" else 0)
            assert e.retirement_date == retirement_date(e.birth_date, e.position.jabatan_type, e.position.jf_level)
            assert e.retirement_date > today

    def test_kinds_and_golongan_follow_the_position_level(self):
        employees = list(Employee.objects.select_related("position").prefetch_related("rank_history",
                                                                                      "position_history"))
        kinds = Counter(e.kind for e in employees)
        # PPPK are a fifth of the head-count, as far as the non-managerial posts they may hold allow.
        staff = EMPLOYEES - minimum_employees(plan_org()) + 1
        assert kinds["PPPK"] == min(round(0.2 * EMPLOYEES), staff)
        assert kinds["PNS"] > kinds["CPNS"] >= 0
        pppk_codes = {g.code for g in GOLONGAN_PPPK}
        for e in employees:
            jabatan = e.position.jabatan_type
            if e.kind == "PPPK":
                assert e.golongan in pppk_codes and jabatan in (JabatanType.FUNGSIONAL, JabatanType.PELAKSANA)
                assert e.tmt_cpns is None
            elif jabatan == JabatanType.JPT_PRATAMA:
                assert golongan_between(e.golongan, "IV/b", "IV/d"), e
            elif jabatan == JabatanType.ADMINISTRATOR:
                assert golongan_between(e.golongan, "III/c", "IV/b"), e
            elif jabatan == JabatanType.PENGAWAS:
                assert golongan_between(e.golongan, "III/b", "III/d"), e
            elif jabatan == JabatanType.PELAKSANA:
                assert golongan_between(e.golongan, "II/a", "III/b"), e
            ranks = list(e.rank_history.order_by("tmt"))
            assert (ranks[-1].golongan, ranks[-1].tmt) == (e.golongan, e.tmt_golongan)
            jobs = list(e.position_history.order_by("tmt"))
            assert (jobs[-1].position_id, jobs[-1].tmt) == (e.position_id, e.tmt_jabatan)

    def test_every_employee_logs_in_with_the_nip_and_the_one_demo_password(self, settings):
        accept_any_hasher(settings)
        employees = Employee.objects.select_related("user")
        assert all(e.user.username == e.nip and e.user.role == Role.PEGAWAI for e in employees)
        hashes = set(User.objects.values_list("password", flat=True))
        assert len(hashes) == 1
        assert User.objects.get(username=employees[0].nip).check_password(DEFAULT_PASSWORD)

    def test_role_accounts_have_their_roles_and_scope(self, demo):
        accounts = {u.username: u for u in User.objects.exclude(role=Role.PEGAWAI).select_related("scope_unit")}
        assert {name: u.role for name, u in accounts.items()} == {
            "admin.bkpsdm": Role.ADMIN_BKPSDM, "admin.opd": Role.ADMIN_OPD, "pimpinan": Role.PIMPINAN,
            "inspektorat": Role.INSPEKTORAT,
        }
        assert accounts["admin.opd"].scope_unit.code == "KDI.DINKES"
        for name in accounts:
            assert name in demo
        assert DEFAULT_PASSWORD in demo and "TOTP" in demo

    def test_the_printed_pegawai_accounts_are_an_atasan_and_his_subordinate(self, demo):
        kabid = Employee.objects.get(position__unit__code="KDI.DINKES.YANKES", position__jabatan_type="administrator")
        assert kabid.nip in demo and kabid.position.name.startswith("Kepala Bidang")
        staff_nips = Employee.objects.filter(position__parent=kabid.position).values_list("nip", flat=True)
        assert any(nip in demo for nip in staff_nips)

    def test_site_state_marks_the_demo_and_the_audit_chain_verifies(self):
        state = SiteState.objects.get(pk=1)
        assert state.demo_seed == SEED and state.demo_loaded_at is not None
        # The demo's own story (leave requests decided through the services) is audited like real work; the
        # loader's summary event closes the chain.
        assert AuditEvent.objects.order_by("id").last().action == "core.demo_seeded"
        assert audit_verify().ok

    def test_running_again_replaces_the_demo_with_the_same_people(self, monkeypatch, settings):
        accept_any_hasher(settings)
        nips = sorted(Employee.objects.values_list("nip", flat=True))
        admin = User.objects.create_superuser("root", "Sandi-Panjang-123", scope_unit=Unit.objects.first())
        admin.groups.add(Group.objects.create(name="Operator"))
        TOTPDevice.objects.create(user=admin, name="ponsel root", confirmed=True)
        TOTPDevice.objects.create(user=User.objects.get(username="admin.bkpsdm"), name="ponsel demo", confirmed=True)
        monkeypatch.setenv("SIMASN_DEMO_PASSWORD", "Sandi-Demo-Lain-9")
        first_run_ids = set(AuditEvent.objects.values_list("id", flat=True))
        output = seed(employees=EMPLOYEES, seed=SEED, days=5)
        assert sorted(Employee.objects.values_list("nip", flat=True)) == nips
        assert "Riwayat presensi sintetis 5 hari kerja" in output and "Sandi-Demo-Lain-9" in output
        assert User.objects.get(username="admin.bkpsdm").check_password("Sandi-Demo-Lain-9")
        admin.refresh_from_db()
        assert admin.scope_unit is None  # the superuser survives the wipe, detached from the old units
        assert list(admin.groups.values_list("name", flat=True)) == ["Operator"]
        assert list(TOTPDevice.objects.values_list("name", flat=True)) == ["ponsel root"]
        # The wipe took the first run's audit trail with it: only the new run's events remain, chained anew.
        assert not first_run_ids & set(AuditEvent.objects.values_list("id", flat=True))
        assert audit_verify().ok


def test_same_seed_same_people_and_another_seed_other_people():
    today = dt.date(2026, 7, 1)
    plan = plan_org()

    def people(seed_value: int) -> list[tuple[str, str]]:
        staffing = staff_plan(plan, minimum_employees(plan) + 50, PersonFactory(seed_value, today))
        return [(person.nip, person.full_name) for _, person in staffing.placements]

    first = people(11)
    assert first == people(11)
    assert first != people(12)


@pytest.mark.django_db
def test_refuses_a_database_holding_real_data_and_changes_nothing():
    UnitFactory(name="Dinas Nyata")  # real data, and no SiteState saying it is a demo
    with pytest.raises(CommandError, match="bukan data demo"):
        seed(employees=EMPLOYEES)
    assert list(Unit.objects.values_list("name", flat=True)) == ["Dinas Nyata"]
    assert not Employee.objects.exists() and not SiteState.objects.exists()


@pytest.mark.django_db
def test_refuses_a_head_count_that_cannot_fill_every_managerial_post():
    with pytest.raises(CommandError, match="minimal"):
        seed(employees=10)
    assert not Unit.objects.exists()
