"""Writing employee master data: what is refused (with which message), what is derived, what is audited,
and that a refusal leaves the database and the media store as they were."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from simasn.core.audit import audit_verify
from simasn.core.errors import DomainError
from simasn.core.models import AuditEvent
from simasn.employees import services
from simasn.employees.models import EducationHistory, Employee, PositionHistory, RankHistory
from simasn.employees.services import Forbidden, InvalidFields
from simasn.employees.tests.conftest import stored_files
from simasn.employees.tests.master_support import (
    EXAMPLE_NIK,
    EXAMPLE_NIP,
    EXE,
    GIF,
    JPEG,
    PNG,
    employee_data,
    pdf_upload,
    upload,
)
from simasn.org.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def create(actor, **overrides):
    return services.employee_create(actor=actor, data=employee_data(**overrides))


def field_errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.field_errors


# ---- create -------------------------------------------------------------------------------------------------

def test_create_derives_birth_date_sex_and_tmt_cpns_from_the_nip(org, users):
    employee = create(users.admin_bkpsdm, unit=org.bidang_a, position=org.staf_a)
    assert (employee.birth_date, employee.sex, employee.tmt_cpns) == (dt.date(1986, 9, 26), "L", dt.date(2015, 5, 1))
    assert employee.full_name == "La Ode Baharuddin, S.E."


def test_create_computes_the_retirement_date_from_birth_date_and_position(org, users):
    pelaksana = create(users.admin_bkpsdm, unit=org.bidang_a, position=org.staf_a)
    assert pelaksana.retirement_date == dt.date(2044, 10, 1)  # 58 in September 2044
    jpt = create(users.admin_bkpsdm, nip="197001012000031002", unit=org.opd_b, position=org.kepala_b,
                 nik="", tmt_jabatan=dt.date(2021, 1, 4))
    assert jpt.retirement_date == dt.date(2030, 2, 1)  # JPT pratama: 60


def test_create_appends_the_first_rank_and_position_history(org, users):
    employee = create(users.admin_bkpsdm, unit=org.bidang_a, position=org.staf_a)
    assert list(employee.rank_history.values_list("golongan", "tmt")) == [("III/b", dt.date(2019, 4, 1))]
    entry = employee.position_history.get()
    assert (entry.position, entry.position_name, entry.unit_name, entry.tmt) == (
        org.staf_a, "Analis Alpha", "Bidang Alpha Satu", dt.date(2020, 1, 2))


def test_create_writes_an_audit_event_with_the_nik_masked(org, users):
    employee = create(users.admin_bkpsdm, unit=org.bidang_a)
    event = AuditEvent.objects.get(action="employees.created")
    assert (event.object_id, event.actor_id) == (str(employee.pk), users.admin_bkpsdm.pk)
    assert event.before is None
    assert event.after["nip"] == EXAMPLE_NIP
    assert event.after["nik"] == "7471********0001"
    assert EXAMPLE_NIK not in json.dumps([e.after for e in AuditEvent.objects.all()])
    assert audit_verify().ok


def test_duplicate_nip_is_refused_with_a_clear_message(org, users):
    create(users.admin_bkpsdm, unit=org.bidang_a)
    with pytest.raises(InvalidFields) as exc:
        create(users.admin_bkpsdm, unit=org.opd_b, name="Orang Lain")
    assert field_errors(exc)["nip"] == [f"NIP {EXAMPLE_NIP} sudah terdaftar untuk pegawai lain."]
    assert Employee.objects.filter(nip=EXAMPLE_NIP).count() == 1


def test_the_same_nip_typed_in_groups_is_still_a_duplicate(org, users):
    create(users.admin_bkpsdm, unit=org.bidang_a)
    with pytest.raises(InvalidFields) as exc:
        create(users.admin_bkpsdm, unit=org.bidang_a, nip="19860926 201505 1 001")
    assert "sudah terdaftar" in field_errors(exc)["nip"][0]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nip": "19860926201505100"}, "nip",
         "NIP harus 18 digit, bukan 17 (angka 0 di depan mungkin hilang karena Excel)."),
        ({"nip": "1.98609E+17"}, "nip", "notasi ilmiah"),
        ({"birth_date": dt.date(1986, 9, 27)}, "birth_date", "tidak sama dengan yang tertera di NIP"),
        ({"sex": "P"}, "sex", "Jenis kelamin tidak sama"),
        ({"kind": "PPPK"}, "nip", "Digit jenis kelamin dalam NI PPPK"),  # read with the NI PPPK layout
        ({"nik": "74710126098600"}, "nik", "NIK harus 16 digit, bukan 14."),
        ({"golongan": "IX"}, "golongan", "Golongan PNS harus I/a–IV/e, bukan 'IX'."),
        ({"tmt_golongan": None}, "tmt_golongan", "TMT golongan wajib diisi"),
        ({"name": "  "}, "name", ""),
        ({"unit": 999999}, "unit", "Unit kerja tidak ditemukan."),
        ({"email": "bukan-email"}, "email", ""),
        ({"tmt_pns": dt.date(2014, 1, 1)}, "tmt_pns", "TMT PNS tidak boleh sebelum TMT CPNS."),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(org, users, overrides, field, message):
    if overrides.get("kind") == "PPPK":
        overrides["nip"] = "198609262015053001"  # sex digit 3 in either layout
    overrides.setdefault("unit", org.bidang_a)
    with pytest.raises(InvalidFields) as exc:
        create(users.admin_bkpsdm, **overrides)
    assert field in field_errors(exc), field_errors(exc)
    assert any(message in m for m in field_errors(exc)[field])
    assert not Employee.objects.filter(name="La Ode Baharuddin").exists()
    assert not AuditEvent.objects.exists()


def test_a_pppk_is_created_from_an_ni_pppk_with_a_pppk_golongan(org, users):
    employee = create(users.admin_bkpsdm, unit=org.opd_b, kind="PPPK", nip="199001152022112003", golongan="IX",
                      nik="", tmt_golongan=dt.date(2022, 11, 1))
    assert (employee.kind, employee.sex, employee.birth_date, employee.tmt_cpns) == (
        "PPPK", "P", dt.date(1990, 1, 15), None)


def test_the_position_must_belong_to_the_unit_or_its_subtree(org, users):
    assert create(users.admin_bkpsdm, unit=org.opd_a, position=org.staf_a).position == org.staf_a  # bidang ⊂ OPD
    with pytest.raises(InvalidFields) as exc:
        create(users.admin_bkpsdm, nip="197001012000031002", nik="", unit=org.bidang_a, position=org.staf_b)
    assert field_errors(exc)["position"] == [
        "Jabatan 'Pengadministrasi Beta' tidak berada di unit kerja 'Bidang Alpha Satu' atau sub-unitnya."]


def test_admin_opd_creates_only_inside_his_own_subtree(org, users):
    assert create(users.admin_opd_a, unit=org.bidang_a).unit == org.bidang_a
    with pytest.raises(InvalidFields) as exc:
        create(users.admin_opd_a, nip="197001012000031002", nik="", unit=org.opd_b)
    assert field_errors(exc)["unit"] == ["Unit kerja ini di luar cakupan Anda."]


@pytest.mark.parametrize("who", ["pimpinan", "inspektorat", "kabid", "staff_a"])
def test_only_personnel_admins_create_employees(org, users, who):
    with pytest.raises(Forbidden):
        create(getattr(users, who), unit=org.bidang_a)


# ---- update -------------------------------------------------------------------------------------------------

def test_a_promotion_appends_rank_history_and_audits_only_what_changed(org, users):
    employee = org.staff_a
    services.employee_update(actor=users.admin_opd_a, employee=employee,
                             data={"golongan": "III/b", "tmt_golongan": dt.date(2024, 4, 1)})
    employee.refresh_from_db()
    assert employee.golongan == "III/b"
    assert list(employee.rank_history.values_list("golongan", "tmt")) == [("III/b", dt.date(2024, 4, 1))]
    event = AuditEvent.objects.get(action="employees.updated")
    assert event.before == {"golongan": "III/a", "tmt_golongan": None}
    assert event.after == {"golongan": "III/b", "tmt_golongan": "2024-04-01"}
    assert AuditEvent.objects.filter(action="employees.history_added").count() == 1


def test_a_new_position_recomputes_the_retirement_date_and_appends_position_history(org, users):
    employee = org.kabid  # administrator: BUP 58
    before = employee.retirement_date
    services.employee_update(actor=users.admin_bkpsdm, employee=employee,
                             data={"unit": org.opd_a, "position": org.kepala_a, "tmt_jabatan": dt.date(2025, 1, 6)})
    employee.refresh_from_db()
    assert employee.retirement_date.year == before.year + 2  # JPT pratama: BUP 60
    assert employee.position_history.get().position_name == "Kepala Dinas Alpha"


def test_a_corrected_birth_date_moves_the_retirement_date(org, users):
    employee = services.employee_create(actor=users.admin_bkpsdm, data=employee_data(unit=org.bidang_a))
    services.employee_update(actor=users.admin_bkpsdm, employee=employee,
                             data={"nip": "198703152015051001", "birth_date": dt.date(1987, 3, 15)})
    employee.refresh_from_db()
    assert employee.retirement_date == dt.date(2045, 4, 1)


def test_changing_the_nik_is_audited_without_revealing_it(org, users):
    services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a, data={"nik": EXAMPLE_NIK})
    event = AuditEvent.objects.get(action="employees.updated")
    assert event.after == {"nik": "7471********0001"}
    assert EXAMPLE_NIK not in json.dumps([event.before, event.after])


def test_saving_without_changes_writes_nothing(org, users):
    employee = org.staff_a
    services.employee_update(actor=users.admin_bkpsdm, employee=employee,
                             data={"name": employee.name, "golongan": employee.golongan})
    assert not AuditEvent.objects.exists()


def test_a_refused_update_leaves_the_record_unchanged(org, users):
    employee = org.staff_a
    with pytest.raises(InvalidFields):
        services.employee_update(actor=users.admin_bkpsdm, employee=employee,
                                 data={"name": "Nama Baru", "nik": "123"})
    employee.refresh_from_db()
    assert employee.name != "Nama Baru"
    assert not AuditEvent.objects.exists()


def test_admin_opd_cannot_move_an_employee_out_of_his_subtree(org, users):
    with pytest.raises(InvalidFields) as exc:
        services.employee_update(actor=users.admin_opd_a, employee=org.staff_a, data={"unit": org.opd_b})
    assert field_errors(exc)["unit"] == ["Unit kerja ini di luar cakupan Anda."]


@pytest.mark.parametrize(("who", "target"), [("pimpinan", "staff_a"), ("inspektorat", "staff_a"),
                                             ("kabid", "staff_a"), ("staff_a", "staff_a"),
                                             ("admin_opd_a", "staff_b")])
def test_who_may_not_change_a_record(org, users, who, target):
    with pytest.raises(Forbidden):
        services.employee_update(actor=getattr(users, who), employee=getattr(org, target), data={"name": "X"})


# ---- photo --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "extension"), [(JPEG, ".jpg"), (PNG, ".png")])
def test_a_jpeg_or_png_photo_is_stored_under_our_own_name(org, users, media_root, content, extension):
    services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a, data={},
                             photo=upload(content, "../../etc/passwd.php", "image/jpeg"))
    org.staff_a.refresh_from_db()
    assert org.staff_a.photo.name.startswith("photos/") and org.staff_a.photo.name.endswith(extension)
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(GIF, "Foto harus berupa gambar JPEG atau PNG."), (EXE, "JPEG atau PNG"), (b"", "kosong"),
     (JPEG + b"0" * (1024 * 1024), "Foto terlalu besar (1,0 MB); batas 1,0 MB.")],
)
def test_a_photo_that_is_not_a_small_jpeg_or_png_is_refused(org, users, media_root, content, message):
    with pytest.raises(InvalidFields) as exc:
        services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a, data={"name": "Baru"},
                                 photo=upload(content, "foto.jpg", "image/jpeg"))
    assert any(message in m for m in field_errors(exc)["photo"])
    org.staff_a.refresh_from_db()
    assert org.staff_a.name != "Baru" and not org.staff_a.photo
    assert stored_files(media_root) == []


# ---- histories ----------------------------------------------------------------------------------------------

def add_rank(actor, employee, sk_file=None, **data):
    payload = {"golongan": "III/b", "tmt": dt.date(2023, 4, 1), "sk_number": "800/123/BKPSDM/2023",
               "sk_date": dt.date(2023, 3, 20), **data}
    return services.history_add(actor=actor, employee=employee, kind="pangkat", data=payload, sk_file=sk_file)


def test_a_rank_history_with_a_real_pdf_is_stored_and_audited(org, users, media_root):
    entry = add_rank(users.admin_opd_a, org.staff_a, sk_file=pdf_upload(name="SK kenaikan pangkat.pdf"))
    assert entry.sk_file.name.startswith("sk/") and entry.sk_file.name.endswith(".pdf")
    assert "kenaikan" not in entry.sk_file.name  # the uploader's file name never reaches the file system
    assert stored_files(media_root) == [entry.sk_file.name]
    event = AuditEvent.objects.get(action="employees.history_added")
    assert event.object_type == "employees.rankhistory" and event.after["sk_number"] == "800/123/BKPSDM/2023"


@pytest.mark.parametrize(
    ("sk_file", "message"),
    [
        (upload(PNG, "sk.pdf", "application/pdf"), "Berkas SK harus berupa PDF"),  # a scan renamed to .pdf
        (upload(EXE, "sk.pdf", "application/pdf"), "Berkas SK harus berupa PDF"),
        (upload(b"", "sk.pdf"), "Berkas SK kosong"),
        (pdf_upload(size=2 * 1024 * 1024 + 1), "Berkas SK terlalu besar (2,0 MB); batas 2,0 MB."),
    ],
)
def test_an_sk_that_is_not_a_pdf_or_too_large_is_refused_and_nothing_is_stored(org, users, media_root, sk_file,
                                                                                message):
    with pytest.raises(InvalidFields) as exc:
        add_rank(users.admin_bkpsdm, org.staff_a, sk_file=sk_file)
    assert any(message in m for m in field_errors(exc)["sk_file"])
    assert not RankHistory.objects.exists()
    assert stored_files(media_root) == []
    assert not AuditEvent.objects.exists()


def test_a_pdf_of_exactly_the_limit_is_accepted(org, users, media_root):
    add_rank(users.admin_bkpsdm, org.staff_a, sk_file=pdf_upload(size=2 * 1024 * 1024))
    assert RankHistory.objects.count() == 1


def test_an_sk_added_later_completes_the_entry_the_promotion_created(org, users, media_root):
    services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a,
                             data={"golongan": "III/b", "tmt_golongan": dt.date(2023, 4, 1)})
    entry = add_rank(users.admin_bkpsdm, org.staff_a, sk_file=pdf_upload())
    assert RankHistory.objects.get() == entry and entry.sk_file
    assert AuditEvent.objects.filter(action="employees.history_updated").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"golongan": "IX"}, "golongan", "Golongan PNS harus I/a–IV/e, bukan 'IX'."),
        ({"tmt": None}, "tmt", "TMT wajib diisi."),
        ({"tmt": "2023-04-01"}, "tmt", "TMT tidak valid."),
        ({"sk_date": dt.date.today() + dt.timedelta(days=1)}, "sk_date", "Tanggal SK tidak boleh di masa depan."),
    ],
)
def test_rank_history_fields_are_checked(org, users, data, field, message):
    with pytest.raises(InvalidFields) as exc:
        add_rank(users.admin_bkpsdm, org.staff_a, **data)
    assert field_errors(exc)[field] == [message]


def test_position_and_education_histories(org, users, media_root):
    services.history_add(actor=users.admin_bkpsdm, employee=org.staff_a, kind="jabatan",
                         data={"position_name": "Pengadministrasi Umum", "tmt": dt.date(2012, 1, 2)})
    assert PositionHistory.objects.get().unit_name == "Bidang Alpha Satu"  # defaults to the current unit
    services.history_add(actor=users.admin_bkpsdm, employee=org.staff_a, kind="pendidikan",
                         data={"level": "S1", "institution": "Universitas Halu Oleo", "graduation_year": 2008},
                         sk_file=pdf_upload())
    assert EducationHistory.objects.get().institution == "Universitas Halu Oleo"
    with pytest.raises(InvalidFields) as exc:
        services.history_add(actor=users.admin_bkpsdm, employee=org.staff_a, kind="pendidikan",
                             data={"level": "S9", "institution": "", "graduation_year": 1900})
    assert set(field_errors(exc)) == {"level", "institution", "graduation_year"}


def test_history_kinds_and_permissions(org, users):
    with pytest.raises(DomainError, match="Jenis riwayat tidak dikenal"):
        services.history_add(actor=users.admin_bkpsdm, employee=org.staff_a, kind="hukuman", data={})
    for who in ("pimpinan", "inspektorat", "kabid", "staff_a"):
        with pytest.raises(Forbidden):
            add_rank(getattr(users, who), org.staff_a)
    with pytest.raises(Forbidden):
        add_rank(users.admin_opd_a, org.staff_b)


# ---- NIK ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin_bkpsdm", "admin_opd_a", "inspektorat", "staff_a"])
def test_the_full_nik_is_revealed_to_those_allowed_and_every_reveal_is_audited(org, users, who):
    viewer = getattr(users, who)
    assert services.nik_reveal(viewer=viewer, employee=org.staff_a) == org.staff_a.nik
    event = AuditEvent.objects.get(action="employees.nik_viewed")
    assert (event.actor_id, event.object_id) == (viewer.pk, str(org.staff_a.pk))
    services.nik_reveal(viewer=viewer, employee=org.staff_a)
    assert AuditEvent.objects.filter(action="employees.nik_viewed").count() == 2


@pytest.mark.parametrize("who", ["pimpinan", "kabid", "staff_b"])
def test_pimpinan_and_the_atasan_do_not_see_the_full_nik(org, users, who):
    with pytest.raises(Forbidden):
        services.nik_reveal(viewer=getattr(users, who), employee=org.staff_a)
    assert not AuditEvent.objects.exists()


def test_admin_opd_does_not_see_the_nik_of_another_opd(org, users):
    with pytest.raises(Forbidden):
        services.nik_reveal(viewer=users.admin_opd_a, employee=org.staff_b)


def test_a_new_position_without_tmt_is_refused(org, users):
    other = PositionFactory(unit=org.bidang_a, parent=org.kabid_a)
    with pytest.raises(InvalidFields) as exc:
        services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a, data={"position": other})
    assert field_errors(exc) == {"tmt_jabatan": ["TMT jabatan wajib diisi bila jabatan diisi atau diubah."]}
