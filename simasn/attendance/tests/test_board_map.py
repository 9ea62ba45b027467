"""The board's map of office locations: drawn to scale (a kilometre east is as long as a kilometre north),
north up, every location inside the frame, busier locations as larger dots."""

from __future__ import annotations

import math

import pytest
from django.urls import reverse

from simasn.attendance.board import KM_PER_DEGREE, MAP_WIDTH, location_map
from simasn.org.models import OfficeLocation

pytestmark = pytest.mark.urls("simasn.attendance.tests.urls_records")

KENDARI = (-3.9722, 122.5149)


def place(name: str, north_km: float = 0, east_km: float = 0, checkins: int = 0) -> OfficeLocation:
    lat = KENDARI[0] + north_km / KM_PER_DEGREE
    lon = KENDARI[1] + east_km / (KM_PER_DEGREE * math.cos(math.radians(KENDARI[0])))
    loc = OfficeLocation(pk=len(name), name=name, latitude=lat, longitude=lon, radius_m=100)
    loc.checkins_today = checkins
    return loc


def by_name(drawn) -> dict:
    return {p.location.name: p for p in drawn.points}


def test_no_locations_no_map():
    assert location_map([]) is None


def test_north_is_up_east_is_right_and_kilometres_are_equal_both_ways():
    drawn = location_map([place("Pusat"), place("Utara", north_km=3), place("Timur", east_km=3)])
    p = by_name(drawn)
    assert p["Utara"].y < p["Pusat"].y and p["Utara"].x == pytest.approx(p["Pusat"].x, abs=0.2)
    assert p["Timur"].x > p["Pusat"].x and p["Timur"].y == pytest.approx(p["Pusat"].y, abs=0.2)
    north_px, east_px = p["Pusat"].y - p["Utara"].y, p["Timur"].x - p["Pusat"].x
    assert north_px == pytest.approx(east_px, rel=0.01)
    # The scale bar agrees with the drawing: its label's kilometres are that many pixels.
    km = float(drawn.scale_label.split()[0])
    assert drawn.scale_px == pytest.approx(km * north_px / 3, rel=0.01)


def test_every_dot_lies_inside_the_frame_even_for_a_tall_city():
    drawn = location_map([place("Selatan", north_km=-20), place("Utara", north_km=25, east_km=1)])
    for p in drawn.points:
        assert 0 < p.x < drawn.width and 0 < p.y < drawn.height
    assert drawn.width == MAP_WIDTH and drawn.height <= 460


def test_a_lone_office_sits_in_the_middle():
    drawn = location_map([place("Satu-satunya")])
    (point,) = drawn.points
    assert point.x == pytest.approx(drawn.width / 2, abs=1) and point.y == pytest.approx(drawn.height / 2, abs=1)


def test_busier_locations_are_larger_dots_up_to_a_cap():
    p = by_name(location_map([place("Sepi"), place("Ramai", east_km=1, checkins=100),
                              place("Sedang", east_km=2, checkins=9), place("Padat", east_km=3, checkins=10_000)]))
    assert p["Sepi"].r < p["Sedang"].r < p["Ramai"].r <= p["Padat"].r == 16


def test_grid_lines_are_labelled_in_degrees_within_the_frame():
    drawn = location_map([place("A"), place("B", north_km=8, east_km=8)])
    assert 2 <= len(drawn.meridians) <= 7 and 2 <= len(drawn.parallels) <= 7
    assert all(line.label.endswith("°") and "." in line.label for line in drawn.meridians + drawn.parallels)
    assert all(0 <= line.position <= drawn.width for line in drawn.meridians)


def test_the_board_page_draws_a_dot_per_location(org, users, client_for):
    OfficeLocation.objects.create(unit=org.opd_a, name="Kantor Dinas Alpha", latitude=-3.99, longitude=122.51,
                                  radius_m=100)
    OfficeLocation.objects.create(unit=org.opd_b, name="Kantor Badan Beta", latitude=-3.97, longitude=122.52,
                                  radius_m=100)
    html = client_for(users.pimpinan).get(reverse("attendance:board")).text
    assert 'id="peta-lokasi"' in html and html.count("<circle ") == 2
    assert "Kantor Badan Beta (Badan Beta): 0 presensi hari ini" in html
    assert 'href="#lokasi-' in html and 'id="tabel-lokasi"' in html
