"""Geofence geometry used by attendance: distances in metres and point-in-polygon."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simasn.org import geo
from simasn.org.tests.factories import OfficeLocationFactory

KENDARI = (-3.99, 122.51)
METRES_PER_DEGREE = math.pi / 180 * geo.EARTH_RADIUS_M  # ≈ 111 195 m along a meridian


def test_same_point_is_zero_metres():
    assert geo.haversine_m(*KENDARI, *KENDARI) == 0


def test_one_hundredth_degree_north_of_kendari_is_about_1112_m():
    assert geo.haversine_m(*KENDARI, KENDARI[0] + 0.01, KENDARI[1]) == pytest.approx(1111.95, abs=0.1)


def test_one_degree_of_longitude_on_the_equator():
    assert geo.haversine_m(0, 122, 0, 123) == pytest.approx(METRES_PER_DEGREE, rel=1e-9)


def test_longitude_degree_shrinks_with_latitude_at_kendari():
    east = geo.haversine_m(*KENDARI, KENDARI[0], KENDARI[1] + 0.01)
    assert east == pytest.approx(0.01 * METRES_PER_DEGREE * math.cos(math.radians(3.99)), rel=1e-4)


def test_london_to_new_york_textbook_value():
    assert geo.haversine_m(51.5007, -0.1246, 40.6892, -74.0445) == pytest.approx(5_574_840, rel=1e-3)


def test_antipodes_are_half_the_circumference():
    assert geo.haversine_m(*KENDARI, 3.99, 122.51 - 180) == pytest.approx(math.pi * geo.EARTH_RADIUS_M, rel=1e-7)


coords = st.tuples(st.floats(-90, 90), st.floats(-180, 180))


@given(coords, coords)
def test_distance_is_symmetric_and_non_negative(a, b):
    d = geo.haversine_m(*a, *b)
    assert d >= 0
    assert d == pytest.approx(geo.haversine_m(*b, *a), abs=1e-6)
    assert d <= math.pi * geo.EARTH_RADIUS_M + 1e-6


# A square office compound of ~220 m around the city centre, and a concave "L" shape.
SQUARE = [[-3.989, 122.509], [-3.989, 122.511], [-3.991, 122.511], [-3.991, 122.509]]
L_SHAPE = [[0, 0], [0, 2], [1, 2], [1, 1], [2, 1], [2, 0]]


@pytest.mark.parametrize(("point", "inside"), [
    (KENDARI, True),
    ((-3.9895, 122.5105), True),
    ((-3.988, 122.51), False),  # ~110 m north of the north edge
    ((-3.99, 122.512), False),
    ((-3.989, 122.510), True),  # on the edge counts as inside
    ((-3.989, 122.509), True),  # a vertex
])
def test_point_in_square(point, inside):
    assert geo.point_in_polygon(*point, SQUARE) is inside


@pytest.mark.parametrize(("point", "inside"), [
    ((0.5, 0.5), True), ((0.5, 1.5), True), ((1.5, 0.5), True),
    ((1.5, 1.5), False),  # the notch of the L
    ((3, 3), False), ((-0.1, 0.5), False),
])
def test_point_in_concave_polygon(point, inside):
    assert geo.point_in_polygon(*point, L_SHAPE) is inside


def test_degenerate_polygon_contains_nothing():
    assert geo.point_in_polygon(0, 0, [[0, 0], [1, 1]]) is False


@pytest.mark.django_db
def test_geofence_circle_and_polygon():
    circle = OfficeLocationFactory(latitude=-3.99, longitude=122.51, radius_m=150)
    assert geo.contains(circle, -3.99 + 0.001, 122.51)  # ~111 m
    assert not geo.contains(circle, -3.99 + 0.002, 122.51)  # ~222 m
    fenced = OfficeLocationFactory(latitude=-3.99, longitude=122.51, radius_m=200, polygon=SQUARE)
    assert geo.contains(fenced, -3.9895, 122.5105)
    # inside the 200 m circle but outside the square
    assert not geo.contains(fenced, -3.99 + 0.0015, 122.51)
    assert geo.distance_to(fenced, -3.98, 122.51) == pytest.approx(1111.95, abs=0.1)
