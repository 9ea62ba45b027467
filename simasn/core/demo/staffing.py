"""Fill the planned positions with people and store them (users, employees, histories) in bulk.

Every position with `fill == "one"` (all managerial posts and the kepala sekolah) gets exactly one holder,
taken top-down; the remaining head-count is spread over the fungsional and pelaksana positions in
proportion to their OPD's share of the city's staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from simasn.accounts.models import Role, User
from simasn.employees.models import EducationHistory, Employee, PositionHistory, RankHistory

from . import data_org as D
from .bulk import insert_rows
from .data_people import CPNS_SHARE, ENTRY_LEVELS, JF_FAMILIES, LEVEL_LABEL, PPPK_SHARE
from .org_builder import OrgPlan, PositionSpec
from .people import Person, PersonFactory, add_years, random_date

ENTRY_PROFILES = frozenset({"pelaksana", "pelaksana_s1"}) | ENTRY_LEVELS
# Who a manager was before: the level below in the same OPD (a JPT was an administrator somewhere).
PREVIOUS_PROFILE = {"sekda": "jpt", "jpt": "administrator", "administrator": "pengawas", "pengawas": "ahli_pertama"}


@dataclass
class Staffing:
    placements: list[tuple[PositionSpec, Person]]
    atasan: Person  # the demo kepala bidang (pegawai who is an atasan)
    staf: Person  # one of his direct subordinates


def minimum_employees(plan: OrgPlan) -> int:
    """One holder per single-holder position, plus the demo atasan's subordinate."""
    return sum(1 for p in plan.positions if p.fill == "one") + 1


def _demo_pair(plan: OrgPlan) -> tuple[PositionSpec, PositionSpec]:
    atasan = plan.head_of[D.DEMO_ATASAN_UNIT]
    staf = next(p for p in plan.positions if p.parent is atasan and p.fill == "many")
    return atasan, staf


def _slots(plan: OrgPlan, employees: int, factory: PersonFactory) -> tuple[list[PositionSpec], list[str]]:
    rng = factory.rng
    singles = [p for p in plan.positions if p.fill == "one"]
    _, staf = _demo_pair(plan)
    pool = [p for p in plan.positions if p.fill == "many" and p.weight > 0]
    group_total: dict[str, float] = {}
    for p in pool:
        group_total[p.unit.group] = group_total.get(p.unit.group, 0.0) + p.weight
    weights = [plan.group_weight[p.unit.group] * p.weight / group_total[p.unit.group] for p in pool]
    slots = singles + [staf] + rng.choices(pool, weights=weights, k=employees - len(singles) - 1)

    staff_indexes = list(range(len(singles), len(slots)))
    pppk = set(rng.sample(staff_indexes, min(round(PPPK_SHARE * employees), len(staff_indexes))))
    entry = [i for i in staff_indexes if i not in pppk and slots[i].profile in ENTRY_PROFILES]
    cpns = set(rng.sample(entry, min(round(CPNS_SHARE * employees), len(entry))))
    kinds = ["PPPK" if i in pppk else "CPNS" if i in cpns else "PNS" for i in range(len(slots))]
    return slots, kinds


def _opd_name(unit) -> str:
    while unit.parent is not None and unit.parent.parent is not None:
        unit = unit.parent
    return unit.name


class _History:
    """Builds the position history of each person: entry post, (for managers) the post before, current."""

    def __init__(self, plan: OrgPlan, factory: PersonFactory) -> None:
        self.factory = factory
        self.by_group_profile: dict[tuple[str, str], list[PositionSpec]] = {}
        self.by_profile: dict[str, list[PositionSpec]] = {}
        for p in plan.positions:
            self.by_group_profile.setdefault((p.unit.group, p.profile), []).append(p)
            self.by_profile.setdefault(p.profile, []).append(p)

    def _entry_title(self, position: PositionSpec) -> str:
        if position.jabatan_type == "fungsional" and position.fill == "many":
            family = JF_FAMILIES[position.family]
            return f"{family.name} {LEVEL_LABEL[family.levels[0]]}"
        return position.name if position.jabatan_type == "pelaksana" else "Pelaksana"

    def jobs(self, position: PositionSpec, person: Person) -> list[tuple[str, str, dt.date, PositionSpec | None]]:
        current = (position.name, position.unit.name, person.tmt_jabatan, position)
        if person.kind != "PNS" or person.tmt_cpns >= person.tmt_jabatan:
            return [current]
        rows = [(self._entry_title(position), _opd_name(position.unit), person.tmt_cpns, None)]
        previous_profile = PREVIOUS_PROFILE.get(position.profile)
        if previous_profile:
            options = (self.by_group_profile.get((position.unit.group, previous_profile))
                       or self.by_profile.get(previous_profile, []))
            lo, hi = add_years(person.tmt_cpns, 2), add_years(person.tmt_jabatan, -1)
            if options and lo < hi:
                before = self.factory.rng.choice(options)
                rows.append((before.name, before.unit.name, random_date(self.factory.rng, lo, hi), before))
        rows.append(current)
        return rows


def staff_plan(plan: OrgPlan, employees: int, factory: PersonFactory) -> Staffing:
    slots, kinds = _slots(plan, employees, factory)
    history = _History(plan, factory)
    placements = []
    for position, kind in zip(slots, kinds, strict=True):
        person = factory.make(position, kind)
        person.jobs = history.jobs(position, person)
        placements.append((position, person))
    atasan_pos, staf_pos = _demo_pair(plan)
    atasan = next(person for position, person in placements if position is atasan_pos)
    staf = next(person for position, person in placements if position is staf_pos)
    return Staffing(placements, atasan, staf)


def _sk_date(tmt: dt.date) -> dt.date:
    return tmt - dt.timedelta(days=21)


def persist_staff(staffing: Staffing, factory: PersonFactory, password_hash: str) -> dict[str, int]:
    """Insert one login per employee (username = NIP, all sharing one password hash), the employees and
    their rank, position and education histories."""
    placements = staffing.placements
    counts = {"users": insert_rows(User, (
        {"username": p.nip, "full_name": p.full_name[:200], "role": Role.PEGAWAI, "password": password_hash}
        for _, p in placements
    ))}
    # Right after the wipe every non-superuser is one just inserted here.
    user_ids = _ids(User.objects.filter(is_superuser=False).values_list("username", "pk"))
    counts["employees"] = insert_rows(Employee, (
        {
            "nip": p.nip, "kind": p.kind, "front_title": p.front_title, "name": p.name, "back_title": p.back_title,
            "nik": p.nik, "birth_place": p.birth_place, "birth_date": p.birth_date, "sex": p.sex, "status": p.status,
            "golongan": p.golongan, "unit_id": position.unit.obj.pk, "position_id": position.obj.pk,
            "tmt_cpns": p.tmt_cpns, "tmt_pns": p.tmt_pns, "tmt_golongan": p.tmt_golongan,
            "tmt_jabatan": p.tmt_jabatan, "education_level": p.education, "address": p.address, "phone": p.phone,
            "retirement_date": p.retirement, "user_id": user_ids[p.nip],
        }
        for position, p in placements
    ))
    employee_ids = _ids(Employee.objects.values_list("nip", "pk"))

    ranks, jobs, schools = [], [], []
    for _, person in placements:
        employee_id = employee_ids[person.nip]
        for index, (golongan, tmt) in enumerate(person.ranks):
            prefix = "800.1.2.2" if index == 0 else "800.1.3.3"  # pengangkatan, kenaikan pangkat
            ranks.append({"employee_id": employee_id, "golongan": golongan, "tmt": tmt, "sk_date": _sk_date(tmt),
                          "sk_number": factory.sk_number(prefix, _sk_date(tmt))})
        for name, unit_name, tmt, spec in person.jobs:
            jobs.append({"employee_id": employee_id, "position_id": spec.obj.pk if spec else None,
                         "position_name": name, "unit_name": unit_name, "tmt": tmt, "sk_date": _sk_date(tmt),
                         "sk_number": factory.sk_number("800.1.3.1", _sk_date(tmt))})
        for level, institution, major, year in person.schools:
            schools.append({"employee_id": employee_id, "level": level, "institution": institution, "major": major,
                            "graduation_year": year})
    counts["rank_history"] = insert_rows(RankHistory, ranks)
    counts["position_history"] = insert_rows(PositionHistory, jobs)
    counts["education_history"] = insert_rows(EducationHistory, schools)
    return counts


def _ids(pairs) -> dict[str, int]:
    return dict(pairs.iterator(chunk_size=5000))
