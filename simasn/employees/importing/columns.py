"""The columns of the employee import/export file, and the downloadable template built from them.

The same column list drives the template, the importer and the exporter, so an exported file can be
edited and imported back.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import EmployeeKind, EmployeeStatus
from ..rules_data import EDUCATION_LEVELS, GOLONGAN_PNS, GOLONGAN_PPPK

# Characters that make a spreadsheet treat a cell as a formula (CSV/formula injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"
DATE_FORMAT = "DD-MM-YYYY"


def safe_text(value: str) -> str:
    """Neutralise spreadsheet formulas: text starting with = + - @ tab or CR gets a leading apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # key of the cleaned row; Employee field name except unit_code / position_name
    kind: str  # text | nip | nik | date | kind | sex | status | golongan | education | email | phone
    required: bool = False
    help: str = ""
    example: object = ""
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("NIP", "nip", "nip", True,
           "NIP PNS/CPNS atau NI PPPK, 18 digit, diketik sebagai TEKS (bukan angka).",
           "198609262015051001", ("nip / ni pppk", "nip/ni pppk", "ni pppk")),
    Column("Jenis ASN", "kind", "kind", True, "PNS, CPNS, atau PPPK.", "PNS", ("jenis pegawai",)),
    Column("Gelar Depan", "front_title", "text", False, "Mis. dr., Ir., Drs.", ""),
    Column("Nama", "name", "text", True, "Nama lengkap tanpa gelar.", "Budi Santoso", ("nama lengkap",)),
    Column("Gelar Belakang", "back_title", "text", False, "Mis. S.Kom., M.Si.", "S.Kom."),
    Column("NIK", "nik", "nik", False,
           "Nomor Induk Kependudukan, 16 digit, diketik sebagai TEKS. Sel kosong atau berbintang (hasil ekspor) "
           "tidak mengubah NIK yang tersimpan.", "7471012609860001"),
    Column("Tempat Lahir", "birth_place", "text", False, "Kota/kabupaten tempat lahir.", "Kendari"),
    Column("Tanggal Lahir", "birth_date", "date", False,
           "dd-mm-yyyy atau yyyy-mm-dd. Bila kosong diambil dari NIP; bila diisi harus sama dengan NIP.",
           dt.date(1986, 9, 26)),
    Column("Jenis Kelamin", "sex", "sex", False,
           "L (laki-laki) atau P (perempuan). Bila kosong diambil dari NIP; bila diisi harus sama dengan NIP.",
           "L", ("jenis kelamin (l/p)",)),
    Column("Status", "status", "status", False,
           "Kode status kepegawaian (lihat daftar di bawah). Kosong pada pegawai baru = aktif.", "aktif",
           ("status kepegawaian",)),
    Column("Golongan", "golongan", "golongan", False, "PNS/CPNS: I/a–IV/e. PPPK: I–XVII.", "III/b",
           ("golongan/ruang",)),
    Column("Kode Unit", "unit_code", "text", True,
           "Kode unit kerja persis seperti di menu Organisasi (lihat lembar 'Kode Unit').", "CONTOH",
           ("kode unit kerja",)),
    Column("Jabatan", "position_name", "text", False,
           "Nama jabatan persis seperti terdaftar pada unit tersebut. Boleh kosong.", "Pranata Komputer Ahli Muda",
           ("nama jabatan",)),
    Column("TMT CPNS", "tmt_cpns", "date", False, "Tanggal. Bila kosong pada pegawai baru PNS/CPNS diambil "
           "dari NIP (tanggal 1 bulan TMT).", dt.date(2015, 5, 1)),
    Column("TMT PNS", "tmt_pns", "date", False, "Tanggal.", dt.date(2016, 5, 1)),
    Column("TMT Golongan", "tmt_golongan", "date", False, "Tanggal.", dt.date(2023, 4, 1)),
    Column("TMT Jabatan", "tmt_jabatan", "date", False, "Tanggal.", dt.date(2022, 1, 3)),
    Column("Pendidikan", "education_level", "education", False,
           "Jenjang pendidikan terakhir (lihat daftar di bawah).", "S1", ("pendidikan terakhir",)),
    Column("Alamat", "address", "text", False, "Alamat tempat tinggal.", "Jl. Contoh No. 1, Kendari"),
    Column("Telepon", "phone", "phone", False, "Nomor telepon/HP, diketik sebagai TEKS (mis. 081234567890).",
           "081234567890", ("no. hp", "nomor telepon", "hp")),
    Column("Email", "email", "email", False, "Alamat email.", "budi@example.go.id"),
)

TEMPLATE_COLUMNS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS if c.required)
# Read-only facts added by the export; the importer skips them so an exported file imports back unchanged.
EXPORT_EXTRA_COLUMNS: tuple[str, ...] = ("Nama Unit", "Pangkat", "Tanggal Pensiun (BUP)")
TEXT_COLUMNS = frozenset({"nip", "nik", "phone"})

STATUS_ALIASES: dict[str, str] = {
    **{s.value: s.value for s in EmployeeStatus},
    # Indonesian labels spelled out: the choice labels are lazy translations and may be English.
    "cuti di luar tanggungan negara": EmployeeStatus.CLTN.value,
    "tugas belajar": EmployeeStatus.TUGAS_BELAJAR.value,
    "meninggal dunia": EmployeeStatus.MENINGGAL.value,
    "meninggal": EmployeeStatus.MENINGGAL.value,
    "berhenti": EmployeeStatus.DIBERHENTIKAN.value,
}
EDUCATION_ALIASES: dict[str, str] = {
    **{code.lower(): code for code, _ in EDUCATION_LEVELS},
    **{label.lower().replace("-", ""): code for code, label in EDUCATION_LEVELS},
    "smk": "SMA", "slta": "SMA", "sltp": "SMP", "sma/smk": "SMA",
}


def normalise_header(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().rstrip("*:").strip().lower()


HEADER_LOOKUP: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_LOOKUP[normalise_header(_name)] = _column
IGNORED_HEADERS = frozenset(normalise_header(h) for h in EXPORT_EXTRA_COLUMNS)


def _codes_help() -> list[tuple[str, str]]:
    return [
        ("Jenis ASN", ", ".join(k.value for k in EmployeeKind)),
        ("Jenis Kelamin", "L = laki-laki, P = perempuan"),
        ("Status", "; ".join(f"{s.value} = {s.label}" for s in EmployeeStatus)),
        ("Golongan PNS/CPNS", ", ".join(f"{g.code} ({g.pangkat})" for g in GOLONGAN_PNS)),
        ("Golongan PPPK", ", ".join(g.code for g in GOLONGAN_PPPK)),
        ("Pendidikan", ", ".join(f"{code} ({label})" for code, label in EDUCATION_LEVELS)),
    ]


def _add_dropdowns(ws, last_row: int) -> None:
    lists = {
        "kind": [k.value for k in EmployeeKind],
        "sex": ["L", "P"],
        "status": [s.value for s in EmployeeStatus],
        "golongan": [g.code for g in GOLONGAN_PNS + GOLONGAN_PPPK],
        "education": [code for code, _ in EDUCATION_LEVELS],
    }
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind not in lists:
            continue
        dv = DataValidation(type="list", formula1='"' + ",".join(lists[column.kind]) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Isian tidak dikenal",
                            error=f"Pilih salah satu isian yang tersedia untuk kolom {column.header}.")
        letter = get_column_letter(index)
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)


def template_workbook(*, units: Iterable[tuple[str, str]] | None = None) -> bytes:
    """The .xlsx template: sheet 'Pegawai' (headers + one example row), 'Petunjuk' and, when `units`
    (code, name) are given, a 'Kode Unit' sheet listing the units the downloader may import into."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Pegawai"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = bold, fill
        example = ws.cell(row=2, column=index, value=column.example if column.example != "" else None)
        letter = get_column_letter(index)
        if column.kind in TEXT_COLUMNS:
            # Without Text format Excel turns an 18-digit NIP into 1.98609E+17 and drops digits.
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
            example.number_format = TEXT_FORMAT
        elif column.kind == "date":
            ws.column_dimensions[letter].number_format = DATE_FORMAT
            example.number_format = DATE_FORMAT
        ws.column_dimensions[letter].width = max(14, min(40, len(column.header) + 6))
    ws.freeze_panes = "A2"
    _add_dropdowns(ws, last_row=5000)

    guide = wb.create_sheet("Petunjuk")
    guide.append(["Kolom", "Wajib", "Keterangan", "Contoh"])
    for column in COLUMNS:
        example = column.example.strftime("%d-%m-%Y") if isinstance(column.example, dt.date) else column.example
        guide.append([column.header, "Ya" if column.required else "Tidak", column.help, str(example)])
    guide.append([])
    guide.append(["Kode yang diterima"])
    for label, codes in _codes_help():
        guide.append([label, "", codes])
    guide.append([])
    for note in (
        "Baris pertama lembar 'Pegawai' adalah judul kolom; jangan diubah. Hapus baris contoh sebelum mengunggah.",
        "Kolom NIP, NIK dan Telepon harus berformat Teks agar Excel tidak membulatkan angka atau membuang angka 0.",
        "Pegawai dicocokkan dengan NIP: NIP baru ditambahkan, NIP yang sudah ada diperbarui.",
        "Sel kosong pada pegawai yang sudah ada tidak menghapus data lama.",
        "Satu berkas disimpan seluruhnya atau tidak sama sekali: perbaiki semua kesalahan pada pratinjau dahulu.",
        "Berkas CSV harus UTF-8, dengan pemisah koma (,) atau titik koma (;).",
    ):
        guide.append([note])
    for row in guide.iter_rows(min_row=1, max_row=1):
        for cell in row:
            cell.font = bold
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 8
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 28
    for row in guide.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    if units is not None:
        sheet = wb.create_sheet("Kode Unit")
        sheet.append(["Kode Unit", "Nama Unit"])
        for cell in sheet[1]:
            cell.font = bold
        for code, name in units:
            sheet.append([safe_text(code), safe_text(name)])
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 60

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
