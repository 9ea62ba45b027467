"""The calendar rules as data: which weekdays are off and what kinds of holiday exist.

Perpres 21/2023 sets 37.5 hours a week; Kota Kendari OPD work a 5-day week (Saturday and Sunday off).
The 6-day schedules of schools and services come with the schedules; they only need another entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


# ── Work schedules (DOMAIN §2) ──────────────────────────────────────────────────────────────────────────
# Perpres 21/2023 sets 37.5 working hours a week, breaks excluded; SE Wali Kota Kendari 800/1949/2021 sets
# Kendari's check-in (masuk) and check-out (pulang) windows. These are the defaults `demo.seed_schedules` and
# the "Buat dari templat" form copy into WorkSchedule rows, which BKPSDM then edits per unit.

SCHEDULE_LEGAL_BASIS = "Perpres 21/2023 tentang Hari Kerja dan Jam Kerja Instansi Pemerintah; " \
                       "SE Wali Kota Kendari 800/1949/2021"
WEEKLY_HOURS = 37.5  # Perpres 21/2023
WEEKLY_HOURS_RAMADAN = 32.5  # Perpres 21/2023, bulan Ramadan
DEFAULT_GRACE_MINUTES = 0  # Kendari: late from the first minute after the start; a unit may set its own
MAX_GRACE_MINUTES = 120
# A Ramadan period is a month: longer ranges are typing errors.
MAX_RAMADAN_DAYS = 31
# The widest span the my-schedule API and the lookup page expand at once (two months).
MAX_SCHEDULE_SPAN_DAYS = 62

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAY_LABELS = {
    MON: _("Senin"), TUE: _("Selasa"), WED: _("Rabu"), THU: _("Kamis"), FRI: _("Jumat"), SAT: _("Sabtu"),
    SUN: _("Minggu"),
}


@dataclass(frozen=True)
class TimeBlockRule:
    """One working period: start and end, the break inside it, and the masuk/pulang windows.
    Times are "HH:MM" in the office time zone. With `ends_next_day` the end and the pulang window fall on
    the next calendar day (night shift)."""

    start: str
    end: str
    break_minutes: int
    checkin: tuple[str, str]
    checkout: tuple[str, str]
    ends_next_day: bool = False

    def working_minutes(self) -> int:
        return minutes_between(self.start, self.end, self.ends_next_day) - self.break_minutes


@dataclass(frozen=True)
class ShiftRule:
    code: str
    name: str
    block: TimeBlockRule


@dataclass(frozen=True)
class ScheduleTemplate:
    key: str
    name: str
    kind: str  # five_day / six_day / shift
    days: dict[int, TimeBlockRule] = field(default_factory=dict)
    ramadan_days: dict[int, TimeBlockRule] = field(default_factory=dict)
    shifts: tuple[ShiftRule, ...] = ()
    grace_minutes: int = DEFAULT_GRACE_MINUTES
    legal_basis: str = SCHEDULE_LEGAL_BASIS
    note: str = ""

    def weekly_minutes(self, *, ramadan: bool = False) -> int:
        days = self.ramadan_days if ramadan else self.days
        return sum(block.working_minutes() for block in days.values())


def minutes_between(start: str, end: str, ends_next_day: bool = False) -> int:
    sh, sm = map(int, start.split(":"))
    eh, em = map(int, end.split(":"))
    return (eh * 60 + em) - (sh * 60 + sm) + (24 * 60 if ends_next_day else 0)


# 5-day OPD: masuk 07:00–08:00, pulang 16:00–18:00.
_FIVE_DAY_IN = ("07:00", "08:00")
_FIVE_DAY_OUT = ("16:00", "18:00")
_MON_THU = TimeBlockRule("07:30", "16:00", 60, _FIVE_DAY_IN, _FIVE_DAY_OUT)
_FRIDAY = TimeBlockRule("07:30", "16:30", 90, _FIVE_DAY_IN, _FIVE_DAY_OUT)  # the longer break is for Jumatan

# Ramadan: 08:00–15:00, Friday 08:00–15:30, 32.5 h a week. The regulation gives the times and the weekly
# total, not the breaks: 30 min Mon–Thu and 60 min Friday are the breaks that make the total (4 × 6.5 + 6.5).
# The windows keep the normal schedule's shape (masuk half an hour either side of the start, pulang from the
# end for two hours) because the SE names none for Ramadan.
_RAMADAN_IN = ("07:30", "08:30")
_RAMADAN_OUT = ("15:00", "17:00")
_RAMADAN_MON_THU = TimeBlockRule("08:00", "15:00", 30, _RAMADAN_IN, _RAMADAN_OUT)
_RAMADAN_FRIDAY = TimeBlockRule("08:00", "15:30", 60, _RAMADAN_IN, _RAMADAN_OUT)

# 6-day OPD (schools, services): masuk 07:00–08:00, pulang 14:00–16:00. The SE gives the windows only; the
# daily times below spread 37.5 h over six days (6.25 h a day; Friday's longer break is for Jumatan).
_SIX_DAY_IN = ("07:00", "08:00")
_SIX_DAY_OUT = ("14:00", "16:00")
_SIX_DAY = TimeBlockRule("07:30", "14:00", 15, _SIX_DAY_IN, _SIX_DAY_OUT)
_SIX_DAY_FRIDAY = TimeBlockRule("07:30", "15:00", 75, _SIX_DAY_IN, _SIX_DAY_OUT)

# Shifts (RSUD and other 24-hour services). The SE gives the windows; each shift starts when its masuk
# window closes and ends when its pulang window opens (pagi 08–14, siang 14–21, malam 21–08 next day).
SHIFT_PAGI = ShiftRule("pagi", "Shift Pagi", TimeBlockRule("08:00", "14:00", 0, ("07:00", "08:00"),
                                                           ("14:00", "16:00")))
SHIFT_SIANG = ShiftRule("siang", "Shift Siang", TimeBlockRule("14:00", "21:00", 0, ("13:00", "14:00"),
                                                              ("21:00", "23:00")))
SHIFT_MALAM = ShiftRule("malam", "Shift Malam", TimeBlockRule("21:00", "08:00", 0, ("20:00", "21:00"),
                                                              ("08:00", "10:00"), ends_next_day=True))
SHIFT_CODES = ("pagi", "siang", "malam")

KIND_FIVE_DAY = "five_day"
KIND_SIX_DAY = "six_day"
KIND_SHIFT = "shift"

SCHEDULE_TEMPLATES: dict[str, ScheduleTemplate] = {
    KIND_FIVE_DAY: ScheduleTemplate(
        key=KIND_FIVE_DAY, name="Jadwal Normal 5 Hari Kerja", kind=KIND_FIVE_DAY,
        days={MON: _MON_THU, TUE: _MON_THU, WED: _MON_THU, THU: _MON_THU, FRI: _FRIDAY},
        ramadan_days={MON: _RAMADAN_MON_THU, TUE: _RAMADAN_MON_THU, WED: _RAMADAN_MON_THU,
                      THU: _RAMADAN_MON_THU, FRI: _RAMADAN_FRIDAY},
    ),
    KIND_SIX_DAY: ScheduleTemplate(
        key=KIND_SIX_DAY, name="Jadwal 6 Hari Kerja", kind=KIND_SIX_DAY,
        days={MON: _SIX_DAY, TUE: _SIX_DAY, WED: _SIX_DAY, THU: _SIX_DAY, FRI: _SIX_DAY_FRIDAY, SAT: _SIX_DAY},
        note="Jam harian disusun agar 37,5 jam/minggu; jendela masuk/pulang menurut SE Wali Kota Kendari.",
    ),
    KIND_SHIFT: ScheduleTemplate(
        key=KIND_SHIFT, name="Jadwal Shift (Pagi/Siang/Malam)", kind=KIND_SHIFT,
        shifts=(SHIFT_PAGI, SHIFT_SIANG, SHIFT_MALAM),
    ),
}
