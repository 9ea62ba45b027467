"""Careers of the demo ASN: jabatan fungsional families, pelaksana titles, career profiles and degrees.

Kelas jabatan follow the usual pemda pattern (pelaksana 5–7, JF 7–10, pengawas 9, administrator 11–12,
JPT pratama 14, Sekda 15, kepala daerah 17). Golongan ranges per level follow the regular promotion
path (PP 99/2000 jo PP 12/2002): SMA starts at II/a, D-III at II/c, S-1/D-IV at III/a, S-2 at III/b.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVEL_LABEL = {
    "terampil": "Terampil", "mahir": "Mahir", "penyelia": "Penyelia", "ahli_pertama": "Ahli Pertama",
    "ahli_muda": "Ahli Muda", "ahli_madya": "Ahli Madya",
}
KELAS_BY_LEVEL = {"terampil": 7, "mahir": 7, "penyelia": 8, "ahli_pertama": 8, "ahli_muda": 9, "ahli_madya": 10}
# Relative head-count of one JF position of each level (more juniors than seniors).
LEVEL_WEIGHT = {"terampil": 3.0, "mahir": 2.0, "penyelia": 1.0, "ahli_pertama": 3.0, "ahli_muda": 2.0,
                "ahli_madya": 0.6}
ENTRY_LEVELS = frozenset({"terampil", "ahli_pertama"})


@dataclass(frozen=True)
class JFFamily:
    name: str
    levels: tuple[str, ...]
    discipline: str


_FAMILIES = (
    JFFamily("Guru", ("ahli_pertama", "ahli_muda", "ahli_madya"), "pendidikan"),
    JFFamily("Pengawas Sekolah", ("ahli_muda", "ahli_madya"), "pendidikan"),
    JFFamily("Penilik", ("ahli_pertama", "ahli_muda"), "pendidikan"),
    JFFamily("Pamong Belajar", ("ahli_pertama", "ahli_muda"), "pendidikan"),
    JFFamily("Pamong Budaya", ("ahli_pertama", "ahli_muda"), "sosial"),
    JFFamily("Dokter", ("ahli_pertama", "ahli_muda", "ahli_madya"), "kedokteran"),
    JFFamily("Dokter Gigi", ("ahli_pertama", "ahli_muda"), "kedokteran_gigi"),
    JFFamily("Perawat", ("terampil", "mahir", "ahli_pertama", "ahli_muda"), "keperawatan"),
    JFFamily("Bidan", ("terampil", "mahir", "ahli_pertama"), "kebidanan"),
    JFFamily("Apoteker", ("ahli_pertama", "ahli_muda"), "farmasi"),
    JFFamily("Asisten Apoteker", ("terampil", "mahir"), "farmasi"),
    JFFamily("Nutrisionis", ("terampil", "ahli_pertama"), "gizi"),
    JFFamily("Pranata Laboratorium Kesehatan", ("terampil", "mahir", "ahli_pertama"), "kesmas"),
    JFFamily("Sanitarian", ("terampil", "ahli_pertama"), "kesmas"),
    JFFamily("Epidemiolog Kesehatan", ("ahli_pertama", "ahli_muda"), "kesmas"),
    JFFamily("Penyuluh Kesehatan Masyarakat", ("ahli_pertama", "ahli_muda"), "kesmas"),
    JFFamily("Administrator Kesehatan", ("ahli_pertama", "ahli_muda", "ahli_madya"), "kesmas"),
    JFFamily("Perekam Medis", ("terampil", "mahir"), "kesmas"),
    JFFamily("Radiografer", ("terampil", "ahli_pertama"), "kesmas"),
    JFFamily("Analis SDM Aparatur", ("ahli_pertama", "ahli_muda", "ahli_madya"), "umum"),
    JFFamily("Pranata SDM Aparatur", ("terampil", "mahir"), "umum"),
    JFFamily("Auditor", ("ahli_pertama", "ahli_muda", "ahli_madya"), "akuntansi"),
    JFFamily("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", ("ahli_pertama", "ahli_muda"),
             "pemerintahan"),
    JFFamily("Perencana", ("ahli_pertama", "ahli_muda", "ahli_madya"), "ekonomi"),
    JFFamily("Statistisi", ("terampil", "ahli_pertama"), "statistik"),
    JFFamily("Analis Anggaran", ("ahli_pertama", "ahli_muda"), "ekonomi"),
    JFFamily("Analis Keuangan Pusat dan Daerah", ("ahli_pertama", "ahli_muda"), "akuntansi"),
    JFFamily("Analis Kebijakan", ("ahli_pertama", "ahli_muda", "ahli_madya"), "umum"),
    JFFamily("Perancang Peraturan Perundang-undangan", ("ahli_pertama", "ahli_muda"), "hukum"),
    JFFamily("Analis Hukum", ("ahli_pertama", "ahli_muda"), "hukum"),
    JFFamily("Pengelola Pengadaan Barang/Jasa", ("ahli_pertama", "ahli_muda"), "ekonomi"),
    JFFamily("Pranata Hubungan Masyarakat", ("terampil", "ahli_pertama"), "sosial"),
    JFFamily("Pranata Komputer", ("terampil", "ahli_pertama", "ahli_muda"), "informatika"),
    JFFamily("Administrator Database Kependudukan", ("terampil", "ahli_pertama"), "informatika"),
    JFFamily("Arsiparis", ("terampil", "ahli_pertama"), "umum"),
    JFFamily("Sandiman", ("terampil", "ahli_pertama"), "informatika"),
    JFFamily("Polisi Pamong Praja", ("terampil", "mahir", "ahli_pertama", "ahli_muda"), "hukum"),
    JFFamily("Pekerja Sosial", ("terampil", "ahli_pertama", "ahli_muda"), "sosial"),
    JFFamily("Penyuluh Sosial", ("ahli_pertama", "ahli_muda"), "sosial"),
    JFFamily("Teknik Jalan dan Jembatan", ("terampil", "ahli_pertama", "ahli_muda"), "teknik"),
    JFFamily("Teknik Pengairan", ("ahli_pertama", "ahli_muda"), "teknik"),
    JFFamily("Teknik Tata Bangunan dan Perumahan", ("terampil", "ahli_pertama", "ahli_muda"), "teknik"),
    JFFamily("Penata Ruang", ("ahli_pertama", "ahli_muda"), "teknik"),
    JFFamily("Penguji Kendaraan Bermotor", ("terampil", "mahir", "ahli_pertama"), "teknik"),
    JFFamily("Penera", ("terampil", "ahli_pertama"), "teknik"),
    JFFamily("Pengawas Perdagangan", ("ahli_pertama", "ahli_muda"), "ekonomi"),
    JFFamily("Analis Perdagangan", ("ahli_pertama", "ahli_muda"), "ekonomi"),
)
JF_FAMILIES: dict[str, JFFamily] = {f.name: f for f in _FAMILIES}

# Pelaksana titles (PermenPANRB 45/2024 naming) with their kelas jabatan.
PELAKSANA: dict[str, int] = {
    "Pengadministrasi Perkantoran": 5,
    "Operator Layanan Operasional": 5,
    "Pengelola Layanan Operasional": 6,
    "Penata Layanan Operasional": 7,
}
PELAKSANA_WEIGHT = 2.0

START_GOLONGAN = {"SMA": "II/a", "D3": "II/c", "D4": "III/a", "S1": "III/a", "S2": "III/b", "S3": "III/c"}
MIN_ENTRY_AGE = {"SMA": 18, "D3": 21, "D4": 22, "S1": 22, "S2": 25, "S3": 30}
MAX_ENTRY_AGE = 35
PPPK_GOLONGAN_BY_EDUCATION = {"SMA": "V", "D3": "VII", "D4": "IX", "S1": "IX", "S2": "X", "S3": "XI"}
PPPK_MIN_GOLONGAN_BY_LEVEL = {"ahli_muda": "XI", "ahli_madya": "XIII", "mahir": "VIII", "penyelia": "IX"}
PPPK_APPOINTMENT = ((2019, 2), (2021, 1), (2022, 3), (2023, 4), (2024, 3), (2025, 6))  # (year, month) cohorts
PPPK_CONTRACT_CODE = "21"
CPNS_SHARE = 0.03
PPPK_SHARE = 0.20


@dataclass(frozen=True)
class Profile:
    """Career shape of the holders of one kind of position."""

    ages: tuple[int, int]
    golongan: tuple[str, ...]
    education: tuple[tuple[str, int], ...]
    female_share: float = 0.5


PROFILES: dict[str, Profile] = {
    "sekda": Profile((50, 58), ("IV/c", "IV/d"), (("S2", 7), ("S3", 3)), 0.2),
    "jpt": Profile((45, 58), ("IV/b", "IV/b", "IV/c", "IV/c", "IV/d"), (("S2", 8), ("S3", 1), ("S1", 1)), 0.3),
    "administrator": Profile((40, 56), ("III/d", "IV/a", "IV/a", "IV/b"), (("S1", 5), ("S2", 5)), 0.35),
    "pengawas": Profile((33, 56), ("III/c", "III/d", "III/d"), (("S1", 8), ("S2", 2)), 0.4),
    "ahli_madya": Profile((45, 58), ("IV/a", "IV/b", "IV/c"), (("S1", 5), ("S2", 5))),
    "ahli_muda": Profile((35, 56), ("III/c", "III/d"), (("S1", 8), ("S2", 2))),
    "ahli_pertama": Profile((24, 45), ("III/a", "III/b"), (("S1", 9), ("D4", 1))),
    "penyelia": Profile((40, 56), ("III/c", "III/d"), (("D3", 1),)),
    "mahir": Profile((30, 56), ("III/a", "III/b"), (("D3", 1),)),
    "terampil": Profile((23, 50), ("II/c", "II/d"), (("D3", 1),)),
    "pelaksana": Profile((22, 56), ("II/a", "II/b", "II/c", "II/d", "III/a", "III/b"), (("SMA", 6), ("D3", 3))),
    "pelaksana_s1": Profile((24, 56), ("III/a", "III/b"), (("S1", 1),)),
}


def profile_key(jabatan_type: str, jf_level: str, kelas: int, *, is_sekda: bool = False) -> str:
    if is_sekda:
        return "sekda"
    if jabatan_type in ("jpt_pratama", "jpt_madya", "jpt_utama"):
        return "jpt"
    if jabatan_type in ("administrator", "pengawas"):
        return jabatan_type
    if jabatan_type == "fungsional":
        return jf_level
    return "pelaksana_s1" if kelas >= 7 else "pelaksana"


@dataclass(frozen=True)
class Discipline:
    """Degree titles and study programmes of one field (gelar akademik as written on an SK)."""

    s1: str
    s2: str
    d3: str
    major: str
    front: str = ""  # professional title written before the name (dr., drg.)


DISCIPLINES: dict[str, Discipline] = {
    "pendidikan": Discipline("S.Pd.", "M.Pd.", "A.Md.Pd.", "Pendidikan Guru Sekolah Dasar"),
    "kedokteran": Discipline("", "M.Kes.", "", "Pendidikan Dokter", front="dr."),
    "kedokteran_gigi": Discipline("", "M.Kes.", "", "Pendidikan Dokter Gigi", front="drg."),
    "keperawatan": Discipline("S.Kep., Ns.", "M.Kep.", "A.Md.Kep.", "Keperawatan"),
    "kebidanan": Discipline("S.Tr.Keb.", "M.Keb.", "A.Md.Keb.", "Kebidanan"),
    "farmasi": Discipline("S.Farm., Apt.", "M.Farm.", "A.Md.Farm.", "Farmasi"),
    "gizi": Discipline("S.Gz.", "M.Gz.", "A.Md.Gz.", "Gizi"),
    "kesmas": Discipline("S.KM.", "M.Kes.", "A.Md.Kes.", "Kesehatan Masyarakat"),
    "hukum": Discipline("S.H.", "M.H.", "A.Md.", "Ilmu Hukum"),
    "ekonomi": Discipline("S.E.", "M.Si.", "A.Md.", "Ekonomi Pembangunan"),
    "akuntansi": Discipline("S.Ak.", "M.Ak.", "A.Md.Ak.", "Akuntansi"),
    "pemerintahan": Discipline("S.STP.", "M.Si.", "A.Md.", "Ilmu Pemerintahan"),
    "administrasi": Discipline("S.AP.", "M.AP.", "A.Md.", "Ilmu Administrasi Negara"),
    "sosial": Discipline("S.Sos.", "M.Si.", "A.Md.", "Sosiologi"),
    "teknik": Discipline("S.T.", "M.T.", "A.Md.T.", "Teknik Sipil"),
    "informatika": Discipline("S.Kom.", "M.Kom.", "A.Md.Kom.", "Teknik Informatika"),
    "statistik": Discipline("S.Stat.", "M.Si.", "A.Md.Stat.", "Statistika"),
    "manajemen": Discipline("S.E.", "M.M.", "A.Md.", "Manajemen"),
}
# "umum" (general administration) draws one of these fields per person.
GENERAL_DISCIPLINES = ("hukum", "ekonomi", "pemerintahan", "administrasi", "sosial", "manajemen", "informatika")

INSTITUTIONS = {
    "SMA": ("SMA Negeri 1 Kendari", "SMA Negeri 2 Kendari", "SMA Negeri 4 Kendari", "SMK Negeri 1 Kendari",
            "MAN 1 Kendari", "SMA Negeri 1 Raha", "SMA Negeri 1 Baubau", "SMA Negeri 1 Unaaha"),
    "D3": ("Poltekkes Kemenkes Kendari", "Universitas Halu Oleo", "Politeknik Negeri Ujung Pandang",
           "Akademi Keperawatan Kendari", "Universitas Mandala Waluya"),
    "S1": ("Universitas Halu Oleo", "Universitas Muhammadiyah Kendari", "Universitas Sulawesi Tenggara",
           "IAIN Kendari", "Universitas Hasanuddin", "Universitas Lakidende", "Universitas Negeri Makassar"),
    "S2": ("Universitas Halu Oleo", "Universitas Hasanuddin", "Universitas Gadjah Mada",
           "Universitas Negeri Makassar", "Universitas Brawijaya"),
    "S3": ("Universitas Hasanuddin", "Universitas Halu Oleo", "Universitas Negeri Makassar"),
}
INSTITUTIONS["D4"] = INSTITUTIONS["D3"]
SPECIAL_INSTITUTION = {"pemerintahan": "Institut Pemerintahan Dalam Negeri",
                       "kedokteran": "Universitas Halu Oleo"}
SPECIALIST_TITLES = ("Sp.PD.", "Sp.A.", "Sp.OG.", "Sp.B.", "Sp.An.", "Sp.Rad.")
