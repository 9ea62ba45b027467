"""Guard and wipe: the demo may only replace demo data.

A database "holds demo data" when `SiteState(pk=1).demo_seed` is set, which only `seed_demo` does. Any
organisation, employee, non-superuser account or audit entry without that mark is somebody's real data and
`seed_demo` refuses to touch it.
"""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from django.apps import apps
from django.db import models

from simasn.accounts.models import User
from simasn.core.models import AuditEvent, SiteState
from simasn.employees.models import Employee
from simasn.org.models import Unit

# Data outside the simasn apps that belongs to the demo users or runs: cleared wholesale on a demo database.
_CLEARED_MODELS = (
    "sessions.Session",
    "django_tasks_db.DBTaskResult",
    "axes.AccessAttemptExpiration",  # before AccessAttempt, which it points to
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
)


class DemoRefused(Exception):
    """The database holds data that seed_demo did not create; nothing was changed."""


def is_demo_database() -> bool:
    state = SiteState.objects.filter(pk=1).first()
    return bool(state and state.demo_seed is not None)


def foreign_data() -> list[str]:
    """What in this database shows it is not a demo database (empty when it is a demo or is empty)."""
    if is_demo_database():
        return []
    checks = (
        ("unit organisasi", Unit.objects.exists()),
        ("pegawai", Employee.objects.exists()),
        ("akun pengguna selain superuser", User.objects.filter(is_superuser=False).exists()),
        ("log audit", AuditEvent.objects.exists()),
    )
    return [label for label, present in checks if present]


def ensure_demo_database() -> None:
    found = foreign_data()
    if found:
        raise DemoRefused(
            "Basis data ini berisi data yang bukan data demo (" + ", ".join(found) + "). seed_demo hanya boleh "
            "dijalankan pada basis data kosong atau basis data demo, agar data nyata tidak terhapus. "
            "Gunakan basis data lain (DATABASE_URL atau SIMASN_VAR_DIR)."
        )


def _points_to_user(model: type[models.Model]) -> bool:
    return any(f.is_relation and f.related_model is User for f in model._meta.concrete_fields)


def _project_models() -> list[type[models.Model]]:
    """Every table of the project's apps but SiteState; the users' many-to-many link tables (groups,
    permissions) are left to _delete_demo_users, which keeps the superusers' links."""
    return [
        m for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config.name.startswith("simasn.") and m is not SiteState
        and not (m._meta.auto_created and _points_to_user(m))
    ]


def _deletion_order(candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    """Models ordered so that every model comes before the models it points to."""
    in_set = set(candidates)
    sorter: TopologicalSorter = TopologicalSorter()
    for model in candidates:
        sorter.add(model)
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target in in_set and target is not model:
                sorter.add(target, model)  # target is deleted after model
    try:
        return list(sorter.static_order())
    except CycleError as exc:
        raise RuntimeError(f"seed_demo cannot order the deletion of {exc.args[1]}") from exc


def _clear_self_references(model: type[models.Model]) -> None:
    nullable = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is model and f.null]
    if nullable:
        model._base_manager.update(**dict.fromkeys(nullable))


def _delete_demo_users() -> None:
    """Every account but the superusers, with what other apps keep about them (OTP devices, admin log,
    group links). The ORM's own delete would load all 10,000 users first; this deletes per related table."""
    User.objects.filter(is_superuser=True).update(scope_unit=None)
    demo_users = User.objects.filter(is_superuser=False).values("pk")
    for rel in User._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        related_meta = rel.related_model._meta
        if related_meta.app_config.name.startswith("simasn.") and not related_meta.auto_created:
            continue  # already emptied, in dependency order
        related = rel.related_model._base_manager.filter(**{f"{rel.field.attname}__in": demo_users})
        if rel.on_delete is models.SET_NULL:
            related.update(**{rel.field.attname: None})
        else:
            related.delete()
    demo_users = User.objects.filter(is_superuser=False)
    demo_users._raw_delete(demo_users.db)


def wipe_demo_data() -> None:
    """Delete every row of the project's apps (except SiteState) and the demo users' sessions, task results
    and lockouts. Superusers stay, detached from the units that are about to go. Call inside a transaction,
    after ensure_demo_database()."""
    for model in _deletion_order(_project_models()):
        _clear_self_references(model)
        if model is User:
            _delete_demo_users()
            continue
        # A plain DELETE: the ordering above already removed every row that points here, and the ORM's
        # collector would load all 10,000 employees into memory just to find nothing to cascade to.
        queryset = model._base_manager.all()
        queryset._raw_delete(queryset.db)
    for label in _CLEARED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        queryset = model._base_manager.all()
        queryset._raw_delete(queryset.db)
