"""The check-in checks, one fixture that triggers each rule and one that must not (issue 4). Pure: no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from simasn.attendance import checks
from simasn.attendance.checks import CheckContext, PhotoMatch, Place, Position, PriorEvent, Window
from simasn.attendance.rules_data import CHECKS, FLAG_LABELS

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 3, 9, 7, 20, tzinfo=WITA)
OFFICE = Place("office", "Kantor Dinas Alpha", -3.97, 122.515, 150, location_id=1)
AT_OFFICE = Position(-3.9701, 122.5151, 12.0)  # ~16 m from the centre
ONE_KM_EAST = Position(-3.97, 122.5250, 12.0)  # ~1.1 km


def ctx(**changes) -> CheckContext:
    """An ordinary good check-in: inside the office, on time, fresh, nothing unusual."""
    base = CheckContext(
        kind="in", source="mobile", server_time=NOW, client_time=NOW - dt.timedelta(seconds=3),
        position=AT_OFFICE, places=(OFFICE,),
        window=Window(NOW.replace(hour=7, minute=0), NOW.replace(hour=8, minute=0)),
        local_minutes=7 * 60 + 20,
    )
    return dataclasses.replace(base, **changes)


def prior(minutes_ago: float, kind: str = "in", position: Position | None = AT_OFFICE, pk: int = 1) -> PriorEvent:
    return PriorEvent(pk, kind, NOW - dt.timedelta(minutes=minutes_ago),
                      position.latitude if position else None, position.longitude if position else None)


HISTORY = tuple(float(7 * 60 + 15 + (i % 5) - 2) for i in range(20))  # arrivals 07:13–07:17

# (code, fixture that triggers it, fixture that must not)
CASES = [
    ("OUTSIDE_GEOFENCE", ctx(position=ONE_KM_EAST), ctx()),
    ("OUTSIDE_GEOFENCE", ctx(places=()), ctx()),  # fail closed: no allowed location at all
    ("OUTSIDE_GEOFENCE", ctx(position=None), ctx()),  # fail closed: no position
    ("OUTSIDE_GEOFENCE", ctx(position=None, proven_location_id=99), ctx(position=None, proven_location_id=1)),
    ("OUTSIDE_GEOFENCE",
     ctx(places=(dataclasses.replace(OFFICE, polygon=[[-3.9705, 122.5140], [-3.9705, 122.5145],
                                                      [-3.9700, 122.5145]]),)),
     ctx(places=(dataclasses.replace(OFFICE, polygon=[[-3.9710, 122.5140], [-3.9710, 122.5160],
                                                      [-3.9690, 122.5160], [-3.9690, 122.5140]]),))),
    ("LOW_ACCURACY", ctx(position=Position(-3.9701, 122.5151, CHECKS.max_accuracy_m + 1)),
     ctx(position=Position(-3.9701, 122.5151, CHECKS.max_accuracy_m))),
    ("MOCK_LOCATION", ctx(mock_location=True), ctx(mock_location=False)),
    # 1.1 km in 60 s is 66 km/h... in 10 s it is ~400 km/h.
    ("IMPOSSIBLE_TRAVEL", ctx(position=ONE_KM_EAST, recent=(prior(10 / 60),)),
     ctx(position=ONE_KM_EAST, recent=(prior(1),))),
    ("IMPOSSIBLE_TRAVEL", ctx(position=ONE_KM_EAST, recent=(prior(0.1, position=None, pk=2), prior(0.15))),
     ctx(position=AT_OFFICE, recent=(prior(0.1),))),  # GPS noise within the accuracy is no travel
    ("SHARED_DEVICE", ctx(device_id="hp-1", other_employees_on_device=(7,)), ctx(device_id="hp-1")),
    ("PHOTO_REUSE", ctx(photo_present=True, photo_matches=(PhotoMatch(5, 7, CHECKS.photo_hash_max_distance),)),
     ctx(photo_present=True, photo_matches=(PhotoMatch(5, 7, CHECKS.photo_hash_max_distance + 1),))),
    ("NO_FACE", ctx(photo_present=True, faces=0), ctx(photo_present=True, faces=1)),
    ("NO_FACE", ctx(photo_present=True, faces=0), ctx(photo_present=False, faces=0)),  # no selfie, no face check
    ("CLOCK_SKEW", ctx(client_time=NOW + dt.timedelta(seconds=CHECKS.max_clock_skew_seconds + 30)),
     ctx(client_time=NOW + dt.timedelta(seconds=CHECKS.max_clock_skew_seconds - 30))),
    # Measured from the phone's send time: its clock is 10 minutes slow although it sent at once.
    ("CLOCK_SKEW", ctx(client_time=NOW - dt.timedelta(minutes=10), sent_at=NOW - dt.timedelta(minutes=10)),
     ctx(client_time=NOW - dt.timedelta(minutes=10), sent_at=NOW)),
    ("LATE_SYNC", ctx(client_time=NOW - dt.timedelta(minutes=CHECKS.max_sync_delay_minutes + 1)),
     ctx(client_time=NOW - dt.timedelta(minutes=CHECKS.max_sync_delay_minutes - 1))),
    # A slow clock is not a late sync when the send time shows the phone sent it at once.
    ("LATE_SYNC", ctx(client_time=NOW - dt.timedelta(hours=2), sent_at=NOW),
     ctx(client_time=NOW - dt.timedelta(hours=2), sent_at=NOW - dt.timedelta(hours=2))),
    ("OUTSIDE_WINDOW", ctx(server_time=NOW.replace(hour=8, minute=1)), ctx(server_time=NOW.replace(hour=8, minute=0))),
    ("OUTSIDE_WINDOW", ctx(server_time=NOW.replace(hour=6, minute=59)), ctx(server_time=NOW.replace(hour=7))),
    ("OUTSIDE_WINDOW", ctx(has_schedule=False, window=None), ctx()),
    ("ON_LEAVE", ctx(on_leave={"kind": "cuti", "leave_type": "tahunan", "request_id": 3}), ctx(on_leave=None)),
    ("DUPLICATE", ctx(recent=(prior(CHECKS.duplicate_window_minutes - 1),)),
     ctx(recent=(prior(CHECKS.duplicate_window_minutes + 1),))),
    ("DUPLICATE", ctx(recent=(prior(1),)), ctx(recent=(prior(1, kind="out"),))),  # in then out is no duplicate
    ("ARRIVAL_OUTLIER", ctx(arrival_minutes=HISTORY, local_minutes=5 * 60),
     ctx(arrival_minutes=HISTORY, local_minutes=7 * 60 + 40)),
    ("ARRIVAL_OUTLIER", ctx(arrival_minutes=HISTORY, local_minutes=5 * 60),
     ctx(arrival_minutes=HISTORY[: CHECKS.outlier_min_history - 1], local_minutes=5 * 60)),  # too little history
    ("ARRIVAL_OUTLIER", ctx(arrival_minutes=HISTORY, local_minutes=5 * 60),
     ctx(kind="out", arrival_minutes=HISTORY, local_minutes=5 * 60)),  # departures are not arrivals
]


@pytest.mark.parametrize(("code", "triggers", "clean"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_triggers_on_one_fixture_and_not_on_the_other(code, triggers, clean):
    assert code in checks.run_checks(triggers).flags
    assert code not in checks.run_checks(clean).flags


def test_every_flag_code_has_exactly_one_rule_and_a_label():
    codes = [code for code, _rule in checks.RULES]
    assert sorted(codes) == sorted(FLAG_LABELS)
    assert len(codes) == len(set(codes))
    assert {c[0] for c in CASES} == set(FLAG_LABELS)


def test_a_good_check_in_is_accepted_and_counts_at_the_office():
    verdict = checks.run_checks(ctx())
    assert verdict.flags == [] and verdict.status == "accepted"
    assert verdict.geofence.place == OFFICE
    assert 0 < verdict.geofence.distance_m < 50


def test_outside_geofence_explains_the_distance_to_the_nearest_place():
    verdict = checks.run_checks(ctx(position=ONE_KM_EAST))
    assert verdict.status == "flagged"
    detail = verdict.details["OUTSIDE_GEOFENCE"]
    assert detail["nearest"] == "Kantor Dinas Alpha" and 1000 < detail["distance_m"] < 1200


def test_the_nearest_containing_place_wins():
    dinas_luar = Place("dinas_luar", "Hotel Tujuan", -3.9710, 122.5160, 300, request_id=9)
    verdict = checks.run_checks(ctx(places=(dinas_luar, OFFICE)))
    assert verdict.geofence.place == OFFICE  # both contain the point; the office centre is nearer


def test_only_runs_the_named_rules():
    verdict = checks.run_checks(ctx(position=None, mock_location=True), only=frozenset({"MOCK_LOCATION"}))
    assert verdict.flags == ["MOCK_LOCATION"]


def test_impossible_travel_reports_the_speed():
    detail = checks.run_checks(ctx(position=ONE_KM_EAST, recent=(prior(10 / 60),))).details["IMPOSSIBLE_TRAVEL"]
    assert detail["speed_kmh"] > CHECKS.max_speed_kmh and detail["previous_event_id"] == 1
