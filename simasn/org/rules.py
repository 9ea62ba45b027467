"""Who may change the organisation structure.

Reading the structure (units, jabatan, office locations) is open to every logged-in user: it is not personal
data. Writing it: Admin BKPSDM everywhere; Admin OPD only inside the subtree of their `scope_unit`, and never
the placement of that scope root itself (moving, merging or deleting it would change their own reach).

Services call `ensure()`; views use `can()`. Both ask the rule set directly (`rules.has_perm`) rather than
`user.has_perm`, which would fall through to Django's ModelBackend and query the permission tables.
"""

from __future__ import annotations

from typing import Any

import rules

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.errors import Forbidden, NotFound

__all__ = ["Forbidden", "NotFound", "can", "ensure"]

from . import tree
from .models import Unit


def writes_org(user: Any) -> bool:
    """May this user change any part of the structure at all?"""
    return can_administer_city(user) or managed_unit_path(user) is not None


def unit_in_scope(user: Any, unit: Unit | None) -> bool:
    """Is the unit inside what the user administers? `None` (the top of the tree) belongs to BKPSDM only."""
    if can_administer_city(user):
        return True
    scope_path = managed_unit_path(user)
    if scope_path is None or unit is None:
        return False
    return tree.is_within(unit.path, scope_path)


def is_scope_root(user: Any, unit: Unit) -> bool:
    return not can_administer_city(user) and getattr(user, "scope_unit_id", None) == unit.pk


@rules.predicate
def _can_add_unit(user, parent: Unit | None) -> bool:
    return unit_in_scope(user, parent)


@rules.predicate
def _can_change_unit(user, unit: Unit) -> bool:
    return unit_in_scope(user, unit)


@rules.predicate
def _can_restructure_unit(user, unit: Unit) -> bool:
    """Move, merge, delete, deactivate: inside the scope, and not the admin's own scope root."""
    return unit_in_scope(user, unit) and not is_scope_root(user, unit)


@rules.predicate
def _writes_org(user) -> bool:
    return writes_org(user)


rules.add_perm("org.view_structure", rules.is_authenticated)
rules.add_perm("org.write_structure", _writes_org)
rules.add_perm("org.add_unit", _can_add_unit)
rules.add_perm("org.change_unit", _can_change_unit)
rules.add_perm("org.move_unit", _can_restructure_unit)
rules.add_perm("org.merge_unit", _can_restructure_unit)
rules.add_perm("org.delete_unit", _can_restructure_unit)
# Positions and locations are managed per unit: the object passed is the unit they belong to.
rules.add_perm("org.manage_positions", _can_change_unit)
rules.add_perm("org.manage_locations", _can_change_unit)


def can(user: Any, perm: str, unit: Unit | None = None) -> bool:
    return rules.has_perm(perm, user, unit)


def ensure(actor: Any, perm: str, unit: Unit | None = None, *, message: str = "") -> None:
    """Raise unless `actor` holds `perm` on `unit`. `actor=None` is the system itself (seed, commands).

    A user who may not write the structure at all gets Forbidden; an admin OPD asking about a unit outside
    their subtree gets NotFound (such a unit is indistinguishable from a missing one); anything else refused
    inside their own scope is Forbidden with `message`.
    """
    if actor is None:
        return
    if not writes_org(actor):
        raise Forbidden()
    if unit is not None and not unit_in_scope(actor, unit):
        raise NotFound()
    if not rules.has_perm(perm, actor, unit):
        raise Forbidden(message) if message else Forbidden()
