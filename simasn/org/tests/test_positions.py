"""Jabatan: kelas jabatan 1–17, jenjang only for fungsional, and an atasan line that is a tree following the
unit tree upwards (DOMAIN §1)."""

import pytest

from simasn.core.errors import DomainError, NotFound
from simasn.core.models import AuditEvent
from simasn.org import selectors, services
from simasn.org.models import JabatanType, JFLevel, Position, UnitKind
from simasn.org.rules import Forbidden
from simasn.org.tests.factories import PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def create(actor, **overrides):
    data = {"name": "Analis Kebijakan", "jabatan_type": JabatanType.PELAKSANA, "kelas_jabatan": 7} | overrides
    return services.position_create(actor=actor, **data)


def test_create_with_atasan_in_an_ancestor_unit(org, users):
    position = create(users.admin_bkpsdm, unit=org.bidang_a, parent=org.kepala_a)
    assert position.parent == org.kepala_a and position.unit == org.bidang_a
    assert AuditEvent.objects.get(action="org.position.create").after["kelas_jabatan"] == 7


@pytest.mark.parametrize("kelas", [0, 18, -1, 7.5, True, "7", None])
def test_kelas_jabatan_must_be_1_to_17(org, users, kelas):
    with pytest.raises(DomainError) as exc:
        create(users.admin_bkpsdm, unit=org.opd_a, kelas_jabatan=kelas)
    assert exc.value.field == "kelas_jabatan" and "1 sampai 17" in exc.value.message


@pytest.mark.parametrize("kelas", [1, 17])
def test_kelas_jabatan_bounds_are_inclusive(org, users, kelas):
    assert create(users.admin_bkpsdm, unit=org.opd_a, kelas_jabatan=kelas).kelas_jabatan == kelas


def test_fungsional_needs_jenjang(org, users):
    with pytest.raises(DomainError, match="wajib diisi untuk jabatan fungsional"):
        create(users.admin_bkpsdm, unit=org.opd_a, jabatan_type=JabatanType.FUNGSIONAL)
    position = create(users.admin_bkpsdm, unit=org.opd_a, jabatan_type=JabatanType.FUNGSIONAL,
                      jf_level=JFLevel.AHLI_MUDA)
    assert position.jf_level == JFLevel.AHLI_MUDA


def test_jenjang_only_for_fungsional(org, users):
    with pytest.raises(DomainError, match="hanya diisi untuk jabatan fungsional"):
        create(users.admin_bkpsdm, unit=org.opd_a, jf_level=JFLevel.AHLI_MUDA)


def test_atasan_must_be_in_same_or_ancestor_unit(org, users):
    with pytest.raises(DomainError, match="unit yang sama atau di unit induknya"):
        create(users.admin_bkpsdm, unit=org.opd_a, parent=org.kepala_b)
    with pytest.raises(DomainError, match="unit yang sama atau di unit induknya"):
        create(users.admin_bkpsdm, unit=org.opd_a, parent=org.kabid_a)  # bidang is below the dinas


@pytest.mark.parametrize("new_parent", ["self", "child", "grandchild"])
def test_atasan_line_cannot_become_a_cycle(org, users, new_parent):
    parent = {"self": org.kepala_a, "child": org.kabid_a, "grandchild": org.staf_a}[new_parent]
    # Put kepala_a's unit into bidang_a's line so only the cycle rule can refuse it.
    with pytest.raises(DomainError) as exc:
        services.position_update(actor=users.admin_bkpsdm, position=org.kepala_a, parent=parent, unit=org.bidang_a)
    assert "melingkar" in " ".join(e["message"] for e in exc.value.errors)
    assert Position.objects.get(pk=org.kepala_a.pk).parent_id is None


def test_moving_a_position_keeps_its_subordinates_below(org, users):
    with pytest.raises(DomainError, match="membawahi 1 jabatan di luar unit"):
        services.position_update(actor=users.admin_bkpsdm, position=org.kabid_a, unit=org.opd_b, parent=None)


def test_deactivate_refused_while_held(org, users):
    with pytest.raises(DomainError, match="masih dijabat oleh 2 pegawai"):
        services.position_deactivate(actor=users.admin_bkpsdm, position=org.staf_a)
    assert Position.objects.get(pk=org.staf_a.pk).is_active


def test_deactivate_refused_with_active_subordinates(org, users):
    empty_boss = PositionFactory(unit=org.opd_a)
    PositionFactory(unit=org.opd_a, parent=empty_boss)
    with pytest.raises(DomainError, match="membawahi 1 jabatan aktif"):
        services.position_deactivate(actor=users.admin_bkpsdm, position=empty_boss)


def test_deactivate_vacant_position(org, users):
    vacant = PositionFactory(unit=org.opd_a, parent=org.kepala_a)
    services.position_deactivate(actor=users.admin_bkpsdm, position=vacant)
    assert not Position.objects.get(pk=vacant.pk).is_active
    assert AuditEvent.objects.get(action="org.position.update").after["is_active"] is False


def test_atasan_chain_walks_to_the_top(org):
    assert selectors.atasan_positions_chain(org.staf_a) == [org.kabid_a, org.kepala_a]
    assert selectors.atasan_positions_chain(org.kepala_a) == []


def test_positions_for_unit_lists_holders_without_n_plus_one(org, django_assert_num_queries):
    for _ in range(5):
        PositionFactory(unit=org.bidang_a, parent=org.kabid_a)
    with django_assert_num_queries(2):
        positions = selectors.positions_for_unit(org.bidang_a)
        holders = {p.name: [e.full_name for e in p.holders_list] for p in positions}
        parents = {p.name: p.parent.name for p in positions}
    assert len(holders["Analis Alpha"]) == 2
    assert parents["Analis Alpha"] == "Kepala Bidang Alpha Satu"


class TestScope:
    def test_admin_opd_manages_positions_inside_subtree_only(self, org, users):
        admin = users.admin_opd_a
        # the atasan may sit in an ancestor unit; here the parent is inside the scope anyway
        created = create(admin, unit=org.bidang_a, parent=org.kabid_a)
        services.position_update(actor=admin, position=created, name="Analis SDM")
        with pytest.raises(NotFound):
            create(admin, unit=org.opd_b)
        with pytest.raises(NotFound):
            services.position_update(actor=admin, position=org.staf_b, name="Diambil alih")
        with pytest.raises(NotFound):
            services.position_update(actor=admin, position=created, unit=org.opd_b, parent=None)

    def test_pegawai_cannot_create_positions(self, org, users):
        with pytest.raises(Forbidden):
            create(users.kabid, unit=org.bidang_a)

    def test_admin_opd_may_link_to_an_atasan_above_the_scope(self, org, users):
        pemda = UnitFactory(kind=UnitKind.PEMDA)
        services.unit_update(actor=users.admin_bkpsdm, unit=org.opd_a, parent=pemda)
        sekda = PositionFactory(unit=pemda, kelas_jabatan=15)
        users.admin_opd_a.scope_unit.refresh_from_db()
        updated = services.position_update(actor=users.admin_opd_a, position=org.kepala_a, parent=sekda)
        assert updated.parent == sekda
