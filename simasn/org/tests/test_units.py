"""The unit tree: materialised paths stay true through create, move, merge and delete."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simasn.core.errors import DomainError, NotFound
from simasn.core.models import AuditEvent
from simasn.employees.models import Employee
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org import services, tree
from simasn.org.models import OfficeLocation, Position, Unit, UnitHistory, UnitKind
from simasn.org.rules import Forbidden
from simasn.org.tests.factories import OfficeLocationFactory, PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def assert_paths_consistent():
    """Every unit's path is its parent's path plus its own id, and depth matches."""
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else None
        assert unit.path == tree.child_path(parent_path, unit.pk), unit
        assert unit.depth == tree.depth_of(unit.path), unit


def test_create_sets_path_depth_history_and_audit(users):
    admin = users.admin_bkpsdm
    pemda = services.unit_create(actor=admin, name="Pemerintah Kota Kendari", code="PEMDA", kind=UnitKind.PEMDA)
    dinas = services.unit_create(actor=admin, name="Dinas Kesehatan", code="DINKES", kind=UnitKind.DINAS,
                                 parent=pemda, short_name="Dinkes")
    seksi = services.unit_create(actor=admin, name="Seksi Imunisasi", code="DINKES.1", kind=UnitKind.SEKSI,
                                 parent=dinas)
    assert pemda.path == f"/{pemda.pk}/" and pemda.depth == 0
    assert dinas.path == f"/{pemda.pk}/{dinas.pk}/" and dinas.depth == 1
    assert seksi.path == f"{dinas.path}{seksi.pk}/" and seksi.depth == 2
    assert dinas.history.get().change == UnitHistory.Change.CREATED
    event = AuditEvent.objects.filter(action="org.unit.create", object_id=str(dinas.pk)).get()
    assert event.after["name"] == "Dinas Kesehatan" and event.actor == admin
    assert_paths_consistent()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "  ", "Nama unit wajib diisi."),
    ("code", "A B", "Kode unit hanya boleh"),
    ("kind", "kementerian", "Jenis unit tidak dikenal"),
])
def test_create_rejects_bad_fields(users, field, value, message):
    data = {"name": "Dinas Baru", "code": "BARU", "kind": UnitKind.DINAS, field: value}
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=users.admin_bkpsdm, **data)
    assert exc.value.field == field and message in exc.value.message
    assert not Unit.objects.filter(code="BARU").exists()


def test_code_must_be_unique_case_insensitively(org, users):
    with pytest.raises(DomainError, match="sudah dipakai oleh Dinas Alpha"):
        services.unit_create(actor=users.admin_bkpsdm, name="X", code=org.opd_a.code.lower(), kind=UnitKind.DINAS)


def test_rename_keeps_history_with_legal_basis(org, users):
    unit = services.unit_update(actor=users.admin_bkpsdm, unit=org.opd_a, name="Dinas Alpha Baru",
                                effective_date=dt.date(2025, 1, 1), legal_basis="Perda 5/2024")
    entry = unit.history.get(change=UnitHistory.Change.RENAMED)
    assert (entry.old_name, entry.new_name, entry.effective_date, entry.legal_basis) == (
        "Dinas Alpha", "Dinas Alpha Baru", dt.date(2025, 1, 1), "Perda 5/2024")
    event = AuditEvent.objects.get(action="org.unit.update")
    assert event.before["name"] == "Dinas Alpha" and event.after["name"] == "Dinas Alpha Baru"


def test_move_rewrites_whole_subtree_in_one_update(org, users):
    seksi = UnitFactory(name="Seksi", kind=UnitKind.SEKSI, parent=org.bidang_a)
    deep = [seksi]
    for _ in range(20):
        deep.append(UnitFactory(kind=UnitKind.SEKSI, parent=deep[-1]))
    with CaptureQueriesContext(connection) as ctx:
        moved = services.unit_update(actor=users.admin_bkpsdm, unit=org.bidang_a, parent=org.opd_b,
                                     legal_basis="Perwali 1/2025")
    unit_updates = [q for q in ctx.captured_queries if q["sql"].startswith('UPDATE "org_unit"')]
    assert len(unit_updates) == 2  # the unit's own parent, then every path below it at once
    assert moved.path == f"{org.opd_b.path}{org.bidang_a.pk}/" and moved.depth == 1
    deepest = Unit.objects.get(pk=deep[-1].pk)
    assert deepest.path.startswith(moved.path) and deepest.depth == 1 + len(deep)
    assert_paths_consistent()
    entry = moved.history.get(change=UnitHistory.Change.MOVED)
    assert entry.old_parent == org.opd_a and entry.new_parent == org.opd_b and entry.legal_basis == "Perwali 1/2025"
    # Employees of the subtree now count under the new OPD.
    assert Employee.objects.filter(unit__path__startswith=org.opd_b.path).count() == 4


def test_move_to_top_level(org, users):
    moved = services.unit_update(actor=users.admin_bkpsdm, unit=org.bidang_a, parent=None)
    assert moved.path == f"/{moved.pk}/" and moved.depth == 0 and moved.parent_id is None
    assert_paths_consistent()


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_move_into_own_subtree_is_a_cycle(org, users, target):
    seksi = UnitFactory(kind=UnitKind.SEKSI, parent=org.bidang_a)
    new_parent = {"self": org.opd_a, "child": org.bidang_a, "grandchild": seksi}[target]
    with pytest.raises(DomainError) as exc:
        services.unit_update(actor=users.admin_bkpsdm, unit=org.opd_a, parent=new_parent, name="Tidak Jadi")
    assert exc.value.code == "cycle" and "melingkar" in exc.value.message
    org.opd_a.refresh_from_db()
    assert org.opd_a.parent_id is None and org.opd_a.name == "Dinas Alpha"
    assert_paths_consistent()


def test_deactivate_refused_while_employees_remain(org, users):
    with pytest.raises(DomainError, match="3 pegawai"):
        services.unit_update(actor=users.admin_bkpsdm, unit=org.bidang_a, is_active=False)
    empty = UnitFactory(parent=org.opd_a, kind=UnitKind.BIDANG)
    services.unit_update(actor=users.admin_bkpsdm, unit=empty, is_active=False)
    assert empty.history.filter(change=UnitHistory.Change.DEACTIVATED).exists()


def test_merge_moves_everything_and_keeps_history(org, users):
    admin = users.admin_bkpsdm
    sub_b = UnitFactory(name="Bidang Beta", kind=UnitKind.BIDANG, parent=org.opd_b)
    seksi_b = UnitFactory(name="Seksi Beta", kind=UnitKind.SEKSI, parent=sub_b)
    staff_sub = EmployeeFactory(unit=sub_b)
    loc = OfficeLocationFactory(unit=org.opd_b)
    result = services.unit_merge(actor=admin, source=org.opd_b, target=org.opd_a,
                                 effective_date=dt.date(2025, 7, 1), legal_basis="Perda Kota Kendari 2/2025")
    assert (result.employees, result.positions, result.locations, result.child_units) == (1, 2, 1, 1)
    source = Unit.objects.get(pk=org.opd_b.pk)
    assert not source.is_active and source.merged_into_id == org.opd_a.pk
    assert Employee.objects.get(pk=org.staff_b.pk).unit_id == org.opd_a.pk
    assert Employee.objects.get(pk=staff_sub.pk).unit_id == sub_b.pk  # stays in its own (moved) sub-unit
    assert set(Position.objects.filter(unit=org.opd_a).values_list("name", flat=True)) >= {
        "Kepala Badan Beta", "Pengadministrasi Beta"}
    assert OfficeLocation.objects.get(pk=loc.pk).unit_id == org.opd_a.pk
    sub_b.refresh_from_db()
    seksi_b.refresh_from_db()
    assert sub_b.parent_id == org.opd_a.pk and sub_b.path == f"{org.opd_a.path}{sub_b.pk}/"
    assert seksi_b.path == f"{sub_b.path}{seksi_b.pk}/" and seksi_b.depth == 2
    assert_paths_consistent()
    assert source.history.get(change=UnitHistory.Change.MERGED).merged_into_id == org.opd_a.pk
    target_entry = org.opd_a.history.get(change=UnitHistory.Change.MERGED)
    assert target_entry.old_name == "Badan Beta" and target_entry.legal_basis == "Perda Kota Kendari 2/2025"
    assert sub_b.history.get(change=UnitHistory.Change.MOVED).old_parent_id == org.opd_b.pk
    moved_events = AuditEvent.objects.filter(action="org.unit.merge_move")
    assert moved_events.filter(object_type="employees.employee", object_id=str(org.staff_b.pk)).exists()
    assert moved_events.count() == 1 + 2 + 1 + 1


def test_merge_reports_positions_whose_atasan_is_no_longer_above(org, users):
    # kepala B reports to a position in a sibling OPD's parent line only through the pemda root.
    pemda = UnitFactory(name="Pemda", kind=UnitKind.PEMDA)
    services.unit_update(actor=users.admin_bkpsdm, unit=org.opd_b, parent=pemda)
    sekda = PositionFactory(name="Sekda", unit=pemda, kelas_jabatan=15)
    org.kepala_b.parent = sekda
    org.kepala_b.save()
    result = services.unit_merge(actor=users.admin_bkpsdm, source=org.opd_b, target=org.opd_a,
                                 effective_date=dt.date(2025, 1, 1), legal_basis="Perwali 9/2025")
    assert [p.name for p in result.positions_to_review] == ["Kepala Badan Beta"]


@pytest.mark.parametrize("case", ["self", "descendant", "inactive_target"])
def test_merge_refusals(org, users, case):
    if case == "inactive_target":
        target = UnitFactory(is_active=False)
    else:
        target = {"self": org.opd_a, "descendant": org.bidang_a}[case]
    with pytest.raises(DomainError):
        services.unit_merge(actor=users.admin_bkpsdm, source=org.opd_a, target=target,
                            effective_date=dt.date(2025, 1, 1), legal_basis="Perda 1/2025")
    assert Unit.objects.get(pk=org.opd_a.pk).is_active
    assert Employee.objects.filter(unit=org.opd_a).count() == 1


def test_merge_needs_legal_basis_and_date(org, users):
    with pytest.raises(DomainError) as exc:
        services.unit_merge(actor=users.admin_bkpsdm, source=org.opd_b, target=org.opd_a,
                            effective_date=None, legal_basis=" ")
    assert {e["field"] for e in exc.value.errors} == {"legal_basis", "effective_date"}


def test_delete_refused_with_counts_when_not_empty(org, users):
    with pytest.raises(DomainError) as exc:
        services.unit_delete(actor=users.admin_bkpsdm, unit=org.opd_a)
    assert exc.value.code == "unit_not_empty"
    assert "4 pegawai, 3 jabatan, 1 sub-unit dan 1 akun admin OPD" in exc.value.message
    assert Unit.objects.filter(pk=org.opd_a.pk).exists()


def test_delete_refused_with_only_employees(org, users):
    unit = UnitFactory(parent=org.opd_a, kind=UnitKind.BIDANG)
    EmployeeFactory.create_batch(2, unit=unit)
    with pytest.raises(DomainError, match="masih memiliki 2 pegawai"):
        services.unit_delete(actor=users.admin_bkpsdm, unit=unit)


def test_delete_empty_unit(org, users):
    unit = UnitFactory(parent=org.opd_a, kind=UnitKind.BIDANG)
    pk = unit.pk
    services.unit_delete(actor=users.admin_bkpsdm, unit=unit)
    assert not Unit.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.get(action="org.unit.delete").before["id"] == pk


def test_delete_refused_when_another_unit_was_merged_into_it(org, users):
    target = UnitFactory(kind=UnitKind.BADAN)
    empty = UnitFactory(kind=UnitKind.BADAN)
    services.unit_merge(actor=users.admin_bkpsdm, source=empty, target=target, effective_date=dt.date(2025, 1, 1),
                        legal_basis="Perda 3/2025")
    with pytest.raises(DomainError, match="dirujuk"):
        services.unit_delete(actor=users.admin_bkpsdm, unit=target)


class TestAdminOpdScope:
    def test_may_create_and_edit_inside_own_subtree(self, org, users):
        admin = users.admin_opd_a
        seksi = services.unit_create(actor=admin, name="Seksi Baru", code="A.1.1", kind=UnitKind.SEKSI,
                                     parent=org.bidang_a)
        services.unit_update(actor=admin, unit=seksi, name="Seksi Baru Sekali")
        services.unit_update(actor=admin, unit=org.opd_a, name="Dinas Alpha (nama baru)")  # rename own root: ok
        services.unit_update(actor=admin, unit=seksi, parent=org.opd_a)  # move within the subtree: ok
        assert_paths_consistent()

    def test_cannot_touch_another_opd(self, org, users):
        with pytest.raises(NotFound):
            services.unit_update(actor=users.admin_opd_a, unit=org.opd_b, name="Diambil alih")
        with pytest.raises(NotFound):
            services.unit_create(actor=users.admin_opd_a, name="X", code="X", kind=UnitKind.BIDANG, parent=org.opd_b)
        with pytest.raises(NotFound):
            services.unit_delete(actor=users.admin_opd_a, unit=org.opd_b)
        assert Unit.objects.get(pk=org.opd_b.pk).name == "Badan Beta"

    @pytest.mark.parametrize("where", ["other_opd", "top_level"])
    def test_cannot_move_a_unit_out_of_the_subtree(self, org, users, where):
        new_parent = org.opd_b if where == "other_opd" else None
        with pytest.raises(Forbidden, match="cakupan"):
            services.unit_update(actor=users.admin_opd_a, unit=org.bidang_a, parent=new_parent)
        assert Unit.objects.get(pk=org.bidang_a.pk).parent_id == org.opd_a.pk

    def test_cannot_move_merge_or_delete_own_scope_root(self, org, users):
        admin = users.admin_opd_a
        other = UnitFactory(parent=org.opd_a, kind=UnitKind.BIDANG)
        with pytest.raises(Forbidden):
            services.unit_update(actor=admin, unit=org.opd_a, parent=other)
        with pytest.raises(Forbidden):
            services.unit_merge(actor=admin, source=org.opd_a, target=other, effective_date=dt.date(2025, 1, 1),
                                legal_basis="x")
        with pytest.raises(Forbidden):
            services.unit_delete(actor=admin, unit=org.opd_a)

    def test_cannot_merge_into_another_opd(self, org, users):
        with pytest.raises(Forbidden, match="cakupan"):
            services.unit_merge(actor=users.admin_opd_a, source=org.bidang_a, target=org.opd_b,
                                effective_date=dt.date(2025, 1, 1), legal_basis="Perda 1/2025")

    def test_cannot_create_top_level_unit(self, users):
        with pytest.raises(Forbidden):
            services.unit_create(actor=users.admin_opd_a, name="X", code="X", kind=UnitKind.DINAS)


@pytest.mark.parametrize("role", ["pimpinan", "inspektorat", "kabid", "staff_a"])
def test_read_only_roles_cannot_write(org, users, role):
    with pytest.raises(Forbidden):
        services.unit_update(actor=getattr(users, role), unit=org.bidang_a, name="Diubah")
    with pytest.raises(Forbidden):
        services.unit_create(actor=getattr(users, role), name="X", code="X", kind=UnitKind.BIDANG, parent=org.opd_a)
