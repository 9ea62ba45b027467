"""The organisation of Pemerintah Kota Kendari as the demo builds it (DOMAIN §11).

OPD names follow the city's Perda on perangkat daerah; bidang are the usual ones of each urusan after the
2021 simplification of bureaucracy (most eselon IV became jabatan fungsional, so most bidang hold JF
directly under the kepala bidang; a few keep seksi). `weight` is each OPD's share of non-managerial staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from simasn.org.models import UnitKind


@dataclass(frozen=True)
class Section:
    """A bidang, bagian, subbagian or seksi: a unit whose head is a managerial position."""

    code: str
    name: str
    kind: str = UnitKind.BIDANG
    jf: tuple[str, ...] = ()
    children: tuple[Section, ...] = ()
    head: str = ""  # head position name; default "Kepala <name>"
    asisten: int = 0  # Setda bagian: which Asisten (1–3) the kepala bagian reports to

    @property
    def head_name(self) -> str:
        return self.head or f"Kepala {self.name}"


@dataclass(frozen=True)
class Opd:
    code: str
    name: str
    short: str
    kind: str
    head: str
    sections: tuple[Section, ...]
    weight: float
    discipline: str  # field of study of its leaders
    female_share: float = 0.5
    secretariat: tuple[str, str] = ("Sekretariat", "")  # unit name, head name ("" → "Sekretaris <OPD>")
    secretariat_jf: tuple[str, ...] = ("Perencana", "Analis Keuangan Pusat dan Daerah")


def _b(code: str, name: str, *jf: str, children: tuple[Section, ...] = (), head: str = "") -> Section:
    return Section(code, name, UnitKind.BIDANG, tuple(jf), children, head)


def _s(code: str, name: str, *jf: str) -> Section:
    return Section(code, name, UnitKind.SEKSI, tuple(jf))


SUBBAG_UMPEG = Section("UMPEG", "Subbagian Umum dan Kepegawaian", UnitKind.SUBBAGIAN,
                       ("Arsiparis", "Pranata SDM Aparatur"))

SETDA_ASISTEN = (
    "Asisten Pemerintahan dan Kesejahteraan Rakyat",
    "Asisten Perekonomian dan Pembangunan",
    "Asisten Administrasi Umum",
)
SETDA_BAGIAN: tuple[Section, ...] = tuple(
    Section(code, name, UnitKind.BAGIAN, jf, asisten=asisten)
    for code, name, asisten, jf in (
        ("PEM", "Bagian Pemerintahan", 1, ("Analis Kebijakan",)),
        ("HUKUM", "Bagian Hukum", 1, ("Perancang Peraturan Perundang-undangan", "Analis Hukum")),
        ("KESRA", "Bagian Kesejahteraan Rakyat", 1, ("Analis Kebijakan",)),
        ("EKON", "Bagian Perekonomian dan Sumber Daya Alam", 2, ("Analis Kebijakan",)),
        ("ADPEM", "Bagian Administrasi Pembangunan", 2, ("Perencana",)),
        ("PBJ", "Bagian Pengadaan Barang dan Jasa", 2, ("Pengelola Pengadaan Barang/Jasa",)),
        ("ORG", "Bagian Organisasi", 3, ("Analis Kebijakan", "Analis SDM Aparatur")),
        ("UMUM", "Bagian Umum", 3, ("Arsiparis",)),
        ("PROKOPIM", "Bagian Protokol dan Komunikasi Pimpinan", 3, ("Pranata Hubungan Masyarakat",)),
        ("RENKEU", "Bagian Perencanaan dan Keuangan", 3, ("Perencana", "Analis Keuangan Pusat dan Daerah")),
    )
)
SETDA_WEIGHT = 3.0
KECAMATAN_WEIGHT = 0.9  # each kecamatan with its kelurahan
KECAMATAN_SEKSI = ("Kepala Seksi Pemerintahan", "Kepala Seksi Ketenteraman dan Ketertiban Umum")

OPDS: tuple[Opd, ...] = (
    Opd("INSPEKTORAT", "Inspektorat Daerah", "Inspektorat", UnitKind.INSPEKTORAT, "Inspektur Daerah", tuple(
        _b(f"IRBAN{i}", f"Inspektur Pembantu Wilayah {roman}", "Auditor",
           "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", head=f"Inspektur Pembantu Wilayah {roman}")
        for i, roman in enumerate(("I", "II", "III", "IV"), start=1)
    ), 1.5, "akuntansi", secretariat=("Sekretariat Inspektorat", "Sekretaris Inspektorat Daerah")),
    Opd("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", UnitKind.BADAN,
        "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", (
            _b("PPI", "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian", "Analis SDM Aparatur",
               "Pranata Komputer"),
            _b("MUTASI", "Bidang Mutasi dan Promosi", "Analis SDM Aparatur", "Pranata SDM Aparatur"),
            _b("BANGKOM", "Bidang Pengembangan Kompetensi Aparatur", "Analis SDM Aparatur"),
            _b("KINERJA", "Bidang Penilaian Kinerja Aparatur dan Penghargaan", "Analis SDM Aparatur",
               "Pranata SDM Aparatur"),
        ), 1.5, "administrasi"),
    Opd("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", UnitKind.BADAN,
        "Kepala Badan Pengelolaan Keuangan dan Aset Daerah", (
            _b("ANGGARAN", "Bidang Anggaran", "Analis Anggaran"),
            _b("BENDA", "Bidang Perbendaharaan", "Analis Keuangan Pusat dan Daerah"),
            _b("AKUNTANSI", "Bidang Akuntansi dan Pelaporan", "Analis Keuangan Pusat dan Daerah"),
            _b("ASET", "Bidang Pengelolaan Aset Daerah", "Analis Kebijakan"),
        ), 2.0, "akuntansi"),
    Opd("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda", UnitKind.BADAN,
        "Kepala Badan Perencanaan Pembangunan Daerah", (
            _b("PEP", "Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan", "Perencana", "Statistisi"),
            _b("PPM", "Bidang Pemerintahan dan Pembangunan Manusia", "Perencana"),
            _b("EKON", "Bidang Perekonomian dan Sumber Daya Alam", "Perencana"),
            _b("INFRA", "Bidang Infrastruktur dan Kewilayahan", "Perencana"),
        ), 1.5, "ekonomi"),
    Opd("BAPENDA", "Badan Pendapatan Daerah", "Bapenda", UnitKind.BADAN, "Kepala Badan Pendapatan Daerah", (
        _b("DATA", "Bidang Pendataan dan Penetapan", "Analis Kebijakan"),
        _b("TAGIH", "Bidang Penagihan dan Keberatan", "Analis Kebijakan"),
        _b("PBB", "Bidang Pajak Bumi dan Bangunan", "Pranata Komputer"),
        _b("DALEV", "Bidang Pengendalian dan Evaluasi Pendapatan", "Analis Kebijakan"),
    ), 2.0, "ekonomi"),
    Opd("DISDIK", "Dinas Pendidikan", "Disdik", UnitKind.DINAS, "Kepala Dinas Pendidikan", (
        _b("PAUD", "Bidang Pembinaan PAUD dan Pendidikan Nonformal", "Penilik", "Pamong Belajar"),
        _b("SD", "Bidang Pembinaan Sekolah Dasar", "Pengawas Sekolah"),
        _b("SMP", "Bidang Pembinaan Sekolah Menengah Pertama", "Pengawas Sekolah"),
        _b("GTK", "Bidang Guru dan Tenaga Kependidikan", "Analis SDM Aparatur"),
        _b("BUDAYA", "Bidang Kebudayaan", "Pamong Budaya"),
    ), 30.0, "pendidikan", female_share=0.7),
    Opd("DINKES", "Dinas Kesehatan", "Dinkes", UnitKind.DINAS, "Kepala Dinas Kesehatan", (
        _b("YANKES", "Bidang Pelayanan dan Sumber Daya Kesehatan", "Administrator Kesehatan", "Apoteker"),
        _b("KESMAS", "Bidang Kesehatan Masyarakat", "Penyuluh Kesehatan Masyarakat", "Nutrisionis"),
        _b("P2P", "Bidang Pencegahan dan Pengendalian Penyakit", "Epidemiolog Kesehatan", "Sanitarian"),
    ), 18.0, "kesmas", female_share=0.7),
    Opd("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", UnitKind.DINAS,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil", (
            _b("DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", children=(
                _s("IDENTITAS", "Seksi Identitas Penduduk", "Administrator Database Kependudukan"),
                _s("PINDAH", "Seksi Pindah Datang dan Pendataan Penduduk"),
            )),
            _b("CAPIL", "Bidang Pelayanan Pencatatan Sipil", children=(
                _s("LAHIRMATI", "Seksi Kelahiran dan Kematian"),
                _s("KAWIN", "Seksi Perkawinan dan Perceraian"),
            )),
            _b("PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan",
               "Administrator Database Kependudukan", "Pranata Komputer"),
        ), 2.0, "administrasi"),
    Opd("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "Disperindag", UnitKind.DINAS,
        "Kepala Dinas Perindustrian dan Perdagangan", (
            _b("DAG", "Bidang Perdagangan", "Pengawas Perdagangan", "Analis Perdagangan"),
            _b("IND", "Bidang Perindustrian", "Analis Kebijakan"),
            _b("PASAR", "Bidang Pengelolaan Pasar"),
            _b("METRO", "Bidang Metrologi Legal", "Penera"),
        ), 1.5, "ekonomi"),
    Opd("DPPPA", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DPPPA", UnitKind.DINAS,
        "Kepala Dinas Pemberdayaan Perempuan dan Perlindungan Anak", (
            _b("PP", "Bidang Pemberdayaan Perempuan dan Kualitas Keluarga", "Analis Kebijakan"),
            _b("PA", "Bidang Pemenuhan Hak dan Perlindungan Anak", "Analis Kebijakan", "Pekerja Sosial"),
            _b("DATA", "Bidang Data dan Informasi Gender dan Anak", "Statistisi"),
        ), 1.0, "sosial", female_share=0.65),
    Opd("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", UnitKind.DINAS,
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", (
            _b("PM", "Bidang Promosi dan Pengembangan Penanaman Modal", "Analis Kebijakan"),
            _b("IZIN", "Bidang Pelayanan Perizinan dan Nonperizinan", "Pranata Komputer"),
            _b("DALAK", "Bidang Pengendalian Pelaksanaan Penanaman Modal", "Analis Kebijakan"),
            _b("ADUAN", "Bidang Pengaduan, Kebijakan dan Pelaporan Layanan", "Analis Kebijakan"),
        ), 1.0, "administrasi"),
    Opd("PERKIM", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim", UnitKind.DINAS,
        "Kepala Dinas Perumahan dan Kawasan Permukiman", (
            _b("RUMAH", "Bidang Perumahan", "Teknik Tata Bangunan dan Perumahan"),
            _b("KAWASAN", "Bidang Kawasan Permukiman", "Teknik Tata Bangunan dan Perumahan"),
            _b("PSU", "Bidang Prasarana, Sarana dan Utilitas Umum", "Teknik Jalan dan Jembatan"),
            _b("TANAH", "Bidang Pertanahan", "Penata Ruang"),
        ), 1.5, "teknik", female_share=0.35),
    Opd("RSUD", "Rumah Sakit Umum Daerah Kota Kendari", "RSUD Kota Kendari", UnitKind.RSUD,
        "Direktur Rumah Sakit Umum Daerah Kota Kendari", (
            _b("YANMED", "Bidang Pelayanan Medik", "Dokter", "Dokter Gigi", "Pranata Laboratorium Kesehatan",
               "Radiografer"),
            _b("KEP", "Bidang Keperawatan", "Perawat", "Bidan"),
            _b("PENUNJANG", "Bidang Penunjang Medik dan Nonmedik", "Apoteker", "Asisten Apoteker", "Nutrisionis",
               "Perekam Medis"),
        ), 8.0, "kedokteran", female_share=0.7,
        secretariat=("Bagian Tata Usaha", "Kepala Bagian Tata Usaha"),
        secretariat_jf=("Perencana", "Analis Keuangan Pusat dan Daerah", "Pranata Komputer")),
    Opd("SATPOL", "Satuan Polisi Pamong Praja", "Satpol PP", UnitKind.SATPOL, "Kepala Satuan Polisi Pamong Praja", (
        _b("GAKDA", "Bidang Penegakan Peraturan Daerah", children=(
            _s("SIDIK", "Seksi Penyelidikan dan Penyidikan", "Polisi Pamong Praja"),
            _s("BINWAS", "Seksi Pembinaan, Pengawasan dan Penyuluhan", "Polisi Pamong Praja"),
        )),
        _b("TRANTIB", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat", children=(
            _s("OPS", "Seksi Operasi dan Pengendalian", "Polisi Pamong Praja"),
            _s("KERJASAMA", "Seksi Kerja Sama", "Polisi Pamong Praja"),
        )),
        _b("LINMAS", "Bidang Perlindungan Masyarakat", "Polisi Pamong Praja"),
    ), 3.0, "hukum", female_share=0.25),
    Opd("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", UnitKind.DINAS,
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang", (
            _b("BM", "Bidang Bina Marga", "Teknik Jalan dan Jembatan"),
            _b("SDA", "Bidang Sumber Daya Air", "Teknik Pengairan"),
            _b("CK", "Bidang Cipta Karya", "Teknik Tata Bangunan dan Perumahan"),
            _b("TARU", "Bidang Penataan Ruang", "Penata Ruang"),
        ), 3.0, "teknik", female_share=0.3),
    Opd("DISHUB", "Dinas Perhubungan", "Dishub", UnitKind.DINAS, "Kepala Dinas Perhubungan", (
        _b("LLAJ", "Bidang Lalu Lintas dan Angkutan Jalan", children=(
            _s("MRLL", "Seksi Manajemen dan Rekayasa Lalu Lintas"),
            _s("ANGKUTAN", "Seksi Angkutan"),
        )),
        _b("SARPRAS", "Bidang Sarana dan Prasarana", "Penguji Kendaraan Bermotor"),
        _b("PARKIR", "Bidang Perparkiran"),
    ), 2.0, "teknik", female_share=0.3),
    Opd("DINSOS", "Dinas Sosial", "Dinsos", UnitKind.DINAS, "Kepala Dinas Sosial", (
        _b("REHSOS", "Bidang Rehabilitasi Sosial", "Pekerja Sosial"),
        _b("LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial", "Penyuluh Sosial"),
        _b("DAYASOS", "Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin", "Penyuluh Sosial", "Pekerja Sosial"),
    ), 1.5, "sosial"),
    Opd("KOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo", UnitKind.DINAS,
        "Kepala Dinas Komunikasi dan Informatika", (
            _b("IKP", "Bidang Informasi dan Komunikasi Publik", "Pranata Hubungan Masyarakat"),
            _b("APTIKA", "Bidang Aplikasi Informatika", "Pranata Komputer"),
            _b("STATSAN", "Bidang Statistik dan Persandian", "Statistisi", "Sandiman"),
        ), 1.0, "informatika"),
)

# Where the demo pegawai accounts sit: a kepala bidang of Dinas Kesehatan (atasan) and one of his staff.
DEMO_ATASAN_UNIT = "KDI.DINKES.YANKES"
DEMO_ADMIN_OPD_UNIT = "KDI.DINKES"
# Within each UPTD: how much more staff than an office bidang (schools and puskesmas are where most work).
UPTD_MULTIPLIER = 3.0
