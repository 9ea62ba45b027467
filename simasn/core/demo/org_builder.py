"""Plan the Kendari unit tree, positions and office locations in memory, then write them in bulk.

Planning and writing are separate so the plan can be checked (and counted) before anything is stored, and
so the writer can insert one tree level per query: a unit's materialised path needs its own id and its
parent's path, and a position's parent must exist before the position.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from simasn.org import tree
from simasn.org.models import JabatanType, OfficeLocation, Position, Unit, UnitKind

from . import data_org as D
from .data_people import JF_FAMILIES, KELAS_BY_LEVEL, LEVEL_LABEL, LEVEL_WEIGHT, PELAKSANA, PELAKSANA_WEIGHT, PROFILES
from .data_places import (
    BALAI_KOTA,
    CITY_CENTRE,
    KECAMATAN,
    KECAMATAN_BY_CODE,
    PUSKESMAS,
    SCHOOLS_SD,
    SCHOOLS_SMP,
    STREETS,
    spread,
)

MAX_CODE_LENGTH = Unit._meta.get_field("code").max_length
HEALTH_FAMILIES = ("Dokter", "Dokter Gigi", "Perawat", "Bidan", "Asisten Apoteker", "Nutrisionis",
                   "Pranata Laboratorium Kesehatan", "Sanitarian", "Perekam Medis")


@dataclass(eq=False)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: UnitSpec | None
    short_name: str = ""
    group: str = ""  # staffing group: an OPD code, "SETDA" or "KEC.<code>"
    kecamatan: str = ""  # for kecamatan and kelurahan: the kecamatan code
    obj: Unit | None = None

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass(eq=False)
class PositionSpec:
    name: str
    unit: UnitSpec
    parent: PositionSpec | None
    jabatan_type: str
    kelas: int
    jf_level: str = ""
    family: str = ""  # JF family, or the pelaksana title
    discipline: str = "umum"
    fill: str = "many"  # "one": exactly one holder; "many": weighted share of staff; "none": not an ASN post
    weight: float = 0.0
    profile: str = "pelaksana"
    female_share: float = 0.5
    obj: Position | None = None

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def is_managerial(self) -> bool:
        return self.jabatan_type not in (JabatanType.FUNGSIONAL, JabatanType.PELAKSANA)


@dataclass(eq=False)
class LocationSpec:
    unit: UnitSpec
    name: str
    address: str
    lat: float
    lon: float
    radius_m: int


@dataclass
class OrgPlan:
    units: list[UnitSpec] = field(default_factory=list)
    positions: list[PositionSpec] = field(default_factory=list)
    locations: list[LocationSpec] = field(default_factory=list)
    group_weight: dict[str, float] = field(default_factory=dict)
    group_female: dict[str, float] = field(default_factory=dict)
    group_discipline: dict[str, str] = field(default_factory=dict)
    unit_by_code: dict[str, UnitSpec] = field(default_factory=dict)
    head_of: dict[str, PositionSpec] = field(default_factory=dict)  # unit code → its head position

    def unit(self, code: str, name: str, kind: str, parent: UnitSpec | None, **extra) -> UnitSpec:
        if len(code) > MAX_CODE_LENGTH:
            raise ValueError(f"unit code {code!r} is longer than {MAX_CODE_LENGTH} characters")
        extra.setdefault("group", parent.group if parent else "")
        spec = UnitSpec(code, name, kind, parent, **extra)
        self.units.append(spec)
        self.unit_by_code[code] = spec
        return spec

    def head(self, name: str, unit: UnitSpec, parent: PositionSpec | None, jabatan_type: str, kelas: int,
             *, is_sekda: bool = False) -> PositionSpec:
        profile = "sekda" if is_sekda else ("jpt" if jabatan_type.startswith("jpt") else jabatan_type)
        spec = PositionSpec(
            name, unit, parent, jabatan_type, kelas, fill="one", profile=profile,
            discipline=self.group_discipline.get(unit.group, "umum"),
            female_share=(self.group_female.get(unit.group, 0.5) + PROFILES[profile].female_share) / 2,
        )
        self.positions.append(spec)
        self.head_of.setdefault(unit.code, spec)
        return spec

    def staff(self, unit: UnitSpec, parent: PositionSpec, families: tuple[str, ...], pelaksana: tuple[str, ...],
              *, multiplier: float = 1.0) -> None:
        """Non-managerial positions of a unit under `parent`: each JF family at the levels the unit's head
        outranks (a JF never sits above his atasan's kelas), then the pelaksana titles."""
        female = self.group_female.get(unit.group, 0.5)
        for family_name in families:
            family = JF_FAMILIES[family_name]
            for level in family.levels:
                kelas = KELAS_BY_LEVEL[level]
                if kelas > parent.kelas:
                    continue
                self.positions.append(PositionSpec(
                    f"{family.name} {LEVEL_LABEL[level]}", unit, parent, JabatanType.FUNGSIONAL, kelas, level,
                    family.name, family.discipline, weight=LEVEL_WEIGHT[level] * multiplier, profile=level,
                    female_share=female,
                ))
        for title in pelaksana:
            kelas = PELAKSANA[title]
            self.positions.append(PositionSpec(
                title, unit, parent, JabatanType.PELAKSANA, kelas, "", title, "umum",
                weight=PELAKSANA_WEIGHT * multiplier, profile="pelaksana_s1" if kelas >= 7 else "pelaksana",
                female_share=female,
            ))

    def location(self, unit: UnitSpec, name: str, address: str, point: tuple[float, float], index: int) -> None:
        self.locations.append(LocationSpec(unit, name, address, point[0], point[1], 100 + 25 * (index % 5)))


OFFICE_PELAKSANA = ("Pengadministrasi Perkantoran", "Penata Layanan Operasional")
SECRETARIAT_PELAKSANA = ("Pengelola Layanan Operasional", "Penata Layanan Operasional")
SUBUNIT_PELAKSANA = ("Pengadministrasi Perkantoran", "Operator Layanan Operasional")
KELURAHAN_PELAKSANA = ("Pengadministrasi Perkantoran", "Pengelola Layanan Operasional", "Penata Layanan Operasional")


def plan_org() -> OrgPlan:
    plan = OrgPlan()
    plan.group_weight["SETDA"] = D.SETDA_WEIGHT
    plan.group_discipline["SETDA"] = "pemerintahan"
    root = plan.unit("KDI", "Pemerintah Kota Kendari", UnitKind.PEMDA, None, short_name="Pemkot Kendari",
                     group="SETDA")
    # The Wali Kota is elected, not an ASN: the position exists as the top of the tree but has no holder.
    walikota = PositionSpec("Wali Kota Kendari", root, None, JabatanType.KEPALA_DAERAH, 17, fill="none")
    plan.positions.append(walikota)
    sekda = _plan_setda(plan, root, walikota)
    for index, opd in enumerate(D.OPDS):
        _plan_opd(plan, root, sekda, opd, index)
    for kecamatan in KECAMATAN:
        _plan_kecamatan(plan, root, sekda, kecamatan)
    return plan


def _plan_setda(plan: OrgPlan, root: UnitSpec, walikota: PositionSpec) -> PositionSpec:
    setda = plan.unit("KDI.SETDA", "Sekretariat Daerah", UnitKind.SEKRETARIAT, root, short_name="Setda")
    plan.location(setda, "Kantor Wali Kota Kendari (Balai Kota)", "Jl. Drs. H. Abdullah Silondae No. 8, Kota Kendari",
                  BALAI_KOTA, 2)
    sekda = plan.head("Sekretaris Daerah", setda, walikota, JabatanType.JPT_PRATAMA, 15, is_sekda=True)
    asisten = [plan.head(name, setda, sekda, JabatanType.JPT_PRATAMA, 14) for name in D.SETDA_ASISTEN]
    for bagian in D.SETDA_BAGIAN:
        unit = plan.unit(f"KDI.SETDA.{bagian.code}", bagian.name, bagian.kind, setda)
        kabag = plan.head(bagian.head_name, unit, asisten[bagian.asisten - 1], JabatanType.ADMINISTRATOR, 12)
        plan.staff(unit, kabag, bagian.jf, OFFICE_PELAKSANA)
    return sekda


def _plan_opd(plan: OrgPlan, root: UnitSpec, sekda: PositionSpec, opd: D.Opd, index: int) -> None:
    plan.group_weight[opd.code] = opd.weight
    plan.group_female[opd.code] = opd.female_share
    plan.group_discipline[opd.code] = opd.discipline
    unit = plan.unit(f"KDI.{opd.code}", opd.name, opd.kind, root, short_name=opd.short, group=opd.code)
    street = STREETS[index % len(STREETS)]
    plan.location(unit, f"Kantor {opd.short}", f"Jl. {street} No. {index + 3}, Kota Kendari",
                  spread(CITY_CENTRE, index + 1, 0.006), index)
    kepala = plan.head(opd.head, unit, sekda, JabatanType.JPT_PRATAMA, 14)

    set_name, set_head = opd.secretariat
    secretariat = plan.unit(f"{unit.code}.SET", set_name, UnitKind.SEKRETARIAT, unit)
    sekretaris = plan.head(set_head or f"Sekretaris {opd.name}", secretariat, kepala, JabatanType.ADMINISTRATOR, 12)
    plan.staff(secretariat, sekretaris, opd.secretariat_jf, SECRETARIAT_PELAKSANA)
    umpeg = plan.unit(f"{secretariat.code}.{D.SUBBAG_UMPEG.code}", D.SUBBAG_UMPEG.name, D.SUBBAG_UMPEG.kind,
                      secretariat)
    kasubbag = plan.head(D.SUBBAG_UMPEG.head_name, umpeg, sekretaris, JabatanType.PENGAWAS, 9)
    plan.staff(umpeg, kasubbag, D.SUBBAG_UMPEG.jf, SUBUNIT_PELAKSANA)

    for section in opd.sections:
        bidang = plan.unit(f"{unit.code}.{section.code}", section.name, section.kind, unit)
        kabid = plan.head(section.head_name, bidang, kepala, JabatanType.ADMINISTRATOR, 11)
        plan.staff(bidang, kabid, section.jf, OFFICE_PELAKSANA if section.jf or not section.children else ())
        for child in section.children:
            seksi = plan.unit(f"{bidang.code}.{child.code}", child.name, child.kind, bidang)
            kasi = plan.head(child.head_name, seksi, kabid, JabatanType.PENGAWAS, 9)
            plan.staff(seksi, kasi, child.jf, SUBUNIT_PELAKSANA)
    if opd.code == "DINKES":
        _plan_puskesmas(plan, unit, kepala)
    elif opd.code == "DISDIK":
        _plan_schools(plan, unit, kepala)


def _slug(name: str) -> str:
    return "".join(ch for ch in name.upper() if ch.isalnum())


def _plan_puskesmas(plan: OrgPlan, dinkes: UnitSpec, kepala: PositionSpec) -> None:
    for index, (name, kec_code) in enumerate(PUSKESMAS):
        kec = KECAMATAN_BY_CODE[kec_code]
        unit = plan.unit(f"{dinkes.code}.PKM.{_slug(name)}", f"UPTD Puskesmas {name}", UnitKind.UPTD, dinkes,
                         short_name=f"Puskesmas {name}")
        plan.location(unit, f"Puskesmas {name}", f"Kec. {kec.name}, Kota Kendari",
                      spread((kec.lat, kec.lon), 12 + index, 0.004), index)
        head = plan.head(f"Kepala UPTD Puskesmas {name}", unit, kepala, JabatanType.PENGAWAS, 9)
        plan.staff(unit, head, HEALTH_FAMILIES, ("Pengadministrasi Perkantoran",), multiplier=D.UPTD_MULTIPLIER)


def _plan_schools(plan: OrgPlan, disdik: UnitSpec, kepala: PositionSpec) -> None:
    schools = [("SDN", "SD Negeri", n) for n in range(1, SCHOOLS_SD + 1)]
    schools += [("SMPN", "SMP Negeri", n) for n in range(1, SCHOOLS_SMP + 1)]
    for index, (prefix, label, number) in enumerate(schools):
        kec = KECAMATAN[index % len(KECAMATAN)]
        name = f"{label} {number} Kendari"
        unit = plan.unit(f"{disdik.code}.{prefix}{number:02d}", name, UnitKind.UPTD, disdik, short_name=name)
        plan.location(unit, name, f"Kec. {kec.name}, Kota Kendari", spread((kec.lat, kec.lon), 30 + index, 0.004),
                      index)
        # A kepala sekolah is a guru with an additional duty (not a structural post), but still one per school.
        head = PositionSpec(f"Kepala {name}", unit, kepala, JabatanType.FUNGSIONAL, KELAS_BY_LEVEL["ahli_madya"],
                            "ahli_madya", "Guru", "pendidikan", fill="one", profile="ahli_madya",
                            female_share=0.55)
        plan.positions.append(head)
        plan.head_of[unit.code] = head
        plan.staff(unit, head, ("Guru",), SUBUNIT_PELAKSANA, multiplier=D.UPTD_MULTIPLIER)


def _plan_kecamatan(plan: OrgPlan, root: UnitSpec, sekda: PositionSpec, kec) -> None:
    group = f"KEC.{kec.code}"
    plan.group_weight[group] = D.KECAMATAN_WEIGHT
    plan.group_discipline[group] = "pemerintahan"
    unit = plan.unit(f"KDI.KEC.{kec.code}", f"Kecamatan {kec.name}", UnitKind.KECAMATAN, root,
                     short_name=f"Kec. {kec.name}", group=group, kecamatan=kec.code)
    plan.location(unit, f"Kantor Camat {kec.name}", f"Kec. {kec.name}, Kota Kendari", (kec.lat, kec.lon), 0)
    camat = plan.head(f"Camat {kec.name}", unit, sekda, JabatanType.ADMINISTRATOR, 12)
    sekcam = plan.head(f"Sekretaris Kecamatan {kec.name}", unit, camat, JabatanType.ADMINISTRATOR, 11)
    plan.staff(unit, sekcam, ("Analis Kebijakan",), KELURAHAN_PELAKSANA)
    # The seksi are posts inside the kecamatan office; its staff report to the sekcam, so that every post name
    # is unique within the unit (the importer finds a position by unit and name).
    for title in D.KECAMATAN_SEKSI:
        plan.head(f"{title} Kecamatan {kec.name}", unit, camat, JabatanType.PENGAWAS, 9)
    for index, name in enumerate(kec.kelurahan, start=1):
        kel = plan.unit(f"{unit.code}.{_slug(name)}", f"Kelurahan {name}", UnitKind.KELURAHAN, unit,
                        short_name=f"Kel. {name}", kecamatan=kec.code)
        plan.location(kel, f"Kantor Lurah {name}", f"Kel. {name}, Kec. {kec.name}, Kota Kendari",
                      spread((kec.lat, kec.lon), index, 0.005), index)
        lurah = plan.head(f"Lurah {name}", kel, camat, JabatanType.PENGAWAS, 9)
        plan.staff(kel, lurah, (), KELURAHAN_PELAKSANA)


def persist_org(plan: OrgPlan) -> None:
    """Insert units level by level (ids first, then paths), positions level by level, then locations."""
    units_by_depth: dict[int, list[UnitSpec]] = defaultdict(list)
    for spec in plan.units:
        units_by_depth[spec.depth].append(spec)
    for depth in sorted(units_by_depth):
        specs = units_by_depth[depth]
        objs = Unit.objects.bulk_create([
            Unit(code=s.code, name=s.name, short_name=s.short_name, kind=s.kind,
                 parent_id=s.parent.obj.pk if s.parent else None)
            for s in specs
        ])
        for spec, obj in zip(specs, objs, strict=True):
            obj.path = tree.child_path(spec.parent.obj.path if spec.parent else None, obj.pk)
            obj.depth = tree.depth_of(obj.path)
            spec.obj = obj
        Unit.objects.bulk_update(objs, ["path", "depth"])

    positions_by_depth: dict[int, list[PositionSpec]] = defaultdict(list)
    for spec in plan.positions:
        positions_by_depth[spec.depth].append(spec)
    for depth in sorted(positions_by_depth):
        specs = positions_by_depth[depth]
        objs = Position.objects.bulk_create([
            Position(name=s.name, unit_id=s.unit.obj.pk, parent_id=s.parent.obj.pk if s.parent else None,
                     jabatan_type=s.jabatan_type, jf_level=s.jf_level, kelas_jabatan=s.kelas)
            for s in specs
        ])
        for spec, obj in zip(specs, objs, strict=True):
            spec.obj = obj

    OfficeLocation.objects.bulk_create([
        OfficeLocation(unit_id=loc.unit.obj.pk, name=loc.name, address=loc.address, latitude=loc.lat,
                       longitude=loc.lon, radius_m=loc.radius_m, timezone=OfficeLocation.TimeZone.WITA)
        for loc in plan.locations
    ])
