"""Attendance status codes and TPP deduction schemes as data (../shared/DOMAIN.md §3).

Lateness (TL, terlambat) and leaving early (PSW, pulang sebelum waktu) fall into four bands by minutes; a
missing check-in counts as the worst TL band and a missing check-out as the worst PSW band. A day without
any attendance (TK, tanpa keterangan) carries only its own deduction. The month's total is capped at 100%
of the component it reduces. The scheme is configurable per pemda; Scheme A is the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

LEGAL_SOURCE = (
    "Perwali Kendari tentang TPP (skema potongan kehadiran, configurable); PP 94/2021 untuk TK (verify)"
)


@dataclass(frozen=True)
class MinuteBand:
    band: int  # 1..4, the suffix of TL1–TL4 / PSW1–PSW4
    low: int  # first minute of the band (inclusive)
    high: int | None  # last minute (inclusive); None: no upper bound


# Minutes late / early, after the schedule's grace period has been taken off.
MINUTE_BANDS: tuple[MinuteBand, ...] = (
    MinuteBand(1, 1, 30),
    MinuteBand(2, 31, 60),
    MinuteBand(3, 61, 90),
    MinuteBand(4, 91, None),
)
MISSING_EVENT_BAND = 4  # no check-in → TL4; no check-out → PSW4


@dataclass(frozen=True)
class DeductionScheme:
    code: str
    name: str
    band_percent: dict[int, Decimal]  # TL and PSW share the band percentages
    absent_percent: Decimal  # TK, whole day
    monthly_cap: Decimal


SCHEMES: dict[str, DeductionScheme] = {
    "A": DeductionScheme(
        "A", "Skema A (bawaan)",
        {1: Decimal("0.5"), 2: Decimal("1"), 3: Decimal("1.25"), 4: Decimal("1.5")},
        absent_percent=Decimal("3"), monthly_cap=Decimal("100"),
    ),
    "B": DeductionScheme(
        "B", "Skema B",
        {1: Decimal("0.5"), 2: Decimal("1"), 3: Decimal("1.5"), 4: Decimal("2")},
        absent_percent=Decimal("4"), monthly_cap=Decimal("100"),
    ),
}
DEFAULT_SCHEME = "A"

# Daily status codes and their Indonesian labels.
STATUS_LABELS: dict[str, str] = {
    "H": "Hadir",
    **{f"TL{b.band}": f"Terlambat {b.low}–{b.high} menit" if b.high else f"Terlambat > {b.low - 1} menit"
       for b in MINUTE_BANDS},
    **{f"PSW{b.band}": f"Pulang sebelum waktu {b.low}–{b.high} menit" if b.high
       else f"Pulang sebelum waktu > {b.low - 1} menit" for b in MINUTE_BANDS},
    "TK": "Tanpa keterangan",
    "C": "Cuti",
    "S": "Sakit",
    "DL": "Dinas luar",
    "TB": "Tugas belajar",
    "L": "Libur",
}

# --- Check-in checks (issue 4). Each flag is a reason code on the event, explained in Indonesian. No flag
# changes pay by itself: a flagged event waits for a person (atasan / admin OPD) to accept or reject it.
FLAG_LABELS: dict[str, str] = {
    "OUTSIDE_GEOFENCE": "Di luar lokasi presensi yang diizinkan",
    "LOW_ACCURACY": "Akurasi GPS rendah",
    "MOCK_LOCATION": "Lokasi palsu (mock location) terdeteksi",
    "IMPOSSIBLE_TRAVEL": "Perpindahan terlalu cepat dari presensi sebelumnya",
    "SHARED_DEVICE": "Perangkat yang sama dipakai beberapa pegawai",
    "PHOTO_REUSE": "Foto swafoto mirip foto yang pernah dikirim",
    "NO_FACE": "Tidak ada wajah pada swafoto",
    "CLOCK_SKEW": "Jam ponsel berbeda jauh dari jam server",
    "LATE_SYNC": "Dikirim lama setelah presensi dilakukan",
    "OUTSIDE_WINDOW": "Di luar jendela waktu presensi",
    "ON_LEAVE": "Pegawai sedang cuti/izin pada hari ini",
    "DUPLICATE": "Presensi berulang dalam waktu singkat",
    "ARRIVAL_OUTLIER": "Jam datang tidak wajar dibanding kebiasaan pegawai",
}


@dataclass(frozen=True)
class CheckThresholds:
    """Configurable limits of the checks (the demo default; a pemda tunes them)."""

    max_accuracy_m: float = 100.0  # LOW_ACCURACY above this
    max_speed_kmh: float = 200.0  # IMPOSSIBLE_TRAVEL above this between consecutive events
    shared_device_window_minutes: int = 60  # SHARED_DEVICE: another employee on this device within the window
    max_clock_skew_seconds: int = 300  # CLOCK_SKEW when |client_time − capture estimate| is larger
    max_sync_delay_minutes: int = 30  # LATE_SYNC when the server receives it this long after client_time
    max_offline_hours: int = 72  # older client times are refused outright (422), not flagged
    duplicate_window_minutes: int = 5  # DUPLICATE: same kind again within the window
    photo_hash_max_distance: int = 6  # PHOTO_REUSE: Hamming distance of the 64-bit perceptual hashes
    outlier_min_history: int = 10  # ARRIVAL_OUTLIER needs this many earlier arrivals
    outlier_z: float = 3.0  # … and a robust z-score (median/MAD) above this
    max_photo_bytes: int = 2 * 1024 * 1024
    max_photo_pixels: int = 12_000_000  # pixel-flood guard, checked from the header before decoding
    selfie_retention_days: int = 90
    kiosk_qr_seconds: int = 30


CHECKS = CheckThresholds()

# How far back an employee may ask to correct a day: the month's recap and TPP are drawn up soon after it
# ends. (verify against the Perwali; a pemda may change it with SIMASN_ATTENDANCE_CORRECTION_MAX_DAYS.)
CORRECTION_MAX_DAYS_BACK = 30
