import rules

from .models import Role
from .scopes import can_administer_city, is_city_wide, is_personnel_admin


@rules.predicate
def is_admin_bkpsdm(user) -> bool:
    return can_administer_city(user)


@rules.predicate
def is_personnel_admin_pred(user) -> bool:
    return is_personnel_admin(user)


@rules.predicate
def reads_city_wide(user) -> bool:
    return is_city_wide(user)


@rules.predicate
def is_inspektorat(user) -> bool:
    return user.is_authenticated and user.role == Role.INSPEKTORAT


rules.add_perm("accounts.view_audit_log", is_admin_bkpsdm | is_inspektorat)
rules.add_perm("accounts.manage_users", is_admin_bkpsdm)
rules.add_perm("accounts.use_calculators", rules.is_authenticated)
