"""Display helpers for personnel data."""

from __future__ import annotations

from django import template

from ..rules_data import golongan_label

register = template.Library()

# How BKN prints the numbers: groups by segment, so a reader can see birth date and TMT at a glance.
_GROUPS = {"PPPK": (8, 4, 2, 1, 3), "PNS": (8, 6, 1, 3)}


@register.filter
def nip_format(nip: str, kind: str = "PNS") -> str:
    """'198609262015051001' → '19860926 201505 1 001' (NI PPPK: '19900115 2022 11 2 003')."""
    if not nip or len(nip) != 18 or not nip.isdigit():
        return nip or ""
    parts, start = [], 0
    for size in _GROUPS["PPPK" if kind == "PPPK" else "PNS"]:
        parts.append(nip[start:start + size])
        start += size
    return " ".join(parts)


@register.filter
def golongan(code: str) -> str:
    """'III/a' → 'III/a (Penata Muda)'; PPPK 'IX' → 'Golongan IX PPPK'."""
    return golongan_label(code) if code else ""
