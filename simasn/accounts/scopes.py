"""Who may see which units: the one place that turns a viewer into a filter.

Every selector that lists personnel data starts from these, so the UI, the API and exports agree.
"""

from __future__ import annotations

from django.db.models import Q

from .models import Role, User

CITY_WIDE_READERS = frozenset({Role.ADMIN_BKPSDM, Role.PIMPINAN, Role.INSPEKTORAT})


def has_second_factor(user: User) -> bool:
    """Whether an admin role may use its admin powers in this request.

    django-otp's middleware gives every request user an `is_verified()`; a phone's device token gives
    one that answers False (see api_auth.BearerDeviceAuth), so a token stolen from an admin's phone is
    worth self-service only. A user loaded outside a request (seed, management commands, services
    called from tests) has no `is_verified` and keeps the powers of its role."""
    if not getattr(user, "requires_otp", False):
        return True
    is_verified = getattr(user, "is_verified", None)
    return is_verified is None or bool(is_verified())


def is_city_wide(user: User) -> bool:
    return (
        user.is_authenticated
        and (user.is_superuser or user.role in CITY_WIDE_READERS)
        and has_second_factor(user)
    )


def managed_unit_path(user: User) -> str | None:
    """The unit-subtree prefix an admin OPD manages, or None."""
    if user.is_authenticated and user.role == Role.ADMIN_OPD and user.scope_unit_id and has_second_factor(user):
        return user.scope_unit.path
    return None


def can_administer_city(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN_BKPSDM) and has_second_factor(user)


def is_personnel_admin(user: User) -> bool:
    return can_administer_city(user) or managed_unit_path(user) is not None


def unit_filter(user: User, field: str = "") -> Q:
    """Q restricting a queryset of units (field="") or of objects with a unit FK (field="unit__") to the
    units the viewer can administer or read city-wide. Pegawai get nothing here: their access is personal."""
    prefix = f"{field}path"
    if is_city_wide(user):
        return Q()
    path = managed_unit_path(user)
    if path:
        return Q(**{f"{prefix}__startswith": path})
    return Q(pk__in=[])
