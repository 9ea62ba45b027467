"""The calendar rules as data: which weekdays are off and what kinds of holiday exist.

Perpres 21/2023 sets 37.5 hours a week; Kota Kendari OPD work a 5-day week (Saturday and Sunday off).
The 6-day schedules of schools and services come with the schedules; they only need another entry here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# date.weekday(): Monday = 0 … Sunday = 6.
WEEKEND_DAYS: dict[str, frozenset[int]] = {
    "5_hari": frozenset({5, 6}),
    "6_hari": frozenset({6}),
}
DEFAULT_WEEK = "5_hari"

WEEK_LABELS = {
    "5_hari": _("5 hari kerja (Senin–Jumat; Sabtu dan Minggu libur)"),
    "6_hari": _("6 hari kerja (Senin–Sabtu; Minggu libur)"),
}

CATEGORY_NATIONAL = "libur_nasional"
CATEGORY_JOINT_LEAVE = "cuti_bersama"
CATEGORY_REGIONAL = "libur_daerah"

CATEGORY_LABELS = {
    CATEGORY_NATIONAL: _("Libur nasional"),
    CATEGORY_JOINT_LEAVE: _("Cuti bersama"),
    CATEGORY_REGIONAL: _("Libur daerah"),
}
# Stored on synced rows as their legal basis, hence plain Indonesian text rather than translatable labels.
CATEGORY_BASIS = {
    CATEGORY_NATIONAL: "SKB Menteri Agama, Menaker dan MenPANRB tentang Hari Libur Nasional",
    CATEGORY_JOINT_LEAVE: "SKB Menteri Agama, Menaker dan MenPANRB tentang Cuti Bersama",
    CATEGORY_REGIONAL: "Keputusan Wali Kota Kendari",
}

# The `holidays` package marks joint leave only by its Indonesian name.
JOINT_LEAVE_PREFIX = "Cuti Bersama"
HOLIDAYS_CATEGORIES = ("public", "government")

# How far from today a holiday may be entered: the SKB is issued about a year ahead; history is kept for
# recomputing attendance of earlier years.
MAX_YEARS_FROM_TODAY = 5
# The longest range the working-day calculator accepts (one leap year).
MAX_RANGE_DAYS = 366

LEGAL_SOURCE = (
    "Perpres 21/2023; SKB Menteri Agama, Menaker, MenPANRB tentang Hari Libur Nasional dan Cuti Bersama"
)


def category_for_name(name: str) -> str:
    return CATEGORY_JOINT_LEAVE if name.startswith(JOINT_LEAVE_PREFIX) else CATEGORY_NATIONAL
