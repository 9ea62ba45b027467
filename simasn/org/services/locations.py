"""Writes on office locations: the geofences check-ins are measured against."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from simasn.core.audit import audit_record, model_snapshot

from .. import geo
from ..models import OfficeLocation, Unit
from ..rules import ensure
from ._common import FieldErrors, apply_validated_update, as_finite_number, as_int, clean_text, fresh

RADIUS_MIN_M, RADIUS_MAX_M = 10, 5000
POLYGON_MAX_POINTS = 200
# GPS-grade slack when checking that the polygon lies inside the circle.
POLYGON_TOLERANCE_M = 1.0
TIMEZONE_ALIASES = {
    "WIB": OfficeLocation.TimeZone.WIB,
    "WITA": OfficeLocation.TimeZone.WITA,
    "WIT": OfficeLocation.TimeZone.WIT,
}
UPDATABLE_FIELDS = frozenset({"unit", "name", "address", "latitude", "longitude", "radius_m", "polygon", "timezone",
                              "is_active"})


def _coordinate(errors: FieldErrors, field: str, value: Any, *, label: str, limit: int) -> float | None:
    number = as_finite_number(value)
    if number is None:
        errors.add(field, f"{label} harus berupa angka desimal yang valid.")
    elif not -limit <= number <= limit:
        errors.add(field, f"{label} harus antara −{limit} dan {limit} derajat.")
        return None
    return number


def clean_polygon(errors: FieldErrors, value: Any) -> list[list[float]] | None:
    """A list of at least three [lat, lng] pairs, or None. A closing point equal to the first is dropped."""
    if value in (None, "", []):
        return None
    if not isinstance(value, list | tuple):
        errors.add("polygon", "Poligon harus berupa daftar titik [lintang, bujur].")
        return None
    points: list[list[float]] = []
    for index, point in enumerate(value, start=1):
        lat = lng = None
        if isinstance(point, list | tuple) and len(point) == 2:
            lat, lng = as_finite_number(point[0]), as_finite_number(point[1])
        if lat is None or lng is None:
            errors.add("polygon", f"Titik ke-{index} poligon harus berupa pasangan angka [lintang, bujur].")
            return None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            errors.add("polygon", f"Titik ke-{index} poligon di luar jangkauan (lintang −90..90, bujur −180..180).")
            return None
        points.append([lat, lng])
    if len(points) > 3 and points[0] == points[-1]:
        points.pop()
    if len({tuple(p) for p in points}) < 3:
        errors.add("polygon", "Poligon memerlukan paling sedikit 3 titik yang berbeda.")
        return None
    if len(points) > POLYGON_MAX_POINTS:
        errors.add("polygon", f"Poligon paling banyak {POLYGON_MAX_POINTS} titik.")
        return None
    # Shoelace area relative to the first vertex (avoids cancellation with coordinates like 122.5); 1e-12 deg²
    # is about 0.01 m², i.e. all points on one line.
    rel = [(lat - points[0][0], lng - points[0][1]) for lat, lng in points]
    doubled_area = sum(a[1] * b[0] - b[1] * a[0] for a, b in zip(rel, rel[1:] + rel[:1], strict=True))
    if abs(doubled_area) < 1e-12:
        errors.add("polygon", "Titik-titik poligon segaris: poligon tidak memiliki luas.")
        return None
    return points


def _validate(errors: FieldErrors, data: dict[str, Any], *, instance: OfficeLocation | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": clean_text(errors, "name", data["name"], label="Nama lokasi", max_length=200),
        "address": clean_text(errors, "address", data.get("address") or "", label="Alamat", max_length=300,
                              required=False),
        "latitude": _coordinate(errors, "latitude", data["latitude"], label="Lintang", limit=90),
        "longitude": _coordinate(errors, "longitude", data["longitude"], label="Bujur", limit=180),
    }
    radius = as_int(data["radius_m"])
    if radius is None or not RADIUS_MIN_M <= radius <= RADIUS_MAX_M:
        errors.add("radius_m", f"Radius harus bilangan bulat {RADIUS_MIN_M} sampai {RADIUS_MAX_M} meter.")
    out["radius_m"] = radius
    tz = TIMEZONE_ALIASES.get(data["timezone"], data["timezone"])
    if tz not in OfficeLocation.TimeZone.values:
        errors.add("timezone", "Zona waktu harus WIB, WITA atau WIT.")
    out["timezone"] = tz
    polygon = clean_polygon(errors, data.get("polygon"))
    if polygon and out["latitude"] is not None and out["longitude"] is not None and radius is not None:
        centre = (out["latitude"], out["longitude"])
        far = max(geo.haversine_m(*centre, lat, lng) for lat, lng in polygon)
        if far > radius + POLYGON_TOLERANCE_M:
            errors.add("polygon", f"Semua titik poligon harus di dalam radius {radius} m dari titik pusat "
                                  f"(titik terjauh {far:.0f} m).")
    out["polygon"] = polygon
    unit: Unit = data["unit"]
    if not unit.is_active and (instance is None or instance.unit_id != unit.pk):
        errors.add("unit", f"Unit {unit.name} sudah tidak aktif.")
    out["unit"] = unit
    return out


@transaction.atomic
def location_create(
    *, actor: Any, unit: Unit, name: str, latitude: float, longitude: float, radius_m: int = 100,
    polygon: list | None = None, timezone: str = OfficeLocation.TimeZone.WITA, address: str = "",
) -> OfficeLocation:
    unit = fresh(Unit.objects, unit.pk)
    ensure(actor, "org.manage_locations", unit)
    errors = FieldErrors()
    values = _validate(errors, {"unit": unit, "name": name, "address": address, "latitude": latitude,
                                "longitude": longitude, "radius_m": radius_m, "polygon": polygon,
                                "timezone": timezone})
    errors.raise_if_any()
    location = OfficeLocation.objects.create(**values)
    audit_record(actor=actor, action="org.location.create", obj=location,
                 summary=f"Lokasi kantor dibuat: {location.name}", after=model_snapshot(location))
    return location


@transaction.atomic
def location_update(*, actor: Any, location: OfficeLocation, **fields: Any) -> OfficeLocation:
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"location_update() got unexpected fields: {sorted(unknown)}")
    location = fresh(OfficeLocation.objects.select_for_update().select_related("unit"), location.pk)
    ensure(actor, "org.manage_locations", location.unit)
    if "unit" in fields and fields["unit"].pk != location.unit_id:
        fields["unit"] = fresh(Unit.objects, fields["unit"].pk)
        ensure(actor, "org.manage_locations", fields["unit"])
    return apply_validated_update(
        location, fields, updatable=UPDATABLE_FIELDS, validate=_validate, actor=actor,
        action="org.location.update", summary="Lokasi kantor diubah: {name}",
    )
