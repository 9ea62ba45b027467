"""Read API of the organisation structure (/api/v1/org). Any authenticated user may read it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from . import selectors
from .models import OfficeLocation, Position, Unit

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    parent_id: int | None
    path: str
    depth: int
    is_active: bool


class PositionOut(Schema):
    id: int
    name: str
    unit_id: int
    parent_id: int | None
    jabatan_type: str
    jf_level: str
    kelas_jabatan: int
    is_active: bool
    holders: list[str] = Field(default_factory=list, description="Nama pemegang jabatan yang masih aktif.")


class LocationOut(Schema):
    id: int
    unit_id: int
    name: str
    address: str
    latitude: float
    longitude: float
    radius_m: int
    polygon: list[list[float]] | None
    timezone: str
    is_active: bool


class UnitDetailOut(UnitOut):
    merged_into_id: int | None
    ancestors: list[UnitOut]
    children: list[UnitOut]
    positions: list[PositionOut]
    locations: list[LocationOut]


class UnitFilter(Schema):
    parent: int | None = Field(None, description="Hanya anak langsung dari unit ini.")
    q: str = Field("", max_length=100, description="Cari pada nama, singkatan atau kode.")
    include_inactive: bool = True


class UnitScopedFilter(Schema):
    unit: int | None = Field(None, description="Id unit.")
    include_subtree: bool = Field(False, description="Sertakan sub-unit (hanya bersama `unit`).")
    include_inactive: bool = False


def _position_out(position: Position) -> PositionOut:
    return PositionOut(
        id=position.pk, name=position.name, unit_id=position.unit_id, parent_id=position.parent_id,
        jabatan_type=position.jabatan_type, jf_level=position.jf_level, kelas_jabatan=position.kelas_jabatan,
        is_active=position.is_active, holders=[e.full_name for e in getattr(position, "holders_list", [])],
    )


@router.get("/units", response=list[UnitOut], summary="Daftar unit (datar, urut pohon)")
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> list[Unit]:
    return list(selectors.unit_list(parent=filters.parent, q=filters.q, include_inactive=filters.include_inactive))


@router.get("/units/{unit_id}", response=UnitDetailOut, summary="Detail unit dengan sub-unit, jabatan dan lokasi")
def get_unit(request: HttpRequest, unit_id: int) -> UnitDetailOut:
    unit = selectors.unit_get(pk=unit_id)
    return UnitDetailOut(
        **UnitOut.model_validate(unit).model_dump(),
        merged_into_id=unit.merged_into_id,
        ancestors=[UnitOut.model_validate(u) for u in selectors.unit_ancestors(unit)],
        children=[UnitOut.model_validate(u) for u in selectors.unit_children(unit, include_inactive=True)],
        positions=[_position_out(p) for p in selectors.positions_for_unit(unit, include_inactive=True)],
        locations=[LocationOut.model_validate(loc) for loc in selectors.office_locations(unit=unit, active_only=False)],
    )


@router.get("/positions", response=list[PositionOut], summary="Daftar jabatan")
def list_positions(request: HttpRequest, filters: Query[UnitScopedFilter]) -> list[PositionOut]:
    if filters.unit is None:
        positions = selectors.positions_all(include_inactive=filters.include_inactive)
    else:
        unit = selectors.unit_get(pk=filters.unit)
        positions = selectors.positions_in(unit, include_subtree=filters.include_subtree,
                                           include_inactive=filters.include_inactive)
    return [_position_out(p) for p in positions]


@router.get("/locations", response=list[LocationOut], summary="Daftar lokasi kantor (geofence)")
def list_locations(request: HttpRequest, filters: Query[UnitScopedFilter]) -> list[OfficeLocation]:
    unit = selectors.unit_get(pk=filters.unit) if filters.unit is not None else None
    return list(selectors.office_locations(unit=unit, include_subtree=filters.include_subtree,
                                           active_only=not filters.include_inactive))
