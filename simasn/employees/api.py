"""Employee API (/api/v1/employees): the same selectors and permissions as the pages, JSON in and out.

The NIK is always masked here and SK scans are never linked by storage path: full NIK views and document
reads go through the audited pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from . import selectors
from .models import Employee, EmployeeKind, EmployeeStatus
from .rules_data import GOLONGAN_BY_CODE, golongan_label, retirement_age
from .services import Forbidden, mask_nik

router = Router(tags=["employees"])

MAX_PAGE_SIZE = 100


class Ref(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    nip: str
    full_name: str


class EmployeeListItemOut(Schema):
    id: int
    nip: str
    kind: str
    full_name: str
    name: str
    golongan: str
    status: str
    unit: Ref
    position: Ref | None
    retirement_date: dt.date | None


class EmployeeListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[EmployeeListItemOut]


class EmployeeFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Nama atau awal NIP")
    unit_id: int | None = Field(None, description="Unit kerja, termasuk sub-unitnya")
    golongan: str | None = Field(None, description="Kode golongan, mis. III/a atau IX")
    kind: EmployeeKind | None = None
    status: EmployeeStatus | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("golongan")
    @classmethod
    def known_golongan(cls, value: str | None) -> str | None:
        if value and value not in GOLONGAN_BY_CODE:
            raise ValueError(f"Golongan '{value}' tidak dikenal.")
        return value or None


class SKOut(Schema):
    id: int
    sk_number: str
    sk_date: dt.date | None
    has_sk_file: bool

    @staticmethod
    def resolve_has_sk_file(obj: Any) -> bool:
        return bool(obj.sk_file)


class RankHistoryOut(SKOut):
    golongan: str
    golongan_label: str
    tmt: dt.date

    @staticmethod
    def resolve_golongan_label(obj: Any) -> str:
        return golongan_label(obj.golongan)


class PositionHistoryOut(SKOut):
    position_name: str
    unit_name: str
    tmt: dt.date


class EducationHistoryOut(SKOut):
    level: str
    institution: str
    major: str
    graduation_year: int


class PositionOut(Ref):
    jabatan_type: str
    jf_level: str
    kelas_jabatan: int


class EmployeeDetailOut(EmployeeListItemOut):
    front_title: str
    back_title: str
    nik_masked: str
    birth_place: str
    birth_date: dt.date
    sex: str
    golongan_label: str
    position: PositionOut | None
    tmt_cpns: dt.date | None
    tmt_pns: dt.date | None
    tmt_golongan: dt.date | None
    tmt_jabatan: dt.date | None
    education_level: str
    address: str
    phone: str
    email: str
    has_photo: bool
    atasan: list[PersonRef]
    rank_history: list[RankHistoryOut]
    position_history: list[PositionHistoryOut]
    education_history: list[EducationHistoryOut]

    @staticmethod
    def resolve_nik_masked(obj: Employee) -> str:
        return mask_nik(obj.nik)

    @staticmethod
    def resolve_golongan_label(obj: Employee) -> str:
        return golongan_label(obj.golongan) if obj.golongan else ""

    @staticmethod
    def resolve_has_photo(obj: Employee) -> bool:
        return bool(obj.photo)


class RetirementOut(Schema):
    employee_id: int
    birth_date: dt.date
    jabatan_type: str | None
    jf_level: str | None
    bup_age: int
    retirement_date: dt.date | None


def _get(request: HttpRequest, employee_id: int) -> Employee:
    return selectors.employee_get_for(viewer=request.user, pk=employee_id)


@router.get("", response=EmployeeListOut, summary="Daftar pegawai dalam cakupan pengguna")
def list_employees(request: HttpRequest, filters: Query[EmployeeFilters]) -> dict[str, Any]:
    if not request.user.has_perm("employees.list_employees"):
        raise Forbidden("Anda tidak berwenang melihat daftar pegawai.")
    qs: QuerySet[Employee] = selectors.employee_list(
        viewer=request.user, q=filters.q, unit_id=filters.unit_id, golongan=filters.golongan,
        kind=filters.kind, status=filters.status,
    )
    start = (filters.page - 1) * filters.page_size
    return {"count": qs.count(), "page": filters.page, "page_size": filters.page_size,
            "results": list(qs[start:start + filters.page_size])}


@router.get("/{int:employee_id}", response=EmployeeDetailOut, summary="Profil satu pegawai (NIK disamarkan)")
def get_employee(request: HttpRequest, employee_id: int) -> Employee:
    employee = selectors.employee_with_histories(_get(request, employee_id))
    employee.atasan = list(selectors.atasan_of(employee))
    return employee


@router.get("/{int:employee_id}/retirement", response=RetirementOut, summary="Batas usia dan tanggal pensiun")
def get_retirement(request: HttpRequest, employee_id: int) -> dict[str, Any]:
    employee = _get(request, employee_id)
    position = employee.position
    jabatan_type = position.jabatan_type if position else None
    jf_level = (position.jf_level or None) if position else None
    return {"employee_id": employee.pk, "birth_date": employee.birth_date, "jabatan_type": jabatan_type,
            "jf_level": jf_level, "bup_age": retirement_age(jabatan_type, jf_level),
            "retirement_date": employee.retirement_date}
