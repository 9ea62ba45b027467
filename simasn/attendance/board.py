"""The live board: right now, per unit and for the whole scope, how many are present, late, not yet in and
away with a reason (cuti, sakit, dinas luar, tugas belajar); the latest check-ins and their flags.

Everything is read from today's daily records (one indexed date, grouped by unit in the database) and
today's events (the newest by id, so the cursor of the polling endpoint is the last event id seen). The
units are rolled up to the board's groups in Python by materialised-path prefix, like the Beranda does:
with 10,000 employees and a year of history that is a few milliseconds of SQL, not a scan of history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from simasn.core.selectors import opd_units
from simasn.org.models import OfficeLocation, Unit
from simasn.workcalendar.schedules import office_timezone

from .daily import EXCUSED_CODES
from .models import CheckInEvent, DailyRecord, EventStatus, ReviewStatus
from .selectors import ATASAN, CITY, MonitoringScope

LATEST = 15
_EXCUSED = list(EXCUSED_CODES)
_NOT_EXPECTED = ["L"]


@dataclass
class Counts:
    expected: int = 0  # working today (records that are not L)
    present: int = 0  # checked in (late ones included)
    late: int = 0
    not_yet: int = 0  # working today, no check-in (yet), no excuse
    away: int = 0  # C, S, DL, TB
    pending: int = 0  # days waiting for a review of a flagged event

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def present_percent(self) -> int:
        base = self.expected - self.away
        return round(100 * self.present / base) if base > 0 else 0


@dataclass
class GroupRow:
    unit: Unit | None  # None: employees outside every group (directly on the root)
    counts: Counts = field(default_factory=Counts)


@dataclass
class Board:
    day: dt.date
    scope: MonitoringScope
    unit: Unit | None  # the unit drilled into, if any
    total: Counts
    groups: list[GroupRow]
    latest: list[CheckInEvent]
    last_event_id: int
    flagged_today: int
    has_records: bool

    @property
    def version(self) -> str:
        """Changes when anything shown changes: the polling endpoint answers 204 while it is the same."""
        parts = [self.last_event_id, self.flagged_today, *vars(self.total).values()]
        for row in self.groups:
            parts.extend(vars(row.counts).values())
        return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:12]


def _record_counts() -> dict[str, Any]:
    arrived = Q(first_in__isnull=False) & ~Q(status__in=_EXCUSED + _NOT_EXPECTED)
    return {
        "expected": Count("id", filter=~Q(status__in=_NOT_EXPECTED)),
        "present": Count("id", filter=arrived),
        "late": Count("id", filter=arrived & Q(late_minutes__gt=0)),
        "not_yet": Count("id", filter=Q(first_in__isnull=True) & ~Q(status__in=_EXCUSED + _NOT_EXPECTED)),
        "away": Count("id", filter=Q(status__in=_EXCUSED)),
        "pending": Count("id", filter=Q(has_pending_review=True)),
    }


def _groups(scope: MonitoringScope, unit: Unit | None) -> list[Unit]:
    """The rows of the board: the children of the drilled unit (and itself); the OPD for the city; the
    admin's unit's children for an admin OPD; the bawahan's units for an atasan (grouped later)."""
    if unit is not None:
        return [unit, *Unit.objects.filter(parent=unit, is_active=True).order_by("name")]
    if scope.kind == CITY:
        return opd_units()
    if scope.unit is not None:
        return [scope.unit, *Unit.objects.filter(parent=scope.unit, is_active=True).order_by("name")]
    return []


def _group_of(path: str, by_path: dict[str, GroupRow]) -> GroupRow | None:
    segments = path.strip("/").split("/")
    for depth in range(len(segments), 0, -1):
        found = by_path.get("/" + "/".join(segments[:depth]) + "/")
        if found is not None:
            return found
    return None


def _of_day(day: dt.date) -> Q:
    """Events of the office's calendar day, from its midnight to the next (a board of a past day, or one read
    while the clock is mocked, must not count the events after it)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=office_timezone())
    return Q(server_time__gte=start, server_time__lt=start + dt.timedelta(days=1))


def board_data(*, scope: MonitoringScope, unit: Unit | None = None, now: dt.datetime | None = None) -> Board:
    """Today's board for a scope (optionally drilled into one unit inside it). A constant number of
    queries: grouped counts, the group units, the latest events, today's flagged count."""
    now = now or timezone.now()
    day = timezone.localtime(now, timezone.get_default_timezone()).date()
    employee_q = scope.employee_q("employee__")
    if unit is not None:
        employee_q &= Q(employee__unit__path__startswith=unit.path)

    # Grouped by the employee's unit id alone: joining the units and grouping by their path and name text
    # cost a third of the query (10,000 records a day), and the board needs only the ~250 units it shows.
    per_unit = list(DailyRecord.objects.filter(employee_q, date=day).order_by()
                    .values("employee__unit_id").annotate(**_record_counts()))
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[item["employee__unit_id"] for item in per_unit])
             .only("id", "name", "path")}
    group_units = _groups(scope, unit)
    by_path = {u.path: GroupRow(unit=u) for u in group_units}
    atasan_rows: dict[int, GroupRow] = {}
    loose = GroupRow(unit=None)
    total = Counts()
    for item in per_unit:
        counts = Counts(**{k: item[k] for k in Counts.__dataclass_fields__})
        total.add(counts)
        own_unit = units[item["employee__unit_id"]]
        if scope.kind == ATASAN and unit is None:
            row = atasan_rows.get(own_unit.pk)
            if row is None:
                row = atasan_rows[own_unit.pk] = GroupRow(unit=own_unit)
        else:
            row = _group_of(own_unit.path, by_path) or loose
        row.counts.add(counts)
    groups = list(atasan_rows.values()) if atasan_rows else [row for row in by_path.values() if row.counts.expected]
    groups.sort(key=lambda r: (-r.counts.expected, r.unit.name if r.unit else ""))
    if loose.counts.expected:
        groups.append(loose)

    events = CheckInEvent.objects.filter(employee_q, _of_day(day))
    latest = list(events.select_related("employee", "employee__unit")
                  .only("id", "kind", "source", "server_time", "status", "review_status", "flags", "location_name",
                        "distance_m", "employee__id", "employee__name", "employee__nip", "employee__unit__name")
                  # By time, so the newest events come from the server_time index even on a morning (or a
                  # weekend) without any event yet; ordering by id walked the whole primary key backwards.
                  .order_by("-server_time", "-id")[:LATEST])
    flagged = events.filter(status=EventStatus.FLAGGED, review_status=ReviewStatus.PENDING).count()
    return Board(day=day, scope=scope, unit=unit, total=total, groups=groups, latest=latest,
                 last_event_id=max((e.pk for e in latest), default=0), flagged_today=flagged,
                 has_records=total.expected > 0)


@dataclass(frozen=True)
class MapPoint:
    location: OfficeLocation
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class GridLine:
    position: float  # x for a meridian, y for a parallel
    label: str


@dataclass(frozen=True)
class LocationMap:
    """The office locations drawn to scale in an SVG of `width` × `height`: an equirectangular projection,
    which over a city's few kilometres is as good as any. No base map: its tiles would come from the internet
    (and CSP allows 'self' only); the grid of meridians and parallels and the scale bar give the bearings."""

    width: int
    height: int
    points: list[MapPoint]
    meridians: list[GridLine]
    parallels: list[GridLine]
    scale_px: float  # the length of scale_label on the map
    scale_label: str

    def dots(self) -> SafeString:
        """The dots as SVG, built here rather than in the template: a hundred and more circles, each with a
        translated plural in its tooltip, took ~10 ms of template rendering on the city board. Only the names
        are text; every other value is a number."""
        labels: dict[int, str] = {}
        out = []
        for p in self.points:
            loc, n = p.location, p.location.checkins_today
            label = labels.get(n)
            if label is None:
                label = labels[n] = ngettext("%(n)s presensi hari ini", "%(n)s presensi hari ini", n) % {"n": n}
            unit = loc.unit.name if loc.unit_id else ""
            out.append(f'<a href="#lokasi-{loc.pk}"><circle class="board-map-{"busy" if n else "idle"}" '
                       f'cx="{p.x}" cy="{p.y}" r="{p.r}" data-location="{loc.pk}">'
                       f"<title>{escape(loc.name)} ({escape(unit)}): {escape(label)}</title></circle></a>")
        return mark_safe("".join(out))  # noqa: S308 - names escaped above, the rest are numbers


MAP_WIDTH, MAP_PAD, MAP_MIN_HEIGHT, MAP_MAX_HEIGHT = 640, 28, 220, 460
_GRID_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
_SCALE_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
KM_PER_DEGREE = 111.32


def _grid(low: float, high: float) -> list[float]:
    step = next((s for s in _GRID_STEPS if (high - low) / s <= 6), _GRID_STEPS[-1])
    first = math.ceil(low / step) * step
    return [round(first + i * step, 6) for i in range(int((high - first) / step) + 1)]


def location_map(locations: list[OfficeLocation]) -> LocationMap | None:
    """The map of `locations` (with `checkins_today` set, see office_locations): a dot per location, larger
    with more check-ins today. None without locations."""
    if not locations:
        return None
    lats = [loc.latitude for loc in locations]
    lons = [loc.longitude for loc in locations]
    # A lone office (or several at one spot) still gets a ~1 km frame around it.
    margin = 0.005
    south, north = min(lats) - margin, max(lats) + margin
    west, east = min(lons) - margin, max(lons) + margin
    shrink = math.cos(math.radians((south + north) / 2))  # a degree of longitude is shorter off the equator
    span_x, span_y = (east - west) * shrink, north - south
    scale = (MAP_WIDTH - 2 * MAP_PAD) / span_x
    height = round(min(max(span_y * scale + 2 * MAP_PAD, MAP_MIN_HEIGHT), MAP_MAX_HEIGHT))
    scale = min(scale, (height - 2 * MAP_PAD) / span_y)
    left = (MAP_WIDTH - span_x * scale) / 2
    top = (height - span_y * scale) / 2

    def x_of(lon: float) -> float:
        return round(left + (lon - west) * shrink * scale, 1)

    def y_of(lat: float) -> float:
        return round(top + (north - lat) * scale, 1)

    points = [MapPoint(loc, x_of(loc.longitude), y_of(loc.latitude),
                       round(min(4 + 1.5 * math.sqrt(getattr(loc, "checkins_today", 0)), 16), 1))
              for loc in locations]
    points.sort(key=lambda p: -p.r)  # small dots drawn last, on top of large ones
    km = next((k for k in _SCALE_KM if k / KM_PER_DEGREE * scale >= 60), _SCALE_KM[-1])
    return LocationMap(
        width=MAP_WIDTH, height=height, points=points,
        meridians=[GridLine(x_of(lon), f"{lon:.3f}°") for lon in _grid(west, east)],
        parallels=[GridLine(y_of(lat), f"{lat:.3f}°") for lat in _grid(south, north)],
        scale_px=round(km / KM_PER_DEGREE * scale, 1), scale_label=f"{km:g} km")


def office_locations(*, scope: MonitoringScope, unit: Unit | None = None, day: dt.date | None = None
                     ) -> list[OfficeLocation]:
    """The active office locations of the scope with today's check-in count at each (two queries); drawn by
    location_map and listed in a table."""
    day = day or timezone.localdate()
    qs = (OfficeLocation.objects.filter(is_active=True).select_related("unit")
          .only("id", "name", "latitude", "longitude", "radius_m", "unit__id", "unit__name", "unit__path"))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    elif scope.kind != CITY:
        qs = qs.filter(unit__path__startswith=scope.unit.path) if scope.unit else qs.none()
    locations = list(qs.order_by("unit__path", "name"))
    if locations:
        counts = dict(CheckInEvent.objects.filter(_of_day(day), location_id__in=[loc.pk for loc in locations])
                      .order_by()
                      .values_list("location_id").annotate(n=Count("id")).values_list("location_id", "n"))
        for loc in locations:
            loc.checkins_today = counts.get(loc.pk, 0)
    return locations

