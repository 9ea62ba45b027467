"""Who may do what in the SKP cycle. Every check of the services, selectors and pages goes through here.

The pejabat penilai of an SKP is fixed on the SKP (the atasan langsung when it was planned). An SKP with no
ASN pejabat penilai — the Sekda, whose atasan is the elected Wali Kota — is agreed and rated by a user with
the pimpinan role, who also decides objections whose reviewer would be the Wali Kota.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from simasn.accounts.models import Role
from simasn.accounts.scopes import can_administer_city, has_second_factor, is_city_wide, managed_unit_path
from simasn.employees.selectors import own_employee

if TYPE_CHECKING:
    from simasn.employees.models import Employee
    from simasn.org.models import Position, Unit

    from .models import CoachingPlan, Objection, Skp


def acts_for_kepala_daerah(user: Any) -> bool:
    """A pimpinan-role user stands in for the Wali Kota where the regulation names him."""
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.PIMPINAN and has_second_factor(user))


def _me_id(user: Any) -> int | None:
    me = own_employee(user)
    return me.pk if me is not None else None


def is_skp_owner(user: Any, skp: Skp) -> bool:
    me = _me_id(user)
    return me is not None and me == skp.employee_id


def is_pejabat_penilai(user: Any, skp: Skp) -> bool:
    if skp.pejabat_penilai_id is None:
        return acts_for_kepala_daerah(user) and not is_skp_owner(user, skp)
    me = _me_id(user)
    return me is not None and me == skp.pejabat_penilai_id


def is_objection_reviewer(user: Any, objection: Objection) -> bool:
    if objection.reviewer_id is None:
        return acts_for_kepala_daerah(user) and _me_id(user) != objection.employee_id
    me = _me_id(user)
    return me is not None and me == objection.reviewer_id


def is_head_position(position: Position | None) -> bool:
    """The head position of its unit: no parent, or a parent that sits in another unit."""
    if position is None:
        return False
    return position.parent_id is None or position.parent.unit_id != position.unit_id


def is_unit_head(employee: Employee) -> bool:
    return is_head_position(employee.position if employee.position_id else None)


def head_of_unit(user: Any, unit: Unit) -> bool:
    me = own_employee(user)
    return (me is not None and me.position_id is not None and me.position.unit_id == unit.pk
            and is_unit_head(me))


def can_set_performance_rules(user: Any) -> bool:
    """Period kind per year and the units' own results: BKPSDM."""
    return can_administer_city(user)


def can_finalise_unit(user: Any, unit: Unit) -> bool:
    """The annual predikat of a unit are finalised by its head, BKPSDM or the pimpinan."""
    return can_administer_city(user) or acts_for_kepala_daerah(user) or head_of_unit(user, unit)


def can_view_unit_recap(user: Any, unit: Unit) -> bool:
    if is_city_wide(user):
        return True
    path = managed_unit_path(user)
    return bool(path and unit.path.startswith(path)) or head_of_unit(user, unit)


def can_manage_coaching(user: Any, plan: CoachingPlan) -> bool:
    me = _me_id(user)
    return (me is not None and me == plan.owner_id) or can_administer_city(user)


@rules.predicate
def _reads_recaps(user: Any) -> bool:
    return is_city_wide(user) or managed_unit_path(user) is not None


rules.add_perm("performance.view_recap", _reads_recaps)
rules.add_perm("performance.set_rules", rules.predicate(can_set_performance_rules))
