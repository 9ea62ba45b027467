"""Builders for import/export tests: valid rows, .xlsx/.csv bytes, uploads, and known unit codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from simasn.employees.importing import TEMPLATE_COLUMNS
from simasn.employees.tests.factories import make_nip

DATA_DIR = Path(__file__).parent / "data"


def nik_for(birth: dt.date, sex: str, seq: int) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"747101{day:02d}{birth:%m%y}{seq % 10000:04d}"


def valid_row(i: int = 0, **overrides: object) -> dict[str, object]:
    """A correct new PNS in unit DA-1 (see `unit_codes`); `overrides` are keyed by template header."""
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=i)
    sex = "L" if i % 2 == 0 else "P"
    row: dict[str, object] = {
        "NIP": make_nip(birth, (2005, 3), sex, i % 1000),
        "Jenis ASN": "PNS",
        "Gelar Depan": "",
        "Nama": f"Pegawai Impor {i}",
        "Gelar Belakang": "S.E.",
        "NIK": nik_for(birth, sex, i),
        "Tempat Lahir": "Kendari",
        "Tanggal Lahir": birth.strftime("%d-%m-%Y"),
        "Jenis Kelamin": sex,
        "Status": "aktif",
        "Golongan": "III/b",
        "Kode Unit": "DA-1",
        "Jabatan": "Analis Alpha",
        "TMT CPNS": "01-03-2005",
        "TMT PNS": "01-03-2006",
        "TMT Golongan": "2020-04-01",
        "TMT Jabatan": "",
        "Pendidikan": "S1",
        "Alamat": "Jl. Uji No. 1",
        "Telepon": "081234567890",
        "Email": f"pegawai{i}@example.go.id",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows: Iterable[dict[str, object]], headers: Iterable[str] = TEMPLATE_COLUMNS) -> bytes:
    headers = list(headers)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pegawai")
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) if row.get(h) != "" else None for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[dict[str, object]], headers: Iterable[str] = TEMPLATE_COLUMNS,
              delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    headers = list(headers)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue().encode(encoding)


def upload(content: bytes, name: str = "pegawai.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def unit_codes(org):
    """Known codes for the shared org: Dinas Alpha = DA, its bidang = DA-1, Badan Beta = BB."""
    for unit, code in ((org.opd_a, "DA"), (org.bidang_a, "DA-1"), (org.opd_b, "BB")):
        unit.code = code
        unit.save(update_fields=["code"])
    return org


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
