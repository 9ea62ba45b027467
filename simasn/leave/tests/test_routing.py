"""The approval chain: atasan langsung, then the pejabat berwenang; vacancies and the requester himself are
skipped upwards; an ApprovalRoute row overrides the default."""

from __future__ import annotations

import pytest

from simasn.conftest import user_for
from simasn.core.errors import DomainError
from simasn.employees.models import EmployeeStatus
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave import routing
from simasn.leave.models import ApprovalRoute
from simasn.org.models import JabatanType, UnitKind
from simasn.org.tests.factories import PositionFactory, UnitFactory


def chain(employee, kind="cuti", leave_type="tahunan"):
    return [(step.role, step.approver.pk) for step in routing.resolve_chain(employee, kind=kind,
                                                                            leave_type=leave_type)]


def test_staff_goes_to_kabid_then_kepala(world):
    o = world.org
    assert chain(o.staff_a) == [("atasan_langsung", o.kabid.pk), ("kepala_opd", o.head_a.pk)]
    assert chain(o.staff_a, "izin", "sakit") == [("atasan_langsung", o.kabid.pk)]


def test_a_vacant_atasan_position_goes_up_to_the_atasans_atasan(world):
    o = world.org
    o.kabid.status = EmployeeStatus.PENSIUN
    o.kabid.save()
    assert chain(o.staff_a) == [("atasan_langsung", o.head_a.pk)]  # kepala once, not twice


def test_a_holder_without_a_login_cannot_act_and_is_skipped(world):
    o = world.org
    world.head_a.is_active = False
    world.head_a.save()
    assert chain(o.staff_a) == [("atasan_langsung", o.kabid.pk)]


def test_the_kepala_opd_requesting_goes_to_his_own_atasan(world):
    o = world.org
    sekda_unit = UnitFactory(name="Sekretariat Daerah", kind=UnitKind.SEKRETARIAT)
    sekda_pos = PositionFactory(name="Sekretaris Daerah", unit=sekda_unit, jabatan_type=JabatanType.JPT_PRATAMA,
                                kelas_jabatan=15)
    o.kepala_a.parent = sekda_pos
    o.kepala_a.save()
    sekda = EmployeeFactory(unit=sekda_unit, position=sekda_pos)
    user_for(sekda)
    # atasan langsung = Sekda; "kepala OPD" is himself → up → Sekda again → once.
    assert chain(o.head_a) == [("atasan_langsung", sekda.pk)]
    assert chain(o.staff_a, leave_type="besar") == [("atasan_langsung", o.kabid.pk), ("kepala_opd", o.head_a.pk),
                                                    ("sekda", sekda.pk)]


def test_opd_under_a_pemda_root(world):
    root = UnitFactory(name="Pemerintah Kota", kind=UnitKind.PEMDA)
    opd = UnitFactory(name="Dinas Gamma", kind=UnitKind.DINAS, parent=root)
    bidang = UnitFactory(name="Bidang Gamma", kind=UnitKind.BIDANG, parent=opd)
    kepala = PositionFactory(unit=opd, jabatan_type=JabatanType.JPT_PRATAMA, kelas_jabatan=14)
    kabid = PositionFactory(unit=bidang, parent=kepala, jabatan_type=JabatanType.ADMINISTRATOR, kelas_jabatan=11)
    staf = PositionFactory(unit=bidang, parent=kabid)
    head, mid, me = (EmployeeFactory(unit=opd, position=kepala), EmployeeFactory(unit=bidang, position=kabid),
                     EmployeeFactory(unit=bidang, position=staf))
    for person in (head, mid, me):
        user_for(person)
    assert routing.opd_of(bidang) == opd
    assert chain(me) == [("atasan_langsung", mid.pk), ("kepala_opd", head.pk)]


def test_no_approver_at_all_is_refused(world):
    o = world.org
    o.staff_b.position = None
    o.staff_b.save()
    with pytest.raises(DomainError, match="Tidak ada pejabat") as caught:
        routing.resolve_chain(o.staff_b, kind="izin", leave_type="sakit")
    assert caught.value.code == "no_approver"


def test_the_most_specific_route_wins(world):
    o = world.org
    ApprovalRoute.objects.create(kind="cuti", steps=["kepala_opd"])
    assert chain(o.staff_a, leave_type="sakit") == [("kepala_opd", o.head_a.pk)]
    ApprovalRoute.objects.create(kind="cuti", jabatan_type=JabatanType.PELAKSANA, steps=["atasan_langsung"])
    assert chain(o.staff_a, leave_type="sakit") == [("atasan_langsung", o.kabid.pk)]
    ApprovalRoute.objects.create(kind="cuti", leave_type="sakit", steps=["kepala_opd", "atasan_langsung"])
    assert chain(o.staff_a, leave_type="sakit") == [("kepala_opd", o.head_a.pk), ("atasan_langsung", o.kabid.pk)]
    ApprovalRoute.objects.create(kind="cuti", leave_type="sakit", jabatan_type=JabatanType.PELAKSANA,
                                 steps=["kepala_opd"], is_active=False)
    assert chain(o.staff_a, leave_type="sakit")[0] == ("kepala_opd", o.head_a.pk)
    assert routing.route_roles(kind="cuti", leave_type="tahunan", jabatan_type="") == ("kepala_opd",)


def test_an_unknown_role_in_a_route_is_a_clear_error(world):
    ApprovalRoute.objects.create(kind="izin", steps=["bupati"])
    with pytest.raises(DomainError, match="tidak dikenal"):
        routing.resolve_chain(world.org.staff_a, kind="izin", leave_type="sakit")
