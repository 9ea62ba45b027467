from django import template

from ..models import UnitKind

register = template.Library()

# Bootstrap's text-bg-* classes pick a readable text colour for each background.
_KIND_BADGE = {
    UnitKind.PEMDA: "text-bg-dark",
    UnitKind.SEKRETARIAT: "text-bg-primary",
    UnitKind.DINAS: "text-bg-primary",
    UnitKind.BADAN: "text-bg-primary",
    UnitKind.INSPEKTORAT: "text-bg-primary",
    UnitKind.SATPOL: "text-bg-primary",
    UnitKind.RSUD: "text-bg-primary",
    UnitKind.KECAMATAN: "text-bg-success",
    UnitKind.KELURAHAN: "text-bg-info",
    UnitKind.UPTD: "text-bg-warning",
}


@register.filter
def kind_badge(kind: str) -> str:
    """CSS classes of the badge showing a unit's kind (OPD, kewilayahan, internal)."""
    return _KIND_BADGE.get(kind, "text-bg-secondary")


@register.filter
def kind_label(kind: str) -> str:
    return UnitKind(kind).label if kind in UnitKind.values else kind


@register.filter
def osm_url(location) -> str:
    """An OpenStreetMap link centred on the location (no map script is loaded by SIMASN itself)."""
    return (f"https://www.openstreetmap.org/?mlat={location.latitude:.6f}&mlon={location.longitude:.6f}"
            f"#map=18/{location.latitude:.6f}/{location.longitude:.6f}")
