"""Load the Kota Kendari demo: check, plan, generate, then wipe and write everything in one transaction."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from simasn.core.audit import audit_record
from simasn.core.models import SiteState
from simasn.leave.demo import seed_leave
from simasn.performance.demo import seed_skp
from simasn.workcalendar.demo import seed_schedules
from simasn.workcalendar.services import sync_holidays

from .accounts import DemoLogin, create_role_accounts, pegawai_logins
from .bulk import refresh_planner_statistics
from .org_builder import persist_org, plan_org
from .people import PersonFactory
from .staffing import minimum_employees, persist_staff, staff_plan
from .wipe import DemoRefused, ensure_demo_database, wipe_demo_data

DEFAULT_EMPLOYEES = 600
DEFAULT_SEED = 2026
DEFAULT_PASSWORD = "Kendari#2026"
MIN_PASSWORD_LENGTH = 8


@dataclass
class DemoResult:
    seed: int
    password: str
    counts: dict[str, int]
    logins: list[DemoLogin]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def load_demo(*, employees: int = DEFAULT_EMPLOYEES, seed: int = DEFAULT_SEED, password: str = DEFAULT_PASSWORD,
              today: dt.date | None = None) -> DemoResult:
    """Replace the demo data with a fresh synthetic Kota Kendari. Raises DemoRefused (nothing changed) on a
    database holding real data, a head-count too small to fill every managerial post, or a short password."""
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings[name] = now - started
        started = now

    ensure_demo_database()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DemoRefused(f"Kata sandi demo minimal {MIN_PASSWORD_LENGTH} karakter.")
    plan = plan_org()
    minimum = minimum_employees(plan)
    if employees < minimum:
        raise DemoRefused(
            f"Jumlah pegawai demo minimal {minimum} agar setiap jabatan struktural (dan kepala sekolah) "
            f"terisi tepat satu orang; diminta {employees}."
        )
    factory = PersonFactory(seed, today or timezone.localdate())
    staffing = staff_plan(plan, employees, factory)
    password_hash = make_password(password)  # once: every demo account shares it (Argon2 per user takes minutes)
    lap("generate")

    with transaction.atomic():
        ensure_demo_database()  # again, now that this transaction holds the write lock
        wipe_demo_data()
        lap("wipe")
        persist_org(plan)
        lap("org")
        counts = persist_staff(staffing, factory, password_hash)
        lap("employees")
        logins = create_role_accounts(plan, password_hash)
        atasan_pos = next(pos for pos, person in staffing.placements if person is staffing.atasan)
        staf_pos = next(pos for pos, person in staffing.placements if person is staffing.staf)
        logins += pegawai_logins(staffing.atasan, atasan_pos.name, staffing.staf, staf_pos.name)
        counts.update(units=len(plan.units), positions=len(plan.positions), locations=len(plan.locations))
        # The wipe emptied the holiday table with the rest; the national days of this year and the next.
        year = factory.today.year
        counts["holidays"] = sync_holidays(actor="seed_demo", years=[year, year + 1], audit=False)["created"]
        counts.update({f"schedule_{k}": v for k, v in seed_schedules(today=factory.today).items()})
        counts.update(seed_leave(today=factory.today))
        counts.update(seed_skp(year=year, seed=seed, today=factory.today,
                               agreed_nips=[staffing.atasan.nip, staffing.staf.nip]))
        SiteState.objects.update_or_create(pk=1, defaults={"demo_seed": seed, "demo_loaded_at": timezone.now()})
        audit_record(
            actor="seed_demo", action="core.demo_seeded", object_type="core.sitestate", object_id=1,
            summary=f"Data demo Kota Kendari dimuat: {counts['employees']} pegawai, seed {seed}.",
            after={"seed": seed, **counts},
        )
        lap("accounts")
    lap("commit")  # PostgreSQL checks the deferred foreign keys of every inserted row here
    refresh_planner_statistics()
    lap("analyze")
    return DemoResult(seed=seed, password=password, counts=counts, logins=logins, timings=timings)
