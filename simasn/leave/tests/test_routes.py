"""Alur Persetujuan: BKPSDM's edits of the approval-route table (who may, what is refused, the audit), the
effective table, and "coba alur" — a changed route reaches the next request filed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simasn.conftest import user_for
from simasn.core.errors import DomainError, Forbidden, NotFound
from simasn.core.models import AuditEvent
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave import route_selectors, route_services, routing, rules_data, services
from simasn.leave.models import ApprovalRoute
from simasn.org.models import JabatanType, UnitKind
from simasn.org.tests.factories import PositionFactory, UnitFactory

from .conftest import TODAY, d

ATASAN, KEPALA, SEKDA = rules_data.ATASAN_LANGSUNG, rules_data.KEPALA_OPD, rules_data.SEKDA


def create(actor, **kw):
    data = {"kind": "cuti", "leave_type": "tahunan", "jabatan_type": "pelaksana",
            "steps": [ATASAN, KEPALA, SEKDA], "note": "SE Sekda 2026"}
    data.update(kw)
    return route_services.route_create(actor=actor, **data)


@pytest.fixture
def sekda(world):
    """A Sekretariat Daerah whose head (with a login) is the "Sekda" role."""
    unit = UnitFactory(name="Sekretariat Daerah", kind=UnitKind.SEKRETARIAT)
    position = PositionFactory(name="Sekretaris Daerah", unit=unit, jabatan_type=JabatanType.JPT_MADYA,
                               kelas_jabatan=15)
    employee = EmployeeFactory(unit=unit, position=position)
    user_for(employee)
    return employee


# ── Who may ───────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("who", ["admin_opd_a", "pimpinan", "inspektorat", "kabid", "staff_a"])
def test_only_admin_bkpsdm_edits_routes(world, who):
    actor = getattr(world.users, who)
    with pytest.raises(Forbidden, match="Hanya admin BKPSDM"):
        create(actor)
    route = create(world.users.admin_bkpsdm)
    with pytest.raises(Forbidden):
        route_services.route_update(actor=actor, route=route, steps=[ATASAN], note="", is_active=True)
    with pytest.raises(Forbidden):
        route_services.route_delete(actor=actor, route=route)
    route.refresh_from_db()
    assert route.steps == [ATASAN, KEPALA, SEKDA] and route.is_active


# ── What is refused ───────────────────────────────────────────────────────────────────────────────────────

BAD_INPUT = [
    # (why, overrides, field, words of the message)
    ("jenis permohonan tidak dikenal", {"kind": "cuti_panjang"}, "kind", "Jenis permohonan tidak dikenal"),
    ("jenis cuti tidak dikenal", {"leave_type": "umroh"}, "leave_type", "tidak dikenal untuk cuti"),
    ("jenis izin bukan jenis cuti", {"leave_type": "keperluan_penting"}, "leave_type", "tidak dikenal untuk cuti"),
    ("jenis cuti bukan jenis izin", {"kind": "izin", "leave_type": "tahunan"}, "leave_type",
     "tidak dikenal untuk izin"),
    ("cuti bersama ditetapkan, tidak diajukan", {"leave_type": "bersama"}, "leave_type", "tidak dikenal"),
    ("dinas luar tidak mempunyai jenis", {"kind": "dinas_luar", "leave_type": "tahunan"}, "leave_type",
     "tidak mempunyai jenis"),
    ("jenis jabatan tidak dikenal", {"jabatan_type": "honorer"}, "jabatan_type", "Jenis jabatan tidak dikenal"),
    ("tanpa tahap", {"steps": []}, "steps", "paling sedikit satu tahap"),
    ("tahap kosong di tengah", {"steps": [ATASAN, "", KEPALA]}, "steps", "tanpa tahap kosong"),
    ("enam tahap", {"steps": [ATASAN, KEPALA, SEKDA, KEPALA, SEKDA, KEPALA]}, "steps", "paling banyak 5 tahap"),
    ("peran tidak dikenal", {"steps": [ATASAN, "walikota"]}, "steps", "\"walikota\" tidak dikenal"),
    ("peran yang sama berturut-turut", {"steps": [ATASAN, KEPALA, KEPALA]}, "steps",
     "Kepala perangkat daerah\" tercantum dua kali berturut-turut"),
    ("tahapan bukan daftar", {"steps": "atasan_langsung"}, "steps", "harus berupa daftar"),
    ("keterangan terlalu panjang", {"note": "x" * 201}, "note", "paling panjang 200 karakter"),
]


@pytest.mark.parametrize(("why", "overrides", "field", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_refused_and_nothing_is_written(world, why, overrides, field, message):
    with pytest.raises(DomainError) as caught:
        create(world.users.admin_bkpsdm, **overrides)
    assert caught.value.field == field
    assert message in caught.value.message
    assert not ApprovalRoute.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="leave.route_").exists()


def test_an_update_is_validated_like_a_create(world):
    route = create(world.users.admin_bkpsdm)
    with pytest.raises(DomainError, match="berturut-turut"):
        route_services.route_update(actor=world.users.admin_bkpsdm, route=route, steps=[SEKDA, SEKDA], note="",
                                    is_active=True)
    route.refresh_from_db()
    assert route.steps == [ATASAN, KEPALA, SEKDA]


@pytest.mark.parametrize(("kind", "leave_type", "jabatan_type"), [
    ("cuti", "", ""),  # every cuti of every jabatan
    ("cuti", "cltn", ""),
    ("cuti", "melahirkan", "fungsional"),  # a type PNS and PPPK share
    ("izin", "sakit", ""),
    ("izin", "", "pengawas"),
    ("dinas_luar", "", "administrator"),
    ("fleksibel", "", ""),
])
def test_every_kind_type_and_jabatan_can_have_a_route(world, kind, leave_type, jabatan_type):
    route = create(world.users.admin_bkpsdm, kind=kind, leave_type=leave_type, jabatan_type=jabatan_type,
                   steps=[KEPALA])
    assert (route.kind, route.leave_type, route.jabatan_type, route.steps) == (kind, leave_type, jabatan_type,
                                                                               [KEPALA])


def test_a_role_may_return_later_in_the_chain(world):
    route = create(world.users.admin_bkpsdm, steps=[ATASAN, KEPALA, ATASAN])
    assert route.steps == [ATASAN, KEPALA, ATASAN]


def test_a_second_route_for_the_same_key_is_refused_in_indonesian(world):
    create(world.users.admin_bkpsdm)
    with pytest.raises(DomainError) as caught:
        create(world.users.admin_bkpsdm, steps=[ATASAN])
    assert caught.value.code == "duplicate_route"
    assert caught.value.message.startswith("Alur untuk Cuti — Cuti Tahunan — Pelaksana sudah ada.")
    assert ApprovalRoute.objects.count() == 1
    assert AuditEvent.objects.filter(action="leave.route_created").count() == 1


def test_the_same_type_for_another_jabatan_is_another_route(world):
    create(world.users.admin_bkpsdm)
    create(world.users.admin_bkpsdm, jabatan_type="")
    create(world.users.admin_bkpsdm, jabatan_type="fungsional")
    assert ApprovalRoute.objects.count() == 3


@given(st.lists(st.sampled_from([ATASAN, KEPALA, SEKDA, "bupati", ""]), max_size=7))
def test_steps_are_accepted_exactly_when_one_to_five_known_roles_without_a_repeat_in_a_row(steps):
    valid = (1 <= len(steps) <= route_services.MAX_ROUTE_STEPS
             and all(step in rules_data.APPROVER_ROLES for step in steps)
             and all(a != b for a, b in zip(steps, steps[1:], strict=False)))
    try:
        assert route_services._clean_steps(steps) == steps
        accepted = True
    except DomainError as exc:
        assert exc.field == "steps"
        accepted = False
    assert accepted == valid


# ── The audit ─────────────────────────────────────────────────────────────────────────────────────────────


def test_create_update_and_delete_are_audited_with_before_and_after(world):
    admin = world.users.admin_bkpsdm
    route = create(admin)
    created = AuditEvent.objects.get(action="leave.route_created")
    assert created.actor_id == admin.pk and created.object_id == str(route.pk)
    assert created.after["steps"] == [ATASAN, KEPALA, SEKDA]
    assert created.summary == "Alur persetujuan ditambahkan: Cuti — Cuti Tahunan — Pelaksana"

    route_services.route_update(actor=admin, route=route, steps=[ATASAN, SEKDA], note="", is_active=False)
    updated = AuditEvent.objects.get(action="leave.route_updated")
    assert updated.before["steps"] == [ATASAN, KEPALA, SEKDA] and updated.after["steps"] == [ATASAN, SEKDA]
    assert updated.before["is_active"] is True and updated.after["is_active"] is False
    assert "dinonaktifkan" in updated.summary

    route_services.route_delete(actor=admin, route=route)
    deleted = AuditEvent.objects.get(action="leave.route_deleted")
    assert deleted.object_type == "leave.approvalroute" and deleted.object_id == str(route.pk)
    assert deleted.before["steps"] == [ATASAN, SEKDA] and deleted.after is None
    assert not ApprovalRoute.objects.exists()


def test_an_update_that_changes_nothing_writes_no_audit_entry(world):
    route = create(world.users.admin_bkpsdm)
    route_services.route_update(actor=world.users.admin_bkpsdm, route=route, steps=list(route.steps),
                                note=route.note, is_active=True)
    assert not AuditEvent.objects.filter(action="leave.route_updated").exists()


def test_deleting_twice_is_harmless(world):
    route = create(world.users.admin_bkpsdm)
    route_services.route_delete(actor=world.users.admin_bkpsdm, route=route)
    route_services.route_delete(actor=world.users.admin_bkpsdm, route=route)
    assert AuditEvent.objects.filter(action="leave.route_deleted").count() == 1


# ── The effective table ───────────────────────────────────────────────────────────────────────────────────


def keys(rows):
    return [(r.kind, r.leave_type, r.jabatan_type, r.is_default) for r in rows]


def test_without_rows_the_table_is_the_defaults_of_rules_data(db):
    rows = route_selectors.route_table()
    assert [(r.kind, r.leave_type) for r in rows] == [
        ("cuti", ""), ("cuti", "besar"), ("cuti", "cltn"), ("izin", ""), ("dinas_luar", ""), ("fleksibel", "")]
    assert all(r.is_default and r.is_active for r in rows)
    besar = rows[1]
    assert (besar.kind_label, besar.leave_type_label, besar.jabatan_label) == ("Cuti", "Cuti Besar",
                                                                               "Semua jabatan")
    assert besar.step_labels == ["Atasan langsung", "Kepala perangkat daerah", "Sekretaris Daerah"]
    assert rows[4].leave_type_label == ""  # dinas luar has no types


def test_a_row_with_a_defaults_key_replaces_it_and_others_sit_in_order(world):
    admin = world.users.admin_bkpsdm
    create(admin, kind="izin", leave_type="sakit", jabatan_type="", steps=[KEPALA])
    create(admin, kind="cuti", leave_type="besar", jabatan_type="", steps=[ATASAN, SEKDA])
    create(admin)  # cuti tahunan, pelaksana
    rows = route_selectors.route_table()
    assert keys(rows) == [
        ("cuti", "", "", True),
        ("cuti", "tahunan", "pelaksana", False),
        ("cuti", "besar", "", False),  # the default for cuti besar is gone, replaced
        ("cuti", "cltn", "", True),
        ("izin", "", "", True),
        ("izin", "sakit", "", False),
        ("dinas_luar", "", "", True),
        ("fleksibel", "", "", True),
    ]
    assert rows[2].steps == (ATASAN, SEKDA) and rows[1].note == "SE Sekda 2026"


def test_an_inactive_row_does_not_replace_the_default(world):
    admin = world.users.admin_bkpsdm
    route = create(admin, leave_type="besar", jabatan_type="", steps=[ATASAN])
    route_services.route_update(actor=admin, route=route, steps=[ATASAN], note="", is_active=False)
    besar = [r for r in route_selectors.route_table() if r.leave_type == "besar"]
    assert [(r.is_default, r.is_active) for r in besar] == [(False, False), (True, True)]
    assert routing.route_roles(kind="cuti", leave_type="besar") == (ATASAN, KEPALA, SEKDA)


def test_a_route_for_a_whole_kind_keeps_the_defaults_of_its_types(world):
    """Cuti besar and CLTN go up to the Sekda by default; BKPSDM shortening "all cuti" must not drop that."""
    admin = world.users.admin_bkpsdm
    create(admin, leave_type="", jabatan_type="fungsional", steps=[ATASAN])
    create(admin, leave_type="", jabatan_type="", steps=[ATASAN])
    assert routing.route_roles(kind="cuti", leave_type="tahunan") == (ATASAN,)
    assert routing.route_roles(kind="cuti", leave_type="tahunan", jabatan_type="fungsional") == (ATASAN,)
    assert routing.route_roles(kind="cuti", leave_type="besar") == (ATASAN, KEPALA, SEKDA)
    assert routing.route_roles(kind="cuti", leave_type="cltn", jabatan_type="fungsional") == (ATASAN, KEPALA, SEKDA)
    # A row for the type itself still beats its default.
    create(admin, leave_type="besar", jabatan_type="", steps=[ATASAN, KEPALA])
    assert routing.route_roles(kind="cuti", leave_type="besar") == (ATASAN, KEPALA)


def test_the_table_reads_the_routes_in_one_query(world, django_assert_num_queries):
    for jabatan in ("", "pelaksana", "fungsional", "pengawas"):
        create(world.users.admin_bkpsdm, jabatan_type=jabatan)
    with django_assert_num_queries(1):
        rows = route_selectors.route_table()
        [(r.title, r.step_labels) for r in rows]


# ── Coba alur, and the next request ─────────────────────────────────────────────────────────────────────


def tried_chain(viewer, employee, kind="cuti", leave_type="tahunan"):
    tried = route_selectors.route_try(viewer=viewer, nip=employee.nip, kind=kind, leave_type=leave_type)
    return [(step.role, step.approver.pk) for step in tried.chain]


def test_a_changed_route_is_what_the_try_box_and_the_next_request_get(world, sekda):
    o, admin = world.org, world.users.admin_bkpsdm
    assert tried_chain(admin, o.staff_a) == [(ATASAN, o.kabid.pk), (KEPALA, o.head_a.pk)]

    create(admin)  # cuti tahunan of a pelaksana: atasan, kepala OPD, Sekda
    assert tried_chain(admin, o.staff_a) == [(ATASAN, o.kabid.pk), (KEPALA, o.head_a.pk), (SEKDA, sekda.pk)]
    tried = route_selectors.route_try(viewer=admin, nip=f" {o.staff_a.nip} ", kind="cuti", leave_type="tahunan")
    assert tried.title == "Cuti — Cuti Tahunan — Pelaksana"
    assert tried.role_labels == ["Atasan langsung", "Kepala perangkat daerah", "Sekretaris Daerah"]
    assert [label for label, _approver in tried.steps] == tried.role_labels and not tried.shortened

    req = services.request_submit(actor=world.users.staff_a, employee=o.staff_a, kind="cuti", leave_type="tahunan",
                                  start_date=d("2026-03-09"), end_date=d("2026-03-10"), reason="Acara keluarga",
                                  today=TODAY)
    assert list(req.steps.order_by("order").values_list("role", "approver")) == [
        (ATASAN, o.kabid.pk), (KEPALA, o.head_a.pk), (SEKDA, sekda.pk)]
    # Other types and other jabatan keep the default.
    assert tried_chain(admin, o.staff_a, "cuti", "sakit") == [(ATASAN, o.kabid.pk), (KEPALA, o.head_a.pk)]
    assert tried_chain(admin, o.kabid) == [(ATASAN, o.head_a.pk)]  # kepala OPD = the atasan: once


def test_the_try_box_says_when_steps_were_merged(world):
    o = world.org
    tried = route_selectors.route_try(viewer=world.users.pimpinan, nip=o.kabid.nip, kind="cuti",
                                      leave_type="tahunan")
    assert tried.roles == (ATASAN, KEPALA) and len(tried.chain) == 1 and tried.shortened


def test_a_deactivated_route_no_longer_applies(world, sekda):
    o, admin = world.org, world.users.admin_bkpsdm
    route = create(admin)
    route_services.route_update(actor=admin, route=route, steps=route.steps, note="", is_active=False)
    assert tried_chain(admin, o.staff_a) == [(ATASAN, o.kabid.pk), (KEPALA, o.head_a.pk)]


def test_the_try_box_is_for_city_wide_readers_and_finds_only_real_employees(world):
    o = world.org
    for who in ("staff_a", "kabid", "admin_opd_a"):
        with pytest.raises(Forbidden):
            route_selectors.route_try(viewer=getattr(world.users, who), nip=o.staff_a.nip, kind="cuti")
    with pytest.raises(NotFound, match="NIP ini tidak ditemukan"):
        route_selectors.route_try(viewer=world.users.admin_bkpsdm, nip="199001012015031999", kind="cuti")
    with pytest.raises(DomainError, match="tidak sesuai"):
        route_selectors.route_try(viewer=world.users.admin_bkpsdm, nip=o.staff_a.nip, kind="dinas_luar",
                                  leave_type="tahunan")
