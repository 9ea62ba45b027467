"""Geofence geometry: great-circle distance and point-in-polygon, in plain Python.

Office geofences are a few hundred metres across, so a spherical Earth (haversine) is accurate to well
under a metre there, and treating lat/lng as planar coordinates inside a polygon that small is exact
enough for deciding whether a phone stands inside an office compound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

# Mean Earth radius (IUGG), metres.
EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def point_in_polygon(lat: float, lng: float, polygon: Sequence[Sequence[float]]) -> bool:
    """Ray casting: is (lat, lng) inside the polygon of [lat, lng] vertices? Points on an edge count as inside."""
    n = len(polygon)
    if n < 3:
        return False
    inside = False
    for i in range(n):
        y1, x1 = polygon[i][0], polygon[i][1]
        y2, x2 = polygon[(i + 1) % n][0], polygon[(i + 1) % n][1]
        if _on_segment(lat, lng, y1, x1, y2, x2):
            return True
        # Count crossings of a ray going east (+lng) from the point.
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < x_cross:
                inside = not inside
    return inside


def _on_segment(py: float, px: float, y1: float, x1: float, y2: float, x2: float, eps: float = 1e-12) -> bool:
    cross = (px - x1) * (y2 - y1) - (py - y1) * (x2 - x1)
    if abs(cross) > eps:
        return False
    return min(x1, x2) - eps <= px <= max(x1, x2) + eps and min(y1, y2) - eps <= py <= max(y1, y2) + eps


class Geofence(Protocol):
    latitude: float
    longitude: float
    radius_m: int
    polygon: list | None


def distance_to(fence: Geofence, lat: float, lng: float) -> float:
    """Metres from the fence's centre to the point."""
    return haversine_m(fence.latitude, fence.longitude, lat, lng)


def contains(fence: Geofence, lat: float, lng: float) -> bool:
    """Is the point inside the fence? Within the radius and, when the location has a polygon, inside it too
    (the polygon narrows the circle to the compound's real outline)."""
    if distance_to(fence, lat, lng) > fence.radius_m:
        return False
    if fence.polygon:
        return point_in_polygon(lat, lng, fence.polygon)
    return True
