"""Presentation of the SKP cycle's codes in templates: badges for statuses and predikat, labels of periods."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from .. import periods
from .. import rules_data as R

register = template.Library()

SKP_STATUS_CLASS = {"draft": "secondary", "submitted": "warning", "returned": "danger", "revising": "info",
                    "agreed": "success"}
PREDIKAT_CLASS = {"sangat_baik": "success", "baik": "primary", "butuh_perbaikan": "warning", "kurang": "danger",
                  "sangat_kurang": "dark"}
RATING_CLASS = {"di_atas": "success", "sesuai": "primary", "di_bawah": "danger"}


@register.filter
def skp_status_badge(skp) -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', SKP_STATUS_CLASS.get(skp.status, "secondary"),
                       skp.get_status_display())


@register.filter
def predikat_badge(code: str) -> str:
    if not code:
        return "—"
    return format_html('<span class="badge text-bg-{}">{}</span>', PREDIKAT_CLASS.get(code, "secondary"),
                       R.PREDIKAT.get(code, code))


@register.filter
def predikat_label(code: str) -> str:
    return R.PREDIKAT.get(code, code or "—")


@register.filter
def rating_label(code: str) -> str:
    return R.RATINGS.get(code, code or "—")


@register.filter
def rating_badge(code: str) -> str:
    if not code:
        return "—"
    return format_html('<span class="badge text-bg-{}">{}</span>', RATING_CLASS.get(code, "secondary"),
                       R.RATINGS.get(code, code))


@register.filter
def berakhlak_label(code: str) -> str:
    return R.BERAKHLAK.get(code, code)


@register.filter
def unit_predikat_label(code: str | None) -> str:
    return R.UNIT_PREDIKAT.get(code or "", "—")


@register.simple_tag
def period_name(skp, period: int) -> str:
    return periods.period_label(skp.period_kind, period)


@register.filter
def number(value) -> str:
    """12.50 → "12,5"; None → "—"."""
    if value is None or value == "":
        return "—"
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
