"""Checks of parsed rows against the database, and the field values each row will write.

Everything the rows refer to (units, positions, employees already stored) is loaded up front in a few
chunked queries, so validating 10,000 rows costs a handful of queries, not one per row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.org.models import Position, Unit

from ..models import Employee, EmployeeKind, EmployeeStatus
from ..retirement import retirement_date
from ..validators import TMT_GOLONGAN_REQUIRED, TMT_JABATAN_REQUIRED
from .reader import ParsedRow

# Fits SQLite's historical 999-parameter limit with room to spare; PostgreSQL does not mind.
QUERY_CHUNK = 900
PROGRESS_EVERY = 1000

# Employee attributes an import writes, in a stable order (audit before/after, bulk_update field list).
WRITABLE_FIELDS: tuple[str, ...] = (
    "nip", "kind", "front_title", "name", "back_title", "nik", "birth_place", "birth_date", "sex", "status",
    "golongan", "unit_id", "position_id", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan",
    "education_level", "address", "phone", "email", "retirement_date",
)
_PLAIN_FIELDS = tuple(f for f in WRITABLE_FIELDS if f not in ("unit_id", "position_id", "retirement_date"))
_NULLABLE = frozenset({"tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan", "position_id", "retirement_date"})



@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    path: str
    is_active: bool


@dataclass(frozen=True)
class PositionInfo:
    id: int
    unit_id: int
    name: str
    jabatan_type: str
    jf_level: str
    is_active: bool


@dataclass
class Lookups:
    units: dict[str, UnitInfo] = field(default_factory=dict)  # by exact code and by upper-case code
    positions: dict[tuple[int, str], PositionInfo] = field(default_factory=dict)
    positions_by_id: dict[int, PositionInfo] = field(default_factory=dict)
    existing: dict[str, Employee] = field(default_factory=dict)


@dataclass(frozen=True)
class RankEntry:
    golongan: str
    tmt: dt.date


@dataclass(frozen=True)
class PositionEntry:
    position_id: int
    position_name: str
    unit_name: str
    tmt: dt.date


@dataclass
class PreparedRow:
    number: int
    nip: str
    existing: Employee | None
    fields: dict[str, Any]  # new employee: every writable field; existing: the changed ones only
    before: dict[str, Any] = field(default_factory=dict)  # existing: old values of the changed fields
    rank: RankEntry | None = None  # the riwayat pangkat row this one adds
    position: PositionEntry | None = None  # the riwayat jabatan row this one adds

    @property
    def is_new(self) -> bool:
        return self.existing is None


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _chunks(items: list, size: int = QUERY_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _position_info(p: Position) -> PositionInfo:
    return PositionInfo(p.id, p.unit_id, p.name, p.jabatan_type, p.jf_level, p.is_active)


def load_lookups(rows: list[ParsedRow]) -> Lookups:
    lookups = Lookups()
    codes = sorted({c for r in rows if (c := r.values.get("unit_code"))} | {
        c.upper() for r in rows if (c := r.values.get("unit_code"))})
    for chunk in _chunks(codes):
        for u in Unit.objects.filter(code__in=chunk).only("id", "code", "name", "path", "is_active"):
            info = UnitInfo(u.id, u.code, u.name, u.path, u.is_active)
            lookups.units[u.code] = info
            lookups.units.setdefault(u.code.upper(), info)
    unit_ids = sorted({u.id for u in lookups.units.values()})
    for chunk in _chunks(unit_ids):
        # Active positions win over inactive ones of the same name; among equals the oldest wins.
        for p in Position.objects.filter(unit_id__in=chunk).order_by("-is_active", "id").only(
                "id", "unit_id", "name", "jabatan_type", "jf_level", "is_active"):
            info = _position_info(p)
            lookups.positions.setdefault((p.unit_id, _name_key(p.name)), info)
            lookups.positions_by_id[p.id] = info
    nips = sorted({n for r in rows if (n := r.values.get("nip"))})
    for chunk in _chunks(nips):
        for e in Employee.objects.filter(nip__in=chunk).select_related("unit", "position"):
            lookups.existing[e.nip] = e
            if e.position_id and e.position_id not in lookups.positions_by_id:
                lookups.positions_by_id[e.position_id] = _position_info(e.position)
    return lookups


class _Scope:
    def __init__(self, actor: Any) -> None:
        self.city = can_administer_city(actor)
        self.path = None if self.city else managed_unit_path(actor)

    def allows(self, unit_path: str) -> bool:
        return self.city or (self.path is not None and unit_path.startswith(self.path))


def _resolve_unit(row: ParsedRow, lookups: Lookups, scope: _Scope) -> UnitInfo | None:
    code = row.values.get("unit_code")
    if not code:
        return None
    unit = lookups.units.get(code) or lookups.units.get(code.upper())
    if unit is None:
        row.error("Kode Unit", f"Kode Unit '{code}' tidak dikenal.")
    elif not unit.is_active:
        row.error("Kode Unit", f"Unit {unit.code} ({unit.name}) sudah tidak aktif.")
    elif not scope.allows(unit.path):
        row.error("Kode Unit", f"Unit {unit.code} ({unit.name}) berada di luar cakupan Anda.")
    else:
        return unit
    return None


def _resolve_position(row: ParsedRow, unit: UnitInfo | None, lookups: Lookups) -> PositionInfo | None:
    name = row.values.get("position_name")
    if not name or unit is None:
        return None
    position = lookups.positions.get((unit.id, _name_key(name)))
    if position is None:
        row.error("Jabatan", f"Jabatan '{name}' tidak ada di unit {unit.code} ({unit.name}).")
    elif not position.is_active:
        row.error("Jabatan", f"Jabatan '{name}' di unit {unit.code} sudah tidak aktif.")
    else:
        return position
    return None


def _retirement(birth_date: dt.date, position: PositionInfo | None) -> dt.date:
    return retirement_date(birth_date, position.jabatan_type if position else None,
                           position.jf_level if position else None)


def _new_fields(row: ParsedRow, unit: UnitInfo, position: PositionInfo | None) -> dict[str, Any]:
    values = row.values
    out: dict[str, Any] = {f: values.get(f, None if f in _NULLABLE else "") for f in _PLAIN_FIELDS}
    out["status"] = values.get("status", EmployeeStatus.AKTIF.value)
    if out["tmt_cpns"] is None and values["kind"] in (EmployeeKind.PNS, EmployeeKind.CPNS):
        out["tmt_cpns"] = row.nip_tmt_cpns  # a TMT is always the 1st of a month
    out["unit_id"] = unit.id
    out["position_id"] = position.id if position else None
    out["retirement_date"] = _retirement(out["birth_date"], position)
    return out


def _changed_fields(row: ParsedRow, existing: Employee, unit: UnitInfo, position: PositionInfo | None,
                    lookups: Lookups) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only cells that hold a value count: an empty cell keeps what is stored."""
    desired: dict[str, Any] = {f: row.values[f] for f in _PLAIN_FIELDS if f in row.values}
    desired["unit_id"] = unit.id
    if position is not None:
        desired["position_id"] = position.id
    elif existing.position_id and unit.id != existing.unit_id:
        current = lookups.positions_by_id.get(existing.position_id)
        if current is None or current.unit_id != unit.id:
            desired["position_id"] = None  # the old jabatan belongs to the unit the employee left
    final_position_id = desired.get("position_id", existing.position_id)
    final_position = lookups.positions_by_id.get(final_position_id) if final_position_id else None
    desired["retirement_date"] = _retirement(desired.get("birth_date", existing.birth_date), final_position)
    after = {f: v for f, v in desired.items() if getattr(existing, f) != v}
    before = {f: getattr(existing, f) for f in after}
    return after, before


def _new_histories(fields: dict[str, Any], unit: UnitInfo, position: PositionInfo | None,
                   ) -> tuple[RankEntry | None, PositionEntry | None]:
    """A new employee's first riwayat rows. Without any TMT (e.g. a PPPK with neither TMT Golongan nor TMT
    CPNS) the entry is left out rather than dated wrongly; the master record is still created."""
    rank_tmt = fields["tmt_golongan"] or fields["tmt_cpns"]
    rank = RankEntry(fields["golongan"], rank_tmt) if fields["golongan"] and rank_tmt else None
    position_tmt = fields["tmt_jabatan"] or fields["tmt_cpns"]
    entry = PositionEntry(position.id, position.name, unit.name, position_tmt) if position and position_tmt else None
    return rank, entry


def _changed_histories(row: ParsedRow, after: dict[str, Any], unit: UnitInfo, lookups: Lookups,
                       ) -> tuple[RankEntry | None, PositionEntry | None]:
    """The riwayat rows a changed golongan or jabatan adds. Their TMT must come from the file itself: an empty
    cell keeps the stored TMT, which belongs to the previous golongan or jabatan."""
    rank = entry = None
    if after.get("golongan"):
        tmt = row.values.get("tmt_golongan")
        if tmt is None:
            row.error("TMT Golongan", TMT_GOLONGAN_REQUIRED)
        else:
            rank = RankEntry(after["golongan"], tmt)
    if after.get("position_id"):
        tmt = row.values.get("tmt_jabatan")
        if tmt is None:
            row.error("TMT Jabatan", TMT_JABATAN_REQUIRED)
        else:
            position = lookups.positions_by_id[after["position_id"]]
            entry = PositionEntry(position.id, position.name, unit.name, tmt)
    return rank, entry


def prepare_rows(rows: list[ParsedRow], *, actor: Any, lookups: Lookups | None = None,
                 on_progress: Callable[[int], None] | None = None) -> list[PreparedRow]:
    """Add database errors to `rows` and return what every error-free row would write."""
    lookups = lookups or load_lookups(rows)
    scope = _Scope(actor)
    prepared: list[PreparedRow] = []
    for index, row in enumerate(rows, start=1):
        if on_progress and index % PROGRESS_EVERY == 0:
            on_progress(index)
        unit = _resolve_unit(row, lookups, scope)
        position = _resolve_position(row, unit, lookups)
        nip = row.values.get("nip")
        existing = lookups.existing.get(nip) if nip else None
        if existing is not None and not scope.allows(existing.unit.path):
            row.error("NIP", f"NIP {nip} terdaftar sebagai pegawai unit lain di luar cakupan Anda.")
            continue
        if unit is None:
            continue
        if existing is None:
            if not row.errors:
                fields = _new_fields(row, unit, position)
                prepared.append(PreparedRow(row.number, nip, None, fields, {}, *_new_histories(fields, unit, position)))
            continue
        # Checked even on a row with other errors, so the preview lists all of that row's problems at once.
        after, before = _changed_fields(row, existing, unit, position, lookups)
        rank, entry = _changed_histories(row, after, unit, lookups)
        if not row.errors:
            prepared.append(PreparedRow(row.number, nip, existing, after, before, rank, entry))
    return prepared
