"""Field checks shared by the employee form, the API and the importer; messages are Indonesian."""

from __future__ import annotations

import datetime as dt

from .nip import ParsedNIP, parse_any
from .rules_data import GOLONGAN_PNS, GOLONGAN_PPPK

NIK_LENGTH = 16
# A rank or position change is dated: the riwayat row needs its TMT (form and import say the same).
TMT_GOLONGAN_REQUIRED = "TMT golongan wajib diisi bila golongan diisi atau diubah."
TMT_JABATAN_REQUIRED = "TMT jabatan wajib diisi bila jabatan diisi atau diubah."
_PNS_CODES = frozenset(g.code for g in GOLONGAN_PNS)
_PPPK_CODES = frozenset(g.code for g in GOLONGAN_PPPK)


def mask_nik(nik: str | None) -> str:
    """The NIK as shown by default and written to audit logs and exports: first 4 and last 4 digits."""
    if not nik:
        return ""
    return f"{nik[:4]}{'*' * 8}{nik[-4:]}" if len(nik) == NIK_LENGTH else "*" * len(nik)


def nik_errors(nik: str) -> list[str]:
    """NIK (Nomor Induk Kependudukan): 16 digits; digits 7–12 hold the birth date (day + 40 for women)."""
    if not nik:
        return []
    if not nik.isdigit():
        return ["NIK hanya boleh berisi angka."]
    if len(nik) != NIK_LENGTH:
        return [f"NIK harus {NIK_LENGTH} digit, bukan {len(nik)}."]
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    try:
        dt.date(2000, month, day)  # leap year: accepts 29 Feb
    except ValueError:
        return ["Tanggal lahir di dalam NIK (digit 7–12) tidak valid."]
    return []


def nip_errors(nip: object, kind: str) -> tuple[ParsedNIP, list[str]]:
    parsed = parse_any(nip, kind)
    return parsed, list(parsed.errors)


def golongan_errors(golongan: str, kind: str) -> list[str]:
    if not golongan:
        return []
    if kind == "PPPK" and golongan not in _PPPK_CODES:
        return [f"Golongan PPPK harus I–XVII, bukan '{golongan}'."]
    if kind in ("PNS", "CPNS") and golongan not in _PNS_CODES:
        return [f"Golongan PNS harus I/a–IV/e, bukan '{golongan}'."]
    return []


def consistency_errors(parsed: ParsedNIP, *, birth_date: dt.date | None, sex: str | None) -> list[str]:
    """A NIP states the birth date and sex; the record must agree with it."""
    errors = []
    if parsed.valid and birth_date and parsed.birth_date != birth_date:
        errors.append(
            f"Tanggal lahir ({birth_date:%d-%m-%Y}) tidak sama dengan yang tertera di NIP "
            f"({parsed.birth_date:%d-%m-%Y})."
        )
    if parsed.valid and sex and parsed.sex != sex:
        errors.append("Jenis kelamin tidak sama dengan digit jenis kelamin di NIP.")
    return errors
