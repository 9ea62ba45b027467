"""Shared set-up of the capture tests: the URLconf that mounts the attendance API and pages, a schedule for
the staff, an office, device tokens, check-in bodies and JPEG selfies.

Until the project mounts the attendance router (config/api.py) and the capture pages (config/urls.py), the
tests mount them the same way themselves; once the project does, its own URLconf is used unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from django.urls import include, path
from ninja import NinjaAPI
from ninja.responses import NinjaJSONEncoder
from PIL import Image, ImageDraw

from config import api as project_api
from config import urls as project_urls
from simasn.accounts.api_auth import BearerDeviceAuth, SessionAuth
from simasn.accounts.services import device_token_issue
from simasn.attendance.api import router as attendance_router
from simasn.org.tests.factories import OfficeLocationFactory
from simasn.workcalendar.tests.schedule_helpers import assign, standard_schedules

WITA = ZoneInfo("Asia/Makassar")
FIXTURES = Path(__file__).parent / "fixtures"
# Kantor Dinas Alpha (a made-up point in Kendari) and a point ~1.1 km east of it.
OFFICE = (-3.9700, 122.5150)
FAR = (-3.9700, 122.5250)
API = "/api/v1/attendance"

urlpatterns = list(project_urls.urlpatterns)
if not any(router is attendance_router for _prefix, router in project_api.api._routers):
    _api = NinjaAPI(title="SIMASN API (uji presensi)", version="uji-presensi", auth=[BearerDeviceAuth(), SessionAuth()],
                    urls_namespace="api_attendance_uji")
    for _exc, _handler in project_api.api._exception_handlers.items():
        _api.add_exception_handler(_exc, _handler)
    _api.add_router("/", attendance_router)
    urlpatterns.insert(0, path("api/v1/attendance/", _api.urls))
if not any(getattr(p, "namespace", None) == "attendance_capture" for p in urlpatterns):
    urlpatterns.append(path("presensi/", include("simasn.attendance.urls_capture")))
handler403, handler404, handler500 = project_urls.handler403, project_urls.handler404, project_urls.handler500

URLCONF = __name__


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=WITA)


def working_monday() -> dt.date:
    """A Monday that is no national holiday in the seeded table (tests build their own table: none)."""
    return dt.date(2026, 3, 9)


def office_for(unit, *, point=OFFICE, radius_m: int = 150, name: str = "Kantor Dinas Alpha"):
    return OfficeLocationFactory(unit=unit, name=name, latitude=point[0], longitude=point[1], radius_m=radius_m)


def five_day_schedule(unit):
    schedules = standard_schedules()
    assign(schedules.five_day, unit=unit, start=dt.date(2025, 1, 1))
    return schedules


def token_for(user, device_id: str = "ponsel-uji-1") -> str:
    _token, raw = device_token_issue(user=user, device_id=device_id)
    return raw


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def body(*, kind: str = "in", client_time: dt.datetime, point=OFFICE, accuracy: float = 12.0, mock: bool = False,
         client_id: str | None = None, photo: str | None = None, **extra) -> dict:
    data = {
        "client_id": client_id or str(uuid.uuid4()), "kind": kind, "client_time": client_time.isoformat(),
        "latitude": point[0], "longitude": point[1], "accuracy_m": accuracy, "mock_location": mock,
    }
    if photo is not None:
        data["photo"] = photo
    data.update(extra)
    return data


def face_jpeg() -> bytes:
    """A selfie with a face (a crop of NASA's public-domain astronaut portrait, see fixtures/README.md)."""
    return (FIXTURES / "face.jpg").read_bytes()


def jpeg(width: int = 200, height: int = 200, *, seed: int = 0, quality: int = 85) -> bytes:
    """A JPEG without a face: stripes and a box whose layout depends on the seed (distinct dHashes)."""
    image = Image.new("RGB", (width, height), (200, 200, 200))
    draw = ImageDraw.Draw(image)
    for i in range(8):
        shade = (37 * (i + seed) * (seed + 3)) % 256
        draw.rectangle([i * width // 8, 0, (i + 1) * width // 8, height], fill=(shade, 255 - shade, (shade * 7) % 256))
    draw.rectangle([width // 4, (seed * 13) % (height // 2), width // 2, height // 2 + (seed * 7) % (height // 3)],
                   fill=(10, 10, 10))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def assert_is_a_checkin_out(response) -> None:
    """The answer is rendered without ninja's response validation (api._checkin_response): it must be exactly
    what CheckInOut would have let through, key for key."""
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    from simasn.attendance.api import CheckInOut

    through_schema = json.loads(json.dumps(CheckInOut.model_validate(data).model_dump(), cls=NinjaJSONEncoder))
    assert through_schema == data


MONDAY = working_monday()
NOW = at(MONDAY, "07:20")  # where the `now` fixture (conftest.py) sets the server's clock


def post(client, data, token: str, **extra):
    """POST a check-in (a dict, or raw text for the bad-input tests) with a device token."""
    raw = data if isinstance(data, (bytes, str)) else json.dumps(data)
    response = client.post(f"{API}/check-ins", raw, content_type="application/json", **bearer(token), **extra)
    if response.status_code in (200, 201):
        assert_is_a_checkin_out(response)
    return response


def checkin_history(employee, days: int) -> None:
    """A year-like history: an arrival (07:15) and a departure on each of `days` days before MONDAY, with
    their records."""
    from simasn.attendance.models import CheckInEvent
    from simasn.attendance.recompute import recompute_days

    events = []
    for i in range(1, days + 1):
        day = MONDAY - dt.timedelta(days=i)
        for kind, hhmm in (("in", "07:15"), ("out", "16:05")):
            events.append(CheckInEvent(employee=employee, kind=kind, server_time=at(day, hhmm),
                                       client_time=at(day, hhmm), work_date=day, client_id=uuid.uuid4(),
                                       latitude=OFFICE[0], longitude=OFFICE[1], accuracy_m=10))
    CheckInEvent.objects.bulk_create(events)
    if days:
        recompute_days([employee.pk], MONDAY - dt.timedelta(days=days), MONDAY - dt.timedelta(days=1),
                       now=at(MONDAY, "06:00"))
