"""Office locations: coordinates in range and finite, radius 10–5000 m, an optional polygon inside the
circle, and one of Indonesia's three time zones."""

import math
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from simasn.core.errors import DomainError, NotFound
from simasn.core.models import AuditEvent
from simasn.org import selectors, services
from simasn.org.models import OfficeLocation
from simasn.org.rules import Forbidden
from simasn.org.tests.factories import OfficeLocationFactory

pytestmark = pytest.mark.django_db

SQUARE = [[-3.9895, 122.5095], [-3.9895, 122.5105], [-3.9905, 122.5105], [-3.9905, 122.5095]]


def create(actor, unit, **overrides):
    data = {"name": "Kantor Wali Kota", "latitude": -3.99, "longitude": 122.51, "radius_m": 150} | overrides
    return services.location_create(actor=actor, unit=unit, **data)


def test_create_valid_location(org, users):
    loc = create(users.admin_bkpsdm, org.opd_a, polygon=SQUARE, timezone="WITA", latitude=Decimal("-3.99"))
    assert loc.timezone == OfficeLocation.TimeZone.WITA and loc.polygon == SQUARE and loc.latitude == -3.99
    assert AuditEvent.objects.get(action="org.location.create").after["radius_m"] == 150


@pytest.mark.parametrize(("field", "value", "message"), [
    ("latitude", 91, "Lintang harus antara"),
    ("latitude", -90.0001, "Lintang harus antara"),
    ("longitude", 181, "Bujur harus antara"),
    ("longitude", -180.5, "Bujur harus antara"),
    ("latitude", math.nan, "angka desimal yang valid"),
    ("longitude", math.inf, "angka desimal yang valid"),
    ("latitude", "-3.99", "angka desimal yang valid"),
    ("latitude", True, "angka desimal yang valid"),
    ("radius_m", 0, "Radius harus bilangan bulat 10 sampai 5000"),
    ("radius_m", 9, "Radius harus"),
    ("radius_m", 5001, "Radius harus"),
    ("radius_m", 100.5, "Radius harus"),
    ("timezone", "UTC", "Zona waktu harus WIB, WITA atau WIT"),
    ("name", "", "Nama lokasi wajib diisi"),
])
def test_bad_values_are_refused(org, users, field, value, message):
    with pytest.raises(DomainError) as exc:
        create(users.admin_bkpsdm, org.opd_a, **{field: value})
    assert exc.value.field == field and message in exc.value.message
    assert not OfficeLocation.objects.exists()


@pytest.mark.parametrize(("polygon", "message"), [
    ([[-3.99, 122.51], [-3.991, 122.51]], "paling sedikit 3 titik"),
    ([[-3.99, 122.51], [-3.99, 122.51], [-3.99, 122.51], [-3.99, 122.51]], "paling sedikit 3 titik"),
    ([[-3.99, 122.51], [-3.991, 122.51], [91, 122.51]], "Titik ke-3 poligon di luar jangkauan"),
    ([[-3.99, 122.51], [-3.991, 122.51], [-3.99, 181]], "Titik ke-3 poligon di luar jangkauan"),
    ([[-3.99, 122.51], [-3.991], [-3.99, 122.511]], "Titik ke-2 poligon harus berupa pasangan"),
    ([[-3.99, 122.51], ["a", 1], [-3.99, 122.511]], "Titik ke-2"),
    ([[-3.99, 122.51], [math.nan, 122.5], [-3.99, 122.511]], "Titik ke-2"),
    ("[[1,2],[3,4],[5,6]]", "daftar titik"),
    ([[-3.990, 122.510], [-3.9901, 122.5101], [-3.9902, 122.5102]], "segaris"),
    ([[-3.98, 122.51], [-3.99, 122.52], [-4.0, 122.51]], "di dalam radius 150 m"),
])
def test_bad_polygons_are_refused(org, users, polygon, message):
    with pytest.raises(DomainError) as exc:
        create(users.admin_bkpsdm, org.opd_a, polygon=polygon)
    assert exc.value.field == "polygon" and message in exc.value.message


def test_closing_point_is_dropped(org, users):
    loc = create(users.admin_bkpsdm, org.opd_a, polygon=[*SQUARE, SQUARE[0]])
    assert loc.polygon == SQUARE


def test_every_error_is_reported_at_once(org, users):
    with pytest.raises(DomainError) as exc:
        create(users.admin_bkpsdm, org.opd_a, latitude=91, longitude=181, radius_m=0)
    assert {e["field"] for e in exc.value.errors} == {"latitude", "longitude", "radius_m"}


def test_update_validates_the_merged_values(org, users):
    loc = OfficeLocationFactory(unit=org.opd_a, radius_m=500)
    with pytest.raises(DomainError, match="Radius harus"):
        services.location_update(actor=users.admin_bkpsdm, location=loc, radius_m=6000)
    updated = services.location_update(actor=users.admin_bkpsdm, location=loc, radius_m=80, timezone="WIT")
    assert updated.radius_m == 80 and updated.timezone == OfficeLocation.TimeZone.WIT
    event = AuditEvent.objects.get(action="org.location.update")
    assert (event.before["radius_m"], event.after["radius_m"]) == (500, 80)


def test_scope(org, users):
    create(users.admin_opd_a, org.bidang_a)
    other = OfficeLocationFactory(unit=org.opd_b)
    with pytest.raises(NotFound):
        create(users.admin_opd_a, org.opd_b)
    with pytest.raises(NotFound):
        services.location_update(actor=users.admin_opd_a, location=other, name="x")
    with pytest.raises(Forbidden):
        create(users.pimpinan, org.opd_a)


def test_locations_for_unit_line(org):
    dinas = OfficeLocationFactory(unit=org.opd_a, name="Kantor Dinas")
    bidang = OfficeLocationFactory(unit=org.bidang_a, name="Ruang Bidang")
    OfficeLocationFactory(unit=org.opd_b)
    OfficeLocationFactory(unit=org.bidang_a, is_active=False)
    assert list(selectors.office_locations_for_unit_line(org.bidang_a)) == [bidang, dinas]
    assert list(selectors.office_locations(unit=org.opd_a, include_subtree=True)) == [dinas, bidang]


def test_database_refuses_a_radius_out_of_range_even_past_the_service(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeLocation.objects.create(unit=org.opd_a, name="x", latitude=0, longitude=0, radius_m=5)
