"""NIP (PNS) and NI PPPK parsing per ../shared/DOMAIN.md §1.

NIP PNS: YYYYMMDD birth + YYYYMM TMT CPNS + sex (1/2) + 3-digit sequence.
NI PPPK: YYYYMMDD birth + YYYY appointment year + 2-digit contract code + sex (1/2) + 3-digit sequence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

NIP_LENGTH = 18
MIN_AGE_AT_CPNS = 18
_SCIENTIFIC = re.compile(r"^\s*\d(?:[.,]\d+)?[eE]\+?\d+\s*$")


@dataclass(frozen=True)
class ParsedNIP:
    nip: str
    valid: bool
    kind: str | None = None  # "PNS" or "PPPK"
    birth_date: dt.date | None = None
    tmt_cpns: tuple[int, int] | None = None  # (year, month), PNS only
    appointment_year: int | None = None  # PPPK only
    contract_code: str | None = None  # PPPK only
    sex: str | None = None  # "L" or "P"
    sequence: int | None = None
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        if not self.valid:
            return {"valid": False, "errors": self.errors}
        out: dict = {"valid": True, "kind": self.kind, "birth_date": self.birth_date.isoformat()}
        if self.kind == "PNS":
            out["tmt_cpns"] = f"{self.tmt_cpns[0]:04d}-{self.tmt_cpns[1]:02d}"
        else:
            out["appointment_year"] = self.appointment_year
            out["contract_code"] = self.contract_code
        out["sex"] = self.sex
        out["sequence"] = self.sequence
        return out


def normalise_nip(raw: object) -> str:
    """Text of a NIP as typed or imported, with spaces removed (NIPs are often printed in groups)."""
    if raw is None:
        return ""
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return str(raw)
    return re.sub(r"[\s.-]", "", str(raw)) if not _SCIENTIFIC.match(str(raw)) else str(raw).strip()


def _basic_errors(nip: str) -> list[str]:
    if _SCIENTIFIC.match(nip) or "e+" in nip.lower():
        return [
            "NIP tertulis dalam notasi ilmiah (mis. 1.98609E+17): Excel telah membulatkan angkanya. "
            "Format kolom NIP sebagai Teks lalu ketik ulang."
        ]
    if not nip:
        return ["NIP wajib diisi."]
    if not nip.isdigit():
        return ["NIP hanya boleh berisi angka."]
    if len(nip) != NIP_LENGTH:
        hint = " (angka 0 di depan mungkin hilang karena Excel)" if len(nip) == NIP_LENGTH - 1 else ""
        return [f"NIP harus {NIP_LENGTH} digit, bukan {len(nip)}{hint}."]
    return []


def _birth_date(nip: str, errors: list[str]) -> dt.date | None:
    try:
        born = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        errors.append(f"Tanggal lahir dalam NIP ({nip[0:4]}-{nip[4:6]}-{nip[6:8]}) tidak ada di kalender.")
        return None
    if born.year < 1900 or born > dt.date.today():
        errors.append(f"Tahun lahir dalam NIP ({born.year}) tidak masuk akal.")
        return None
    return born


def _sex(digit: str, errors: list[str]) -> str | None:
    if digit not in ("1", "2"):
        errors.append(f"Digit jenis kelamin dalam NIP harus 1 (laki-laki) atau 2 (perempuan), bukan {digit}.")
        return None
    return "L" if digit == "1" else "P"


def _age_on(born: dt.date, year: int, month: int) -> int:
    return year - born.year - ((month, 1) < (born.month, born.day))


def parse_nip(raw: object) -> ParsedNIP:
    """Parse a PNS NIP."""
    nip = normalise_nip(raw)
    errors = _basic_errors(nip)
    if errors:
        return ParsedNIP(nip, False, errors=errors)
    born = _birth_date(nip, errors)
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        errors.append(f"Bulan TMT CPNS dalam NIP ({month:02d}) tidak valid.")
    elif dt.date(year, month, 1) > dt.date.today():
        errors.append(f"TMT CPNS dalam NIP ({year}-{month:02d}) belum terjadi.")
    elif born and _age_on(born, year, month) < MIN_AGE_AT_CPNS:
        errors.append(f"TMT CPNS ({year}-{month:02d}) sebelum pegawai berusia {MIN_AGE_AT_CPNS} tahun.")
    sex = _sex(nip[14], errors)
    if errors:
        return ParsedNIP(nip, False, errors=errors)
    return ParsedNIP(nip, True, "PNS", born, (year, month), sex=sex, sequence=int(nip[15:18]))


def parse_ni_pppk(raw: object) -> ParsedNIP:
    """Parse a PPPK Nomor Induk."""
    nip = normalise_nip(raw)
    errors = _basic_errors(nip)
    if errors:
        return ParsedNIP(nip, False, errors=[e.replace("NIP", "NI PPPK") for e in errors])
    born = _birth_date(nip, errors)
    year = int(nip[8:12])
    if year > dt.date.today().year:
        errors.append(f"Tahun pengangkatan dalam NI PPPK ({year}) belum terjadi.")
    elif born and year - born.year < MIN_AGE_AT_CPNS:
        errors.append(f"Tahun pengangkatan ({year}) sebelum pegawai berusia {MIN_AGE_AT_CPNS} tahun.")
    sex = _sex(nip[14], errors)
    if errors:
        return ParsedNIP(nip, False, errors=[e.replace("NIP", "NI PPPK") for e in errors])
    return ParsedNIP(
        nip, True, "PPPK", born, appointment_year=year, contract_code=nip[12:14], sex=sex,
        sequence=int(nip[15:18]),
    )


def parse_any(raw: object, kind: str | None = None) -> ParsedNIP:
    """Parse as the given kind (PNS/CPNS → NIP, PPPK → NI PPPK), or try PNS first then PPPK."""
    if kind == "PPPK":
        return parse_ni_pppk(raw)
    if kind in ("PNS", "CPNS"):
        return parse_nip(raw)
    as_pns = parse_nip(raw)
    if as_pns.valid:
        return as_pns
    as_pppk = parse_ni_pppk(raw)
    return as_pppk if as_pppk.valid else as_pns
