"""Reading an uploaded employee file (.xlsx or .csv) into cleaned rows with per-row errors.

Nothing here touches the database: `parse_upload` is the pure first half of an import; checks that need
the database (units, positions, scope, existing NIPs) are in `validation`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.conf import settings

from simasn.core.errors import DomainError

from .. import validators
from . import cells, xlsx
from .columns import (
    COLUMNS,
    HEADER_LOOKUP,
    IGNORED_HEADERS,
    REQUIRED_HEADERS,
    TEMPLATE_COLUMNS,
    Column,
    normalise_header,
)

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls and password-protected .xlsx
MAX_UNCOMPRESSED_RATIO = 10  # zip bomb guard: unpacked content may be at most 10× the upload limit
HEADER_SEARCH_ROWS = 10
_CHUNK = 1024 * 1024


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (type, size, encoding, headers). Nothing was stored."""

    def __init__(self, message: str, *, code: str = "import_file") -> None:
        super().__init__(message, code=code)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    number: int  # the row number the user sees in Excel (header = 1) or the CSV record number
    values: dict[str, Any]  # cleaned, non-empty cells only, keyed by Column.field
    errors: list[RowError] = field(default_factory=list)
    nip_tmt_cpns: dt.date | None = None  # PNS/CPNS: the TMT CPNS the NIP states (1st of that month)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ParsedFile:
    format: str  # "xlsx" or "csv"
    columns: list[str]  # recognised headers in file order
    ignored_columns: list[str]
    rows: list[ParsedRow]

    @property
    def total_rows(self) -> int:
        return len(self.rows)

    @property
    def valid_rows(self) -> int:
        return sum(1 for r in self.rows if r.is_valid)

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]


def max_import_bytes() -> int:
    return int(getattr(settings, "SIMASN_MAX_IMPORT_BYTES", 20 * 1024 * 1024))


def max_import_rows() -> int:
    return int(getattr(settings, "SIMASN_MAX_IMPORT_ROWS", 50_000))


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def read_limited(file_obj: IO[bytes] | bytes) -> bytes:
    """The whole upload, refusing it before reading past the size limit."""
    if isinstance(file_obj, bytes | bytearray):
        file_obj = io.BytesIO(file_obj)
    limit = max_import_bytes()
    size = getattr(file_obj, "size", None)
    if size is not None and size > limit:
        raise ImportFileError(f"Berkas terlalu besar ({_mb(size)} MB); batas {_mb(limit)} MB.", code="too_large")
    if hasattr(file_obj, "seek"):
        file_obj.seek(0)
    parts, total = [], 0
    while chunk := file_obj.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise ImportFileError(f"Berkas terlalu besar (lebih dari {_mb(limit)} MB).", code="too_large")
        parts.append(chunk)
    content = b"".join(parts)
    if not content.strip():
        raise ImportFileError("Berkas kosong.", code="empty")
    return content


def detect_format(content: bytes, filename: str) -> str:
    """Decide by content, and require the name to agree, so a renamed file is refused clearly."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in ("xlsx", "csv"):
        raise ImportFileError("Jenis berkas tidak didukung; unggah berkas .xlsx atau .csv.", code="file_type")
    if content.startswith(OLE2_MAGIC):
        raise ImportFileError(
            "Berkas berformat Excel lama (.xls) atau dilindungi kata sandi. Buka di Excel, hapus kata sandinya, "
            "lalu simpan sebagai Excel Workbook (.xlsx).", code="file_type",
        )
    if content.startswith(XLSX_MAGIC):
        if ext != "xlsx":
            raise ImportFileError("Isi berkas adalah Excel (.xlsx) tetapi namanya .csv; ganti nama berkasnya.",
                                  code="file_type")
        return "xlsx"
    if ext == "xlsx":
        raise ImportFileError("Berkas bukan Excel .xlsx yang valid.", code="file_type")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("Berkas CSV berenkode UTF-16; simpan ulang sebagai 'CSV UTF-8 (Comma delimited)'.",
                              code="encoding")
    if b"\x00" in content[:8192]:
        raise ImportFileError("Berkas bukan CSV teks.", code="file_type")
    return "csv"


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError("Berkas .xlsx rusak dan tidak dapat dibaca.", code="file_type") from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError("Berkas bukan Excel .xlsx yang valid (mungkin dokumen Word/ODS).", code="file_type")
    if unpacked > MAX_UNCOMPRESSED_RATIO * max_import_bytes():
        raise ImportFileError("Isi berkas .xlsx terlalu besar setelah diekstrak.", code="too_large")
    try:
        yield from xlsx.iter_rows(archive)
    except (KeyError, ValueError, IndexError, ParseError, zipfile.BadZipFile) as exc:
        raise ImportFileError("Berkas .xlsx rusak dan tidak dapat dibaca.", code="file_type") from exc


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Berkas CSV harus berenkode UTF-8. Di Excel pilih Simpan Sebagai → 'CSV UTF-8 (Comma delimited)'.",
            code="encoding",
        ) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _map_header(values) -> tuple[dict[int, Column], list[str]]:
    mapping: dict[int, Column] = {}
    ignored: list[str] = []
    unknown: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        key = normalise_header(value)
        if not key:
            continue
        if key in IGNORED_HEADERS:
            ignored.append(str(value).strip())
            continue
        column = HEADER_LOOKUP.get(key)
        if column is None:
            unknown.append(str(value).strip())
            continue
        if column.header in seen:
            raise ImportFileError(f"Kolom '{column.header}' muncul dua kali pada baris judul.", code="header")
        seen[column.header] = index
        mapping[index] = column
    missing = [h for h in REQUIRED_HEADERS if h not in seen]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"kolom wajib tidak ada: {', '.join(missing)}")
        if unknown:
            more = f" dan {len(unknown) - 10} lainnya" if len(unknown) > 10 else ""
            problems.append(f"kolom tidak dikenal: {', '.join(unknown[:10])}{more}")
        raise ImportFileError(
            f"Judul kolom tidak sesuai templat ({'; '.join(problems)}). "
            f"Kolom yang diterima: {', '.join(TEMPLATE_COLUMNS)}. Unduh templat untuk contoh.",
            code="header",
        )
    return mapping, ignored


Plan = list[tuple[int, Column, Callable[[object], Any], int | None]]


def _plan(mapping: dict[int, Column]) -> Plan:
    """Per mapped column: where it is, its cleaner and its length limit (looked up once per file)."""
    return [(index, column, cells.CLEANERS[column.kind], _max_length(column.field) if column.kind == "text" else None)
            for index, column in mapping.items()]


def _clean_row(number: int, values, plan: Plan) -> ParsedRow:
    row = ParsedRow(number=number, values={})
    out = row.values
    size = len(values)
    for index, column, clean, limit in plan:
        raw = values[index] if index < size else None
        try:
            value = clean(raw)
        except cells.CellError as exc:
            row.error(column.header, str(exc))
            continue
        if value is None:
            if column.required:
                row.error(column.header, f"{column.header} wajib diisi.")
        elif limit and len(value) > limit:
            row.error(column.header, f"{column.header} terlalu panjang ({len(value)} karakter; maksimal {limit}).")
        else:
            out[column.field] = value
    _check_identity(row)
    return row


@functools.cache
def _max_length(field_name: str) -> int | None:
    from ..models import Employee  # the column list is importable before apps are ready

    if field_name == "unit_code":
        return 30
    if field_name == "position_name":
        return 200
    return Employee._meta.get_field(field_name).max_length


def _check_identity(row: ParsedRow) -> None:
    """NIP by kind, NIK, golongan by kind, and the birth date/sex the NIP states."""
    values = row.values
    kind = values.get("kind")
    if "nip" in values:
        parsed, errors = validators.nip_errors(values["nip"], kind or "")
        if parsed.valid and parsed.tmt_cpns:
            row.nip_tmt_cpns = dt.date(parsed.tmt_cpns[0], parsed.tmt_cpns[1], 1)
        for message in errors:
            row.error("NIP", message)
        if parsed.valid:
            values["nip"] = parsed.nip
            for message in validators.consistency_errors(parsed, birth_date=values.get("birth_date"), sex=None):
                row.error("Tanggal Lahir", message)
            for message in validators.consistency_errors(parsed, birth_date=None, sex=values.get("sex")):
                row.error("Jenis Kelamin", message)
            # The NIP states both, so an empty cell is filled from it rather than refused.
            values.setdefault("birth_date", parsed.birth_date)
            values.setdefault("sex", parsed.sex)
    if "nik" in values:
        for message in validators.nik_errors(values["nik"]):
            row.error("NIK", message)
    if "golongan" in values and kind:
        for message in validators.golongan_errors(values["golongan"], kind):
            row.error("Golongan", message)


def _mark_duplicates(rows: list[ParsedRow]) -> None:
    by_nip: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in rows:
        if row.values.get("nip"):
            by_nip[row.values["nip"]].append(row)
    for nip, same in by_nip.items():
        if len(same) < 2:
            continue
        for row in same:
            others = ", ".join(str(o.number) for o in same if o is not row)
            row.error("NIP", f"NIP {nip} ganda dalam berkas: juga ada di baris {others}.")


def iter_parsed_rows(content: bytes, fmt: str) -> tuple[dict[int, Column], list[str], Iterator[ParsedRow]]:
    """Header mapping, ignored headers, and a lazy iterator of cleaned rows (no duplicate check)."""
    records = _xlsx_rows(content) if fmt == "xlsx" else _csv_rows(content)
    header = None
    for number, values in records:
        if not _is_blank(values):
            header = values
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise ImportFileError("Baris judul kolom tidak ditemukan; baris pertama harus berisi judul kolom templat.",
                              code="header")
    mapping, ignored = _map_header(header)
    plan = _plan(mapping)

    def rows() -> Iterator[ParsedRow]:
        for number, values in records:
            if not _is_blank(values):
                yield _clean_row(number, values, plan)

    return mapping, ignored, rows()


def parse_content(content: bytes, filename: str,
                  on_progress: Callable[[int], None] | None = None) -> ParsedFile:
    fmt = detect_format(content, filename)
    mapping, ignored, row_iter = iter_parsed_rows(content, fmt)
    limit = max_import_rows()
    rows: list[ParsedRow] = []
    for row in row_iter:
        rows.append(row)
        if len(rows) > limit:
            raise ImportFileError(f"Berkas berisi lebih dari {limit} baris data; bagi menjadi beberapa berkas.",
                                  code="too_many_rows")
        if on_progress and len(rows) % 1000 == 0:
            on_progress(len(rows))
    if not rows:
        raise ImportFileError("Berkas tidak berisi baris data di bawah judul kolom.", code="empty")
    _mark_duplicates(rows)
    return ParsedFile(format=fmt, columns=[c.header for c in mapping.values()], ignored_columns=ignored, rows=rows)


def parse_upload(*, file_obj: IO[bytes] | bytes, filename: str) -> ParsedFile:
    """Check and parse an uploaded file: rows with per-row errors. Raises ImportFileError for a file that
    cannot be imported at all. No database reads or writes."""
    return parse_content(read_limited(file_obj), filename)


__all__ = ["COLUMNS", "ImportFileError", "ParsedFile", "ParsedRow", "RowError", "parse_upload"]
