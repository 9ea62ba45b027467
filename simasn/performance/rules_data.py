"""Performance rules of PermenPANRB 6/2022 as data (../shared/DOMAIN.md §6): ratings, predikat matrix and
the distribution curve of employee predikat per unit predikat. PNS and PPPK alike.

Legal references marked "(verify)" still need checking against the published Lampiran.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

_REGULATION = "PermenPANRB 6/2022 tentang Pengelolaan Kinerja Pegawai ASN"
MATRIX_SOURCE = f"{_REGULATION}, Lampiran: kuadran predikat kinerja pegawai (verify)"
DISTRIBUTION_SOURCE = f"{_REGULATION}, Lampiran: pola distribusi predikat kinerja pegawai (verify)"

# Rating of hasil kerja and of perilaku kerja against the ekspektasi.
RATINGS: dict[str, str] = {
    "di_atas": "Di Atas Ekspektasi",
    "sesuai": "Sesuai Ekspektasi",
    "di_bawah": "Di Bawah Ekspektasi",
}

# Predikat kinerja pegawai, best first.
PREDIKAT: dict[str, str] = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}

# Predikat kinerja organisasi (the unit's own predikat), which selects the distribution curve.
UNIT_PREDIKAT: dict[str, str] = {
    "istimewa": "Istimewa",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}

# (hasil, perilaku) -> predikat. Good results with perilaku below expectation are "Kurang (misconduct)":
# behaviour cannot be bought with output.
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): "kurang",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_atas"): "sangat_baik",
    ("sesuai", "di_bawah"): "kurang",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_atas"): "baik",
    ("di_bawah", "di_bawah"): "sangat_kurang",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
}


class Bound(StrEnum):
    AT_MOST = "at_most"  # share of the categories <= limit
    AT_LEAST = "at_least"  # share of the categories >= limit
    AT_LEAST_ONE = "at_least_one"  # at least one employee in the categories


@dataclass(frozen=True)
class DistributionRule:
    unit_predikat: str
    bound: Bound
    categories: tuple[str, ...]  # employee predikat counted together
    limit: Decimal | None  # share of the unit's total count; None for AT_LEAST_ONE
    legal_source: str = DISTRIBUTION_SOURCE


def _rule(unit: str, bound: Bound, categories: tuple[str, ...], limit: str | None = None) -> DistributionRule:
    return DistributionRule(unit, bound, categories, Decimal(limit) if limit is not None else None)


DISTRIBUTION_RULES: tuple[DistributionRule, ...] = (
    _rule("istimewa", Bound.AT_MOST, ("sangat_baik",), "0.70"),
    _rule("baik", Bound.AT_MOST, ("baik",), "0.70"),
    _rule("baik", Bound.AT_LEAST_ONE, ("butuh_perbaikan", "kurang")),
    _rule("butuh_perbaikan", Bound.AT_LEAST, ("butuh_perbaikan",), "0.60"),
    _rule("butuh_perbaikan", Bound.AT_MOST, ("sangat_baik",), "0.10"),
    _rule("kurang", Bound.AT_LEAST, ("kurang",), "0.60"),
    _rule("kurang", Bound.AT_LEAST, ("butuh_perbaikan",), "0.10"),
    _rule("kurang", Bound.AT_MOST, ("sangat_baik",), "0.10"),
    _rule("sangat_kurang", Bound.AT_LEAST, ("sangat_kurang",), "0.60"),
    _rule("sangat_kurang", Bound.AT_LEAST, ("kurang", "butuh_perbaikan"), "0.10"),
    _rule("sangat_kurang", Bound.AT_MOST, ("sangat_baik",), "0"),
)


def rules_for(unit_predikat: str) -> tuple[DistributionRule, ...]:
    return tuple(r for r in DISTRIBUTION_RULES if r.unit_predikat == unit_predikat)


# ---------------------------------------------------------------------------------------------------------
# The SKP cycle (perencanaan → pelaksanaan → penilaian → tindak lanjut), DOMAIN §6.

CYCLE_SOURCE = f"{_REGULATION}, Bab III–V: perencanaan, pelaksanaan, penilaian kinerja (verify)"

# Perilaku kerja: the core values BerAKHLAK (SE MenPANRB 20/2021; PermenPANRB 6/2022 Lampiran), in order.
BERAKHLAK_SOURCE = "SE MenPANRB 20/2021 tentang Implementasi Core Values dan Employer Branding ASN; " + _REGULATION
BERAKHLAK: dict[str, str] = {
    "berorientasi_pelayanan": "Berorientasi Pelayanan",
    "akuntabel": "Akuntabel",
    "kompeten": "Kompeten",
    "harmonis": "Harmonis",
    "loyal": "Loyal",
    "adaptif": "Adaptif",
    "kolaboratif": "Kolaboratif",
}

# Pendekatan penyusunan SKP.
APPROACHES: dict[str, str] = {
    "kuantitatif": "Kuantitatif",
    "kualitatif": "Kualitatif",
}

# Aspek indikator kinerja individu (target kuantitas / kualitas / waktu / biaya).
TARGET_KINDS: dict[str, str] = {
    "kuantitas": "Kuantitas",
    "kualitas": "Kualitas",
    "waktu": "Waktu",
    "biaya": "Biaya",
}

# Perspektif hasil kerja JPT (balanced scorecard), PermenPANRB 6/2022 Lampiran (verify).
PERSPECTIVES: dict[str, str] = {
    "penerima_layanan": "Perspektif Penerima Layanan",
    "penguatan_internal": "Perspektif Penguatan Internal",
    "anggaran": "Perspektif Anggaran",
    "proses_bisnis": "Perspektif Proses Bisnis",
}

# Periode penilaian periodik. Monthly is the default (the TPP kinerja component is paid monthly); BKPSDM may
# choose quarterly for a year (PerformancePeriodSetting). Periods are numbered 1..PERIODS_PER_YEAR[kind].
PERIOD_KINDS: dict[str, str] = {
    "monthly": "Bulanan",
    "quarterly": "Triwulanan",
}
DEFAULT_PERIOD_KIND = "monthly"
PERIODS_PER_YEAR: dict[str, int] = {"monthly": 12, "quarterly": 4}
MONTHS_PER_PERIOD: dict[str, int] = {"monthly": 1, "quarterly": 3}
# The annual assessment (penilaian akhir tahun) is stored with period number 0.
ANNUAL_PERIOD = 0


@dataclass(frozen=True)
class Deadline:
    days: int
    legal_source: str


# Keberatan atas hasil penilaian kinerja: filed with the atasan of the pejabat penilai within this many
# calendar days after the assessment is final (issued).
OBJECTION_DEADLINE = Deadline(14, f"{_REGULATION}, keberatan atas penilaian kinerja (verify)")

# An assessment counts as late when it is not final this many days after its period ended. Local policy
# (BKPSDM), not a number from the regulation: the TPP of the month needs the monthly rating.
ASSESSMENT_DUE_DAYS: dict[str, Deadline] = {
    "monthly": Deadline(10, "Kebijakan BKPSDM: penilaian bulanan selambatnya tanggal 10 bulan berikutnya (verify)"),
    "quarterly": Deadline(15, "Kebijakan BKPSDM: penilaian triwulanan selambatnya 15 hari setelah triwulan "
                              "berakhir (verify)"),
    "annual": Deadline(31, "Kebijakan BKPSDM: penilaian akhir tahun selambatnya 31 Januari tahun berikutnya "
                           "(verify)"),
}

# Tindak lanjut: these predikat get a coaching plan (pembinaan) owned by the atasan, of this length.
COACHING_PREDIKAT: frozenset[str] = frozenset({"butuh_perbaikan", "kurang", "sangat_kurang"})
COACHING_PLAN = Deadline(90, f"{_REGULATION}, tindak lanjut: pembinaan kinerja; lama rencana kebijakan BKPSDM "
                             "(verify)")

# The hasil kerja of a unit head follows the unit's own result (predikat kinerja organisasi).
UNIT_HEAD_HASIL: dict[str, str] = {
    "istimewa": "di_atas",
    "baik": "sesuai",
    "butuh_perbaikan": "di_bawah",
    "kurang": "di_bawah",
    "sangat_kurang": "di_bawah",
}
UNIT_HEAD_HASIL_SOURCE = f"{_REGULATION}: hasil kerja pimpinan unit kerja mengikuti kinerja organisasi (verify)"

# Bukti dukung: PDF/JPEG/PNG files up to this size, or http(s) links.
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_URL_SCHEMES: frozenset[str] = frozenset({"http", "https"})
