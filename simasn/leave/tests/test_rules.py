"""Leave rules of PP 11/2017 jo PP 17/2020 (PNS) and PP 49/2018 (PPPK), DOMAIN §7 — one row per sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.core.errors import DomainError
from simasn.employees.models import Employee
from simasn.leave import ledger, rules_data, validation

START = dt.date(2026, 3, 2)


def employee(kind: str = "PNS", *, tmt: dt.date | None = None, sex: str = "P") -> Employee:
    if kind == "PPPK":
        return Employee(kind=kind, sex=sex, tmt_golongan=tmt)
    return Employee(kind=kind, sex=sex, tmt_cpns=tmt)


SERVICE_CASES = [
    # (why, ASN kind, TMT, cuti type, refusal code or None)
    ("cuti tahunan setelah 1 tahun bekerja terus-menerus", "PNS", dt.date(2025, 3, 2), "tahunan", None),
    ("cuti tahunan: sehari kurang dari 1 tahun ditolak", "PNS", dt.date(2025, 3, 3), "tahunan",
     "service_too_short"),
    ("CPNS juga berhak cuti tahunan setelah 1 tahun", "CPNS", dt.date(2025, 1, 1), "tahunan", None),
    ("cuti besar setelah 5 tahun bekerja", "PNS", dt.date(2021, 3, 1), "besar", None),
    ("cuti besar: 4 tahun 11 bulan belum cukup", "PNS", dt.date(2021, 4, 1), "besar", "service_too_short"),
    ("CLTN setelah 5 tahun bekerja", "PNS", dt.date(2020, 1, 1), "cltn", None),
    ("CLTN: 3 tahun belum cukup", "PNS", dt.date(2023, 1, 1), "cltn", "service_too_short"),
    ("cuti sakit tanpa syarat masa kerja", "PNS", dt.date(2026, 2, 1), "sakit", None),
    ("cuti alasan penting tanpa syarat masa kerja", "PNS", dt.date(2026, 2, 1), "alasan_penting", None),
    ("cuti melahirkan tanpa syarat masa kerja", "PNS", dt.date(2026, 2, 1), "melahirkan", None),
    ("CPNS tidak berhak cuti besar", "CPNS", dt.date(2015, 1, 1), "besar", "type_not_allowed"),
    ("CPNS tidak berhak CLTN", "CPNS", dt.date(2015, 1, 1), "cltn", "type_not_allowed"),
    ("PPPK: cuti tahunan setelah 1 tahun sejak TMT pengangkatan", "PPPK", dt.date(2025, 1, 1), "tahunan", None),
    ("PPPK: cuti tahunan sebelum 1 tahun ditolak", "PPPK", dt.date(2025, 6, 1), "tahunan", "service_too_short"),
    ("PPPK: cuti sakit", "PPPK", dt.date(2025, 6, 1), "sakit", None),
    ("PPPK: cuti melahirkan", "PPPK", dt.date(2025, 6, 1), "melahirkan", None),
    ("PPPK tidak berhak cuti besar", "PPPK", dt.date(2010, 1, 1), "besar", "type_not_allowed"),
    ("PPPK tidak berhak cuti alasan penting", "PPPK", dt.date(2010, 1, 1), "alasan_penting", "type_not_allowed"),
    ("PPPK tidak berhak CLTN", "PPPK", dt.date(2010, 1, 1), "cltn", "type_not_allowed"),
    ("cuti bersama ditetapkan pemerintah, tidak diajukan", "PNS", dt.date(2010, 1, 1), "bersama",
     "type_not_requestable"),
    ("tanpa TMT masa kerja tidak dapat dihitung", "PNS", None, "tahunan", "service_unknown"),
]


@pytest.mark.parametrize(("why", "kind", "tmt", "code", "refusal"), SERVICE_CASES, ids=[c[0] for c in SERVICE_CASES])
def test_who_may_take_which_leave(why, kind, tmt, code, refusal):
    person = employee(kind, tmt=tmt)
    try:
        rule = validation.leave_rule(person, code)
        validation.check_service(person, rule, START)
    except DomainError as exc:
        assert exc.code == refusal, exc.message
    else:
        assert refusal is None


def test_cuti_melahirkan_is_for_women():
    with pytest.raises(DomainError, match="perempuan"):
        validation.leave_rule(employee("PNS", tmt=dt.date(2010, 1, 1), sex="L"), "melahirkan")


LENGTH_CASES = [
    # (why, table, type, max months)
    ("cuti besar paling lama 3 bulan", "PNS", "besar", 3),
    ("cuti sakit PNS paling lama 1 tahun + 6 bulan", "PNS", "sakit", 18),
    ("cuti melahirkan 3 bulan", "PNS", "melahirkan", 3),
    ("cuti karena alasan penting paling lama 1 bulan", "PNS", "alasan_penting", 1),
    ("CLTN paling lama 3 tahun (perpanjangan 1 tahun: permohonan baru)", "PNS", "cltn", 36),
    ("cuti sakit PPPK paling lama 1 bulan", "PPPK", "sakit", 1),
    ("cuti melahirkan PPPK 3 bulan", "PPPK", "melahirkan", 3),
    ("cuti tahunan dibatasi saldo, bukan bulan", "PNS", "tahunan", None),
]


@pytest.mark.parametrize(("why", "table", "code", "months"), LENGTH_CASES, ids=[c[0] for c in LENGTH_CASES])
def test_maximum_lengths(why, table, code, months):
    assert rules_data.LEAVE_TYPES[(table, code)].max_months == months


DOCUMENT_CASES = [
    # (why, table, type, calendar days, document required or None)
    ("sakit 1 hari: tanpa surat dokter", "PNS", "sakit", 1, None),
    ("sakit lebih dari 1 hari: surat keterangan dokter", "PNS", "sakit", 2, "surat keterangan dokter"),
    ("sakit 14 hari: surat keterangan dokter", "PNS", "sakit", 14, "surat keterangan dokter"),
    ("sakit lebih dari 14 hari: dokter pemerintah", "PNS", "sakit", 15, "surat keterangan dokter pemerintah"),
    ("PPPK sakit lebih dari 1 hari: surat dokter", "PPPK", "sakit", 3, "surat keterangan dokter"),
    ("alasan penting: dokumen pendukung", "PNS", "alasan_penting", 1, "dokumen pendukung"),
    ("CLTN: dokumen pendukung", "PNS", "cltn", 100, "dokumen pendukung"),
    ("cuti tahunan: tanpa dokumen", "PNS", "tahunan", 12, None),
    ("cuti besar: tanpa dokumen", "PNS", "besar", 90, None),
]


@pytest.mark.parametrize(("why", "table", "code", "days", "document"), DOCUMENT_CASES,
                         ids=[c[0] for c in DOCUMENT_CASES])
def test_documents_required(why, table, code, days, document):
    needed = rules_data.LEAVE_TYPES[(table, code)].document_for(days)
    if document is None:
        assert needed is None
    else:
        assert needed is not None and needed.document.startswith(document)


def test_pppk_has_only_the_four_types_of_pp_49_2018():
    pppk = {code for (table, code) in rules_data.LEAVE_TYPES if table == "PPPK"}
    assert pppk == {"tahunan", "sakit", "melahirkan", "bersama"}


def test_pns_has_the_seven_types_of_pp_11_2017():
    pns = {code for (table, code) in rules_data.LEAVE_TYPES if table == "PNS"}
    assert pns == {"tahunan", "besar", "sakit", "melahirkan", "alasan_penting", "bersama", "cltn"}


def test_only_cuti_tahunan_spends_the_ledger_and_only_cltn_is_unpaid():
    assert {r.code for r in rules_data.LEAVE_TYPES.values() if r.uses_ledger} == {"tahunan"}
    assert {r.code for r in rules_data.LEAVE_TYPES.values() if not r.paid} == {"cltn"}
    assert rules_data.LEAVE_TYPES[("PNS", "besar")].blocks_annual_leave


def test_every_rule_names_its_legal_basis():
    for rule in rules_data.LEAVE_TYPES.values():
        assert rule.legal_basis.startswith(("PP 11/2017", "PP 49/2018")), rule
    for rule in rules_data.IZIN_TYPES.values():
        assert rule.legal_basis


ROUTE_CASES = [
    ("cuti: atasan langsung, lalu pejabat berwenang", ("cuti", ""), ("atasan_langsung", "kepala_opd")),
    ("cuti besar sampai Sekda", ("cuti", "besar"), ("atasan_langsung", "kepala_opd", "sekda")),
    ("CLTN sampai Sekda", ("cuti", "cltn"), ("atasan_langsung", "kepala_opd", "sekda")),
    ("izin: atasan langsung", ("izin", ""), ("atasan_langsung",)),
    ("dinas luar: atasan langsung", ("dinas_luar", ""), ("atasan_langsung",)),
    ("kerja fleksibel: atasan langsung", ("fleksibel", ""), ("atasan_langsung",)),
]


@pytest.mark.parametrize(("why", "key", "roles"), ROUTE_CASES, ids=[c[0] for c in ROUTE_CASES])
def test_default_routes(why, key, roles):
    assert rules_data.DEFAULT_ROUTES[key] == roles
    assert all(role in rules_data.APPROVER_ROLES for role in roles)


SERVICE_YEAR_CASES = [
    ("tepat 1 tahun", dt.date(2025, 3, 2), dt.date(2026, 3, 2), 1),
    ("sehari kurang", dt.date(2025, 3, 3), dt.date(2026, 3, 2), 0),
    ("29 Februari: genap setahun pada 28 Februari", dt.date(2024, 2, 29), dt.date(2025, 2, 28), 1),
    ("belum mulai", dt.date(2026, 4, 1), dt.date(2026, 3, 2), 0),
]


@pytest.mark.parametrize(("why", "tmt", "day", "years"), SERVICE_YEAR_CASES, ids=[c[0] for c in SERVICE_YEAR_CASES])
def test_service_years(why, tmt, day, years):
    assert ledger.service_years_on(employee("PNS", tmt=tmt), day) == years


def test_pppk_service_counts_from_the_earliest_appointment_date():
    person = Employee(kind="PPPK", tmt_golongan=dt.date(2024, 5, 1), tmt_jabatan=dt.date(2023, 5, 1))
    assert ledger.service_start(person) == dt.date(2023, 5, 1)
