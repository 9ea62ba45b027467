"""Leave, izin and their approval as data (../shared/DOMAIN.md §7), each rule with its legal basis.

PNS — PP 11/2017 tentang Manajemen PNS jo PP 17/2020, Bab cuti (Pasal 309–341), with Peraturan BKN 24/2017
tentang Tata Cara Pemberian Cuti PNS. PPPK — PP 49/2018 tentang Manajemen PPPK (Pasal 70–73): only cuti
tahunan, sakit, melahirkan and bersama. Entries marked "(verify)" are our reading where the regulation text
was not at hand (the article numbers of the PP 11/2017 leave chapter included); BKPSDM should confirm them.

Lengths. A maximum length is given in calendar **months** from the first day (`max_months`): "cuti besar
paling lama 3 bulan" is a span that ends at the latest the day before the same date three months later,
whatever the number of working days in it (the regulation speaks of months, not working days). Cuti tahunan
is limited by its ledger balance instead, in working days. What a request "costs" is always its working days
(weekends and holidays excluded, `workcalendar.days`), and only cuti tahunan spends a balance.
"""

from __future__ import annotations

from dataclasses import dataclass

# ── Cuti tahunan entitlement and carry-over (Pasal 310–315) ─────────────────────────────────────────────
# PNS: 12 working days a year after 1 year of service; unused days of a year carry over at most 6, so at
# most 18 the next year; untaken for 2 years or more in a row, at most 24 including the current year's.
# PPPK: 12 days; carry-over only if the contract provides it.


@dataclass(frozen=True)
class AnnualLeaveRule:
    employee_type: str
    annual_days: int  # the year's own entitlement
    max_carryover: int  # unused days of last year that may be added
    max_after_two_untaken_years: int  # the ceiling when the two previous years were not used at all
    legal_basis: str


ANNUAL_LEAVE_RULES: dict[str, AnnualLeaveRule] = {
    "PNS": AnnualLeaveRule("PNS", 12, 6, 24, "PP 11/2017 jo PP 17/2020 Pasal 310–315"),
    "PPPK": AnnualLeaveRule("PPPK", 12, 0, 12, "PP 49/2018 Pasal 71 (penangguhan menurut perjanjian kerja)"),
}
MAX_CONTRACT_CARRYOVER = 6  # a PPPK contract may not give more than a PNS gets

# ── Leave types ────────────────────────────────────────────────────────────────────────────────────────

TAHUNAN = "tahunan"
BESAR = "besar"
SAKIT = "sakit"
MELAHIRKAN = "melahirkan"
ALASAN_PENTING = "alasan_penting"
BERSAMA = "bersama"
CLTN = "cltn"


@dataclass(frozen=True)
class DocumentRule:
    """An attachment the request must carry when it spans more than `over_days` calendar days."""

    over_days: int
    document: str
    legal_basis: str


@dataclass(frozen=True)
class LeaveTypeRule:
    employee_type: str  # "PNS" (CPNS included, see CPNS_EXCLUDED) or "PPPK"
    code: str
    name: str
    legal_basis: str
    min_service_years: int = 0  # continuous service from TMT CPNS (PPPK: TMT of the appointment)
    max_months: int | None = None  # the longest span, in calendar months from the first day
    uses_ledger: bool = False  # spends the cuti tahunan balance
    paid: bool = True
    requestable: bool = True  # cuti bersama is declared by the Presiden, never requested
    documents: tuple[DocumentRule, ...] = ()
    max_child_order: int | None = None  # cuti melahirkan: for the 1st–3rd child only
    sex: str = ""  # "P": only a woman gives birth
    blocks_annual_leave: bool = False  # cuti besar: no cuti tahunan in the same year
    note: str = ""

    @property
    def label(self) -> str:
        return self.name

    def document_for(self, calendar_days: int) -> DocumentRule | None:
        """The strictest document the span needs (sakit > 14 days: a government doctor), or None."""
        needed = [d for d in self.documents if calendar_days > d.over_days]
        return max(needed, key=lambda d: d.over_days) if needed else None


_PP11 = "PP 11/2017 jo PP 17/2020"
_PP49 = "PP 49/2018"

_DOKTER = DocumentRule(1, "surat keterangan dokter", f"{_PP11} Pasal 322 ayat (2)")
_DOKTER_PEMERINTAH = DocumentRule(14, "surat keterangan dokter pemerintah", f"{_PP11} Pasal 322 ayat (3)")

_PNS_RULES = (
    LeaveTypeRule("PNS", TAHUNAN, "Cuti Tahunan", f"{_PP11} Pasal 310–315", min_service_years=1,
                  uses_ledger=True,
                  note="12 hari kerja setelah 1 tahun bekerja terus-menerus; penangguhan menurut Pasal 313–314."),
    LeaveTypeRule("PNS", BESAR, "Cuti Besar", f"{_PP11} Pasal 316–320", min_service_years=5, max_months=3,
                  blocks_annual_leave=True,
                  note="Paling lama 3 bulan setelah 5 tahun bekerja terus-menerus; tidak berhak cuti tahunan "
                       "pada tahun yang sama (sisa cuti tahunan hangus)."),
    LeaveTypeRule("PNS", SAKIT, "Cuti Sakit", f"{_PP11} Pasal 321–324", max_months=18,
                  documents=(_DOKTER, _DOKTER_PEMERINTAH),
                  note="Lebih dari 1 hari: surat keterangan dokter; lebih dari 14 hari: dokter pemerintah; "
                       "paling lama 1 tahun dan dapat ditambah 6 bulan."),
    LeaveTypeRule("PNS", MELAHIRKAN, "Cuti Melahirkan", f"{_PP11} Pasal 325–327", max_months=3,
                  max_child_order=3, sex="P",
                  note="Untuk kelahiran anak pertama sampai ketiga, paling lama 3 bulan; anak keempat dan "
                       "seterusnya: cuti besar."),
    LeaveTypeRule("PNS", ALASAN_PENTING, "Cuti karena Alasan Penting", f"{_PP11} Pasal 328–332", max_months=1,
                  documents=(DocumentRule(0, "dokumen pendukung alasan (mis. surat keterangan rawat inap, "
                                             "surat kematian) (verify)",
                                          "Peraturan BKN 24/2017 Lampiran I huruf E (verify)"),),
                  note="Keluarga inti sakit keras atau meninggal, melangsungkan perkawinan, istri melahirkan, "
                       "bencana; paling lama 1 bulan."),
    LeaveTypeRule("PNS", BERSAMA, "Cuti Bersama", f"{_PP11} Pasal 333; Keputusan Presiden tentang Cuti Bersama",
                  requestable=False,
                  note="Ditetapkan Presiden dan tercatat di kalender kerja sebagai hari libur; tidak mengurangi "
                       "hak cuti tahunan dan tidak diajukan sendiri."),
    LeaveTypeRule("PNS", CLTN, "Cuti di Luar Tanggungan Negara", f"{_PP11} Pasal 334–341", min_service_years=5,
                  max_months=36, paid=False,
                  documents=(DocumentRule(0, "dokumen pendukung alasan CLTN (verify)",
                                          "Peraturan BKN 24/2017 Lampiran I huruf G (verify)"),),
                  note="Paling lama 3 tahun (dapat diperpanjang 1 tahun dengan permohonan baru) setelah 5 tahun "
                       "bekerja; tanpa penghasilan."),
)
_PPPK_RULES = (
    LeaveTypeRule("PPPK", TAHUNAN, "Cuti Tahunan", f"{_PP49} Pasal 71", min_service_years=1, uses_ledger=True,
                  note="12 hari kerja setelah 1 tahun bekerja; penangguhan hanya menurut perjanjian kerja."),
    LeaveTypeRule("PPPK", SAKIT, "Cuti Sakit", f"{_PP49} Pasal 72", max_months=1,
                  documents=(_DOKTER, _DOKTER_PEMERINTAH),
                  note="Paling lama 1 bulan; lebih dari 1 hari dengan surat keterangan dokter (verify)."),
    LeaveTypeRule("PPPK", MELAHIRKAN, "Cuti Melahirkan", f"{_PP49} Pasal 73 (verify)", max_months=3,
                  max_child_order=3, sex="P",
                  note="Paling lama 3 bulan; batas anak ketiga mengikuti ketentuan PNS (verify)."),
    LeaveTypeRule("PPPK", BERSAMA, "Cuti Bersama", f"{_PP49} Pasal 70; Keputusan Presiden tentang Cuti Bersama",
                  requestable=False,
                  note="Ditetapkan Presiden dan tercatat di kalender kerja sebagai hari libur."),
)

LEAVE_TYPES: dict[tuple[str, str], LeaveTypeRule] = {
    (rule.employee_type, rule.code): rule for rule in (*_PNS_RULES, *_PPPK_RULES)
}

# A CPNS follows the PNS rules (Pasal 311: "PNS dan CPNS"), but cuti besar and CLTN are for PNS only; their
# 5 years of service also exclude nearly every CPNS anyway. (verify)
CPNS_EXCLUDED = frozenset({BESAR, CLTN})


def rules_employee_type(kind: str) -> str:
    """Which table an employee's kind (PNS, CPNS, PPPK) reads."""
    return "PPPK" if kind == "PPPK" else "PNS"


# ── Izin (short permission; not cuti, no ledger) ──────────────────────────────────────────────────────


@dataclass(frozen=True)
class IzinTypeRule:
    code: str
    name: str
    legal_basis: str
    whole_day: bool  # sakit: the whole (single) day; keperluan penting: hours within one day

    @property
    def label(self) -> str:
        return self.name


IZIN_SAKIT = "sakit"
IZIN_KEPERLUAN_PENTING = "keperluan_penting"
IZIN_TYPES: dict[str, IzinTypeRule] = {
    IZIN_SAKIT: IzinTypeRule(
        IZIN_SAKIT, "Izin sakit (1 hari)",
        "PP 11/2017 Pasal 322 ayat (1): sakit 1 hari cukup memberitahukan atasan; lebih lama adalah cuti sakit",
        whole_day=True),
    IZIN_KEPERLUAN_PENTING: IzinTypeRule(
        IZIN_KEPERLUAN_PENTING, "Izin keperluan penting (beberapa jam)",
        "Perpres 21/2023 (jam kerja); ketentuan izin meninggalkan kantor di daerah (verify)",
        whole_day=False),
}
# The longest hour-izin on one day; a setting (SIMASN_LEAVE_IZIN_MAX_HOURS) may change it. (verify)
IZIN_MAX_HOURS = 4

# ── Approval ───────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ApproverRole:
    code: str
    name: str
    description: str

    @property
    def label(self) -> str:
        return self.name


ATASAN_LANGSUNG = "atasan_langsung"
KEPALA_OPD = "kepala_opd"
SEKDA = "sekda"
APPROVER_ROLES: dict[str, ApproverRole] = {
    ATASAN_LANGSUNG: ApproverRole(ATASAN_LANGSUNG, "Atasan langsung",
                                  "Pemegang jabatan atasan dari jabatan pemohon (PP 11/2017 Pasal 310 dst.: "
                                  "permohonan melalui atasan langsung)."),
    KEPALA_OPD: ApproverRole(KEPALA_OPD, "Kepala perangkat daerah",
                             "Pemegang jabatan tertinggi pada perangkat daerah pemohon, sebagai pejabat yang "
                             "berwenang memberikan cuti atas pendelegasian Wali Kota (verify)."),
    SEKDA: ApproverRole(SEKDA, "Sekretaris Daerah",
                        "Pemegang jabatan tertinggi Sekretariat Daerah (cuti besar dan CLTN) (verify)."),
}

# (kind, leave type) → roles in order; "" is the default of the kind. ApprovalRoute rows override these.
DEFAULT_ROUTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("cuti", ""): (ATASAN_LANGSUNG, KEPALA_OPD),
    ("cuti", BESAR): (ATASAN_LANGSUNG, KEPALA_OPD, SEKDA),
    ("cuti", CLTN): (ATASAN_LANGSUNG, KEPALA_OPD, SEKDA),
    ("izin", ""): (ATASAN_LANGSUNG,),
    ("dinas_luar", ""): (ATASAN_LANGSUNG,),
    ("fleksibel", ""): (ATASAN_LANGSUNG,),
}

# ── Request limits (settings SIMASN_LEAVE_MAX_PAST_DAYS / _MAX_FUTURE_DAYS override) ─────────────────────


@dataclass(frozen=True)
class RequestLimits:
    max_span_days: int = 366  # calendar days, first and last included; longer types carry their own maximum
    max_past_days: int = 30  # a request may start at most this long ago (sakit reported late, a missed entry)
    max_future_days: int = 366  # and at most a year ahead
    verification_code_length: int = 10
    # Unambiguous when read aloud or typed from paper: no 0/O, 1/I/L.
    verification_alphabet: str = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


LIMITS = RequestLimits()

FLEXIBLE_WORK_BASIS = "PermenPANRB 4/2025 tentang pelaksanaan tugas kedinasan secara fleksibel (verify)"
