"""Turning one spreadsheet/CSV cell into a clean value, with an Indonesian message when it cannot be.

Each cleaner returns the value (None for an empty cell) or raises CellError with the message shown on the
preview. No database access here.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl.utils.datetime import from_excel

from ..models import EmployeeKind, Sex
from ..nip import normalise_nip
from ..rules_data import GOLONGAN_BY_CODE
from .columns import EDUCATION_ALIASES, FORMULA_PREFIXES, STATUS_ALIASES

_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,19}$")
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
EXCEL_DIGITS = 15
_KINDS = frozenset(EmployeeKind.values)
_SEXES = {"L": Sex.L.value, "LAKI-LAKI": Sex.L.value, "LAKI LAKI": Sex.L.value, "PRIA": Sex.L.value,
          "P": Sex.P.value, "PEREMPUAN": Sex.P.value, "WANITA": Sex.P.value}
_SPACES = re.compile(r"\s+")
_ODD_SPACE = re.compile(r"\s\s|[^\S ]")  # a run of blanks, or a tab/newline/no-break space


class CellError(ValueError):
    """A cell that cannot be used; str(error) is the message for the preview."""


def _as_str(value: object) -> str:
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def text(value: object) -> str | None:
    if value is None:
        return None
    out = (value if type(value) is str else _as_str(value)).strip()  # the common case first: plain text
    if _ODD_SPACE.search(out):
        out = _SPACES.sub(" ", out)
    # Undo our own export's neutralising apostrophe so an exported file imports back unchanged.
    if out[:1] == "'" and out[1:].startswith(FORMULA_PREFIXES):
        out = out[1:]
    return out or None


def _digits_text(value: object, label: str) -> str | None:
    if isinstance(value, bool):
        raise CellError(f"{label} harus berupa angka yang diketik sebagai teks.")
    # Excel keeps 15 significant digits of a number: an 18-digit NIP or 16-digit NIK typed into a number cell
    # comes back as a float (1.98609E+17) or as an integer whose last digits became zeros. An integer with
    # more than 15 significant digits cannot come from Excel, so a program wrote it exactly: accept that.
    if isinstance(value, float) or (
        isinstance(value, int) and len(str(value)) > EXCEL_DIGITS and len(str(value).rstrip("0")) <= EXCEL_DIGITS
    ):
        raise CellError(
            f"{label} terbaca sebagai angka ({value:.6G}), bukan teks: Excel hanya menyimpan 15 digit angka "
            f"sehingga digit {label} hilang atau dibulatkan. Format kolom {label} sebagai Teks lalu ketik ulang."
        )
    if isinstance(value, int):
        return str(value)
    raw = text(value)
    return raw.lstrip("'") if raw else None


def nip(value: object) -> str | None:
    raw = _digits_text(value, "NIP")
    return normalise_nip(raw) if raw else None


def nik(value: object) -> str | None:
    raw = _digits_text(value, "NIK")
    if raw and "*" in raw:
        return None  # a masked NIK from an export: keep what is stored
    return re.sub(r"[\s.-]", "", raw) if raw else None


def date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date typed into a cell formatted as a number arrives as Excel's day serial.
        if 1 <= value <= _EXCEL_MAX_SERIAL:
            return from_excel(value).date()
        raise CellError(f"Tanggal tidak dikenali: {value}.")
    raw = str(value).strip()
    if m := _YMD.match(raw):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DMY.match(raw):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise CellError(f"Format tanggal '{raw}' tidak dikenali; gunakan dd-mm-yyyy (mis. 26-09-1986) atau yyyy-mm-dd.")
    try:
        parsed = dt.date(year, month, day)
    except ValueError:
        raise CellError(f"Tanggal '{raw}' tidak ada di kalender.") from None
    if parsed.year < 1900:
        raise CellError(f"Tahun pada tanggal '{raw}' tidak masuk akal.")
    return parsed


def kind(value: object) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    code = raw.upper()
    if code not in _KINDS:
        raise CellError(f"Jenis ASN harus PNS, CPNS, atau PPPK, bukan '{raw}'.")
    return code


def sex(value: object) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    code = _SEXES.get(raw.upper())
    if code is None:
        raise CellError(f"Jenis kelamin harus L atau P, bukan '{raw}'.")
    return code


def status(value: object) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    code = STATUS_ALIASES.get(raw.lower().replace("_", " ")) or STATUS_ALIASES.get(raw.lower())
    if code is None:
        raise CellError(f"Status '{raw}' tidak dikenal; gunakan {', '.join(sorted(set(STATUS_ALIASES.values())))}.")
    return str(code)


def golongan(value: object) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    room, _, letter = raw.replace("-", "/").replace(" ", "").partition("/")
    code = f"{room.upper()}/{letter.lower()}" if letter else room.upper()
    if code not in GOLONGAN_BY_CODE:
        raise CellError(f"Golongan '{raw}' tidak dikenal; PNS I/a–IV/e, PPPK I–XVII.")
    return code


def education(value: object) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    code = EDUCATION_ALIASES.get(raw.lower().replace("-", "").replace(" ", ""))
    if code is None:
        raise CellError(f"Pendidikan '{raw}' tidak dikenal; gunakan SD, SMP, SMA, D1–D4, S1, S2 atau S3.")
    return code


def email(value: object) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    try:
        validate_email(raw)
    except ValidationError:
        raise CellError(f"Alamat email '{raw}' tidak valid.") from None
    return raw


def phone(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = str(int(value)) if float(value).is_integer() else str(value)
        if not shown.startswith("62"):
            raise CellError(
                f"Nomor telepon terbaca sebagai angka ({shown}) sehingga angka 0 di depannya hilang; "
                "format kolom Telepon sebagai Teks lalu ketik ulang."
            )
        return shown
    raw = text(value)
    if raw is None:
        return None
    if not _PHONE.match(raw):
        raise CellError(f"Nomor telepon '{raw}' tidak valid; gunakan angka, spasi, tanda - atau + di depan.")
    return raw


CLEANERS = {
    "text": text, "nip": nip, "nik": nik, "date": date, "kind": kind, "sex": sex, "status": status,
    "golongan": golongan, "education": education, "email": email, "phone": phone,
}
