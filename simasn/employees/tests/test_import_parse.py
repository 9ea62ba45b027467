"""Reading an uploaded employee file: formats, file-level refusals and every per-row message (no database)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from simasn.employees.importing import (
    TEMPLATE_COLUMNS,
    ImportFileError,
    cells,
    parse_upload,
    template_workbook,
    xlsx,
)
from simasn.employees.tests.import_support import DATA_DIR, csv_bytes, valid_row, xlsx_bytes


def parse(content: bytes, name: str = "pegawai.xlsx"):
    return parse_upload(file_obj=io.BytesIO(content), filename=name)


def test_good_xlsx_gives_typed_values_and_no_errors():
    parsed = parse(xlsx_bytes([valid_row(0), valid_row(1, **{"Tanggal Lahir": dt.date(1975, 1, 2)})]))
    assert parsed.format == "xlsx"
    assert parsed.total_rows == parsed.valid_rows == 2
    assert parsed.errors == []
    first = parsed.rows[0]
    assert first.number == 2
    assert first.values["nip"] == valid_row(0)["NIP"]
    assert first.values["birth_date"] == dt.date(1975, 1, 1)
    assert first.values["tmt_golongan"] == dt.date(2020, 4, 1)
    assert first.values["unit_code"] == "DA-1"
    assert parsed.rows[1].values["birth_date"] == dt.date(1975, 1, 2)  # a real Excel date cell


@pytest.mark.parametrize("name", ["pegawai_titik_koma.csv", "pegawai_koma.csv"])
def test_good_csv_with_either_delimiter_and_optional_bom(name):
    parsed = parse((DATA_DIR / name).read_bytes(), name)
    assert parsed.format == "csv"
    assert parsed.errors == []
    assert [r.values["kind"] for r in parsed.rows] == ["PNS", "PPPK"]
    assert parsed.rows[0].values["name"] == "Wa Ode Sitti Ñurhayati"
    assert parsed.rows[0].values["front_title"] == "dr."
    assert parsed.rows[1].values["golongan"] == "IX"
    assert parsed.rows[1].values["birth_date"] == dt.date(1990, 1, 15)


def test_birth_date_and_sex_are_taken_from_the_nip_when_empty():
    parsed = parse(xlsx_bytes([valid_row(3, **{"Tanggal Lahir": "", "Jenis Kelamin": ""})]))
    assert parsed.errors == []
    assert parsed.rows[0].values["birth_date"] == dt.date(1975, 1, 4)
    assert parsed.rows[0].values["sex"] == "P"


@pytest.mark.parametrize(
    ("header", "value", "fragment"),
    [
        ("NIP", "1.98609E+17", "notasi ilmiah"),
        ("NIP", 1.98609262015051e17, "terbaca sebagai angka"),
        ("NIP", "19750101200503100", "18 digit, bukan 17"),
        ("NIP", "19750101200503100X", "hanya boleh berisi angka"),
        ("NIP", "197502302005031000", "tidak ada di kalender"),
        ("NIP", "197501012005033000", "Digit jenis kelamin"),
        ("NIP", "", "NIP wajib diisi"),
        ("Tanggal Lahir", "02-01-1975", "tidak sama dengan yang tertera di NIP"),
        ("Jenis Kelamin", "P", "Jenis kelamin tidak sama"),
        ("NIK", "12345", "NIK harus 16 digit"),
        ("NIK", "7471019901750001", "NIK (digit 7–12) tidak valid"),
        ("NIK", 7471010101750000, "NIK terbaca sebagai angka"),
        ("NIK", 7.47101010175e15, "NIK terbaca sebagai angka"),
        ("NIP", 197501012005031000, "NIP terbaca sebagai angka"),
        ("Golongan", "IX", "Golongan PNS harus I/a–IV/e"),
        ("Golongan", "V/a", "tidak dikenal"),
        ("Tanggal Lahir", "2025-02-29", "tidak ada di kalender"),
        ("TMT PNS", "29-02-2025", "tidak ada di kalender"),
        ("TMT PNS", "kemarin", "tidak dikenali"),
        ("Jenis ASN", "Honorer", "Jenis ASN harus PNS, CPNS, atau PPPK"),
        ("Jenis ASN", "", "Jenis ASN wajib diisi"),
        ("Nama", "", "Nama wajib diisi"),
        ("Nama", "x" * 151, "terlalu panjang"),
        ("Kode Unit", "", "Kode Unit wajib diisi"),
        ("Status", "cuti", "Status 'cuti' tidak dikenal"),
        ("Pendidikan", "SMA 3", "tidak dikenal"),
        ("Email", "bukan-email", "tidak valid"),
        ("Telepon", 81234567890, "angka 0 di depannya hilang"),
    ],
)
def test_each_bad_cell_gets_a_message_naming_row_and_column(header, value, fragment):
    parsed = parse(xlsx_bytes([valid_row(0, **{header: value})]))
    assert parsed.valid_rows == 0
    errors = parsed.errors
    assert any(e.row == 2 and e.column == header and fragment in e.message for e in errors), errors


def test_pppk_golongan_must_be_roman_one_to_seventeen():
    row = valid_row(0, **{"Jenis ASN": "PPPK", "NIP": "199001152022112003", "Tanggal Lahir": "",
                          "Jenis Kelamin": "", "Golongan": "III/a"})
    errors = parse(xlsx_bytes([row])).errors
    assert [(e.column, e.message) for e in errors] == [("Golongan", "Golongan PPPK harus I–XVII, bukan 'III/a'.")]


@pytest.mark.parametrize("value", ["26-09-1986", "26/09/1986", "1986-09-26", dt.date(1986, 9, 26), 31681])
def test_dates_as_text_excel_date_or_excel_serial(value):
    parsed = parse(xlsx_bytes([valid_row(0, **{"TMT Jabatan": value})]))
    assert parsed.errors == []
    assert parsed.rows[0].values["tmt_jabatan"] == dt.date(1986, 9, 26)


def test_numeric_nip_with_all_18_digits_cannot_come_from_excel_and_is_accepted():
    # openpyxl itself rounds big integers on save, so the cell cleaner is tested directly.
    assert cells.nip(197501062005032005) == "197501062005032005"
    with pytest.raises(cells.CellError, match="Format kolom NIP sebagai Teks"):
        cells.nip(197501062005030000)


def test_codes_are_normalised():
    parsed = parse(xlsx_bytes([valid_row(0, **{"Golongan": "iii-b", "Jenis ASN": "pns", "Status": "Tugas Belajar",
                                               "Pendidikan": "S-1", "Jenis Kelamin": "Laki-laki"})]))
    assert parsed.errors == []
    values = parsed.rows[0].values
    assert (values["golongan"], values["kind"], values["status"], values["education_level"], values["sex"]) == (
        "III/b", "PNS", "tugas_belajar", "S1", "L")


def test_duplicate_nip_in_the_file_names_both_rows():
    rows = [valid_row(0), valid_row(1), valid_row(0, Nama="Kembar")]
    parsed = parse(csv_bytes(rows), "pegawai.csv")
    dup = {e.row: e.message for e in parsed.errors}
    assert set(dup) == {2, 4}
    assert "juga ada di baris 4" in dup[2]
    assert "juga ada di baris 2" in dup[4]
    assert parsed.valid_rows == 1


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet():
    content = csv_bytes([valid_row(0), {}, valid_row(1, Nama="")])
    parsed = parse(content, "pegawai.csv")
    assert [r.number for r in parsed.rows] == [2, 4]
    assert parsed.errors[0].row == 4


def test_columns_added_by_the_export_are_ignored_and_columns_may_be_reordered():
    headers = ["Nama", "NIP", "Jenis ASN", "Kode Unit", "Nama Unit", "Tanggal Pensiun (BUP)"]
    parsed = parse(xlsx_bytes([valid_row(0, **{"Nama Unit": "x"})], headers=headers))
    assert parsed.errors == []
    assert parsed.ignored_columns == ["Nama Unit", "Tanggal Pensiun (BUP)"]
    assert parsed.rows[0].values["name"] == "Pegawai Impor 0"


def test_formula_neutralising_apostrophe_of_our_export_is_removed():
    parsed = parse(xlsx_bytes([valid_row(0, Alamat="'-", NIP="'" + str(valid_row(0)["NIP"]))]))
    assert parsed.errors == []
    assert parsed.rows[0].values["address"] == "-"


# --- the file as a whole ------------------------------------------------------------------------------

def test_file_too_big_is_refused_before_parsing(settings):
    settings.SIMASN_MAX_IMPORT_BYTES = 1000
    with pytest.raises(ImportFileError, match="terlalu besar") as exc:
        parse(csv_bytes([valid_row(i) for i in range(20)]), "pegawai.csv")
    assert exc.value.code == "too_large"


def test_too_many_rows(settings):
    settings.SIMASN_MAX_IMPORT_ROWS = 3
    with pytest.raises(ImportFileError, match="lebih dari 3 baris"):
        parse(csv_bytes([valid_row(i) for i in range(4)]), "pegawai.csv")


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"NIP,Nama\n1,2\n", "pegawai.xlsx", "bukan Excel .xlsx yang valid"),
        (b"%PDF-1.7 ...", "pegawai.pdf", "Jenis berkas tidak didukung"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "pegawai.xlsx", "Excel lama (.xls)"),
        (b"PK\x03\x04garbage", "pegawai.xlsx", "rusak"),
        (b"", "pegawai.csv", "kosong"),
        ("NIP;Nama\n".encode("utf-16"), "pegawai.csv", "UTF-8"),
        ("Nama;Kota\nSitti;Bau-Bau\xe9\n".encode("latin-1"), "pegawai.csv", "UTF-8"),
    ],
)
def test_files_that_are_not_an_employee_sheet_are_refused(content, name, fragment):
    with pytest.raises(ImportFileError, match=fragment.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse(content, name)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportFileError, match="bukan Excel"):
        parse(buffer.getvalue())


def test_xlsx_content_named_csv_is_refused():
    with pytest.raises(ImportFileError, match="namanya .csv"):
        parse(xlsx_bytes([valid_row(0)]), "pegawai.csv")


def test_missing_required_header_is_named():
    headers = [h for h in TEMPLATE_COLUMNS if h != "NIP"]
    with pytest.raises(ImportFileError, match="kolom wajib tidak ada: NIP") as exc:
        parse(xlsx_bytes([valid_row(0)], headers=headers))
    assert exc.value.code == "header"


def test_misspelt_header_is_named():
    headers = [("Tangal Lahir" if h == "Tanggal Lahir" else h) for h in TEMPLATE_COLUMNS]
    with pytest.raises(ImportFileError, match="kolom tidak dikenal: Tangal Lahir"):
        parse(csv_bytes([valid_row(0)], headers=headers), "pegawai.csv")


def test_header_only_file_has_no_rows():
    with pytest.raises(ImportFileError, match="tidak berisi baris data"):
        parse(xlsx_bytes([]))


# --- the template ---------------------------------------------------------------------------------------

def test_template_has_text_formatted_id_columns_a_guide_and_parses_cleanly():
    content = template_workbook(units=[("DA", "Dinas Alpha")])
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Pegawai", "Petunjuk", "Kode Unit"]
    ws = wb["Pegawai"]
    assert [c.value for c in ws[1]] == list(TEMPLATE_COLUMNS)
    nip_col, nik_col = TEMPLATE_COLUMNS.index("NIP") + 1, TEMPLATE_COLUMNS.index("NIK") + 1
    assert ws.cell(row=2, column=nip_col).number_format == "@"
    assert ws.cell(row=2, column=nik_col).number_format == "@"
    assert ws.cell(row=2, column=nip_col).value == "198609262015051001"
    guide = [r[0] for r in wb["Petunjuk"].iter_rows(values_only=True)]
    assert set(TEMPLATE_COLUMNS) <= set(guide)
    assert list(wb["Kode Unit"].iter_rows(min_row=2, values_only=True)) == [("DA", "Dinas Alpha")]
    parsed = parse(content)
    assert parsed.total_rows == 1 and parsed.errors == []


# --- the .xlsx reader -------------------------------------------------------------------------------------

def _normal_workbook(rows) -> bytes:
    """openpyxl's normal mode: shared strings, styles, <dimension> — like a file saved by Excel."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Pegawai"
    ws.append(list(TEMPLATE_COLUMNS))
    for row in rows:
        ws.append([row.get(h) if row.get(h) != "" else None for h in TEMPLATE_COLUMNS])
    wb.create_sheet("Lain").append(["bukan", "ini"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _prefixed(content: bytes) -> bytes:
    """The same workbook with the sheet XML written with an `x:` namespace prefix (Open XML SDK style)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("xl/worksheets/"):
                text = data.decode().replace('xmlns="http://schemas', 'xmlns:x="http://schemas', 1)
                data = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s>/])", r"<\1x:\2", text).encode()
            dst.writestr(name, data)
    return out.getvalue()


def test_xlsx_reader_agrees_across_writers_block_sizes_and_prefixes(monkeypatch):
    rows = [valid_row(i, **{"Tanggal Lahir": dt.date(1975, 1, 1) + dt.timedelta(days=i),
                            "Alamat": "Jl. <Mawar> & \"Melati\""}) for i in range(40)]
    expected = [(r.number, r.values) for r in parse(xlsx_bytes(rows)).rows]
    assert expected[0][1]["address"] == 'Jl. <Mawar> & "Melati"'
    monkeypatch.setattr(xlsx, "_BLOCK", 97)  # cut the sheet XML in many places, mid-tag included
    for content in (xlsx_bytes(rows), _normal_workbook(rows), _prefixed(_normal_workbook(rows))):
        parsed = parse(content)
        assert parsed.errors == []
        assert [(r.number, r.values) for r in parsed.rows] == expected
