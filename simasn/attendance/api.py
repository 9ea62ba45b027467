"""Attendance API (/api/v1/attendance): check-ins from phones and kiosk scans, the caller's own days, and
the review queue of flagged check-ins.

The check-in bodies are parsed here, not by ninja: the size is checked from Content-Length before the body
is read (a 10 MB body is a JSON 413, not Django's HTML 400), and the JSON is validated by strict pydantic
models (no coercion: `true` or `"91"` is not a number; NaN, Infinity and 1e309 are refused; unknown
fields are refused). Every refusal is a 4xx JSON answer and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder
from pydantic import UUID4, AwareDatetime, BaseModel, ConfigDict, StringConstraints
from pydantic import Field as PydanticField
from pydantic import ValidationError as PydanticValidationError

from simasn.core.errors import DomainError

from . import capture, kiosk, review, selectors_capture
from .models import CheckInEvent
from .rules_data import CHECKS

router = Router(tags=["presensi"])

# The largest body a check-in can honestly need: the biggest selfie in base64 plus the other fields.
MAX_BODY_BYTES = (CHECKS.max_photo_bytes * 4) // 3 + 16 * 1024
DEVICE_ID_HEADER = "HTTP_X_DEVICE_ID"
SENT_AT_HEADER = "HTTP_X_CLIENT_SENT_AT"


class BodyTooLarge(DomainError):
    status_code = 413

    def __init__(self) -> None:
        super().__init__(f"Data yang dikirim terlalu besar (batas {MAX_BODY_BYTES // 1024} KB).",
                         code="body_too_large")


class UnsupportedMediaType(DomainError):
    status_code = 415

    def __init__(self) -> None:
        super().__init__("Kirim data sebagai JSON (Content-Type: application/json).", code="unsupported_media_type")


StrictModel = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
Base64Text = Annotated[str, StringConstraints(min_length=0, max_length=(CHECKS.max_photo_bytes * 4) // 3 + 64)]


class CheckInIn(BaseModel):
    model_config = StrictModel

    client_id: UUID4
    kind: Literal["in", "out"]
    client_time: AwareDatetime
    latitude: float = PydanticField(ge=-90, le=90)
    longitude: float = PydanticField(ge=-180, le=180)
    accuracy_m: float = PydanticField(gt=0, le=100_000)
    mock_location: bool
    photo: Base64Text | None = PydanticField(None, description="Swafoto JPEG dalam base64 (opsional)")


class KioskCheckInIn(BaseModel):
    model_config = StrictModel

    client_id: UUID4
    kind: Literal["in", "out"]
    qr: Annotated[str, StringConstraints(min_length=1, max_length=1000)] = PydanticField(
        description="Isi QR yang dipindai: alamat halaman pindai (…/presensi/kios/pindai/?qr=…) atau kodenya saja")
    client_time: AwareDatetime


class ReviewIn(BaseModel):
    model_config = StrictModel

    decision: Literal["accept", "reject"]
    note: Annotated[str, StringConstraints(max_length=review.MAX_NOTE)] = ""


class ErrorOut(Schema):
    detail: str
    code: str


class LocationOut(Schema):
    id: int | None
    name: str
    distance_m: float | None


class CheckInOut(Schema):
    id: int
    status: Literal["accepted", "flagged"]
    flags: list[str]
    flag_labels: list[str]
    server_time: dt.datetime
    location: LocationOut | None
    daily: dict[str, Any]


class PlaceOut(Schema):
    id: int | None = Field(None, description="Lokasi kantor (org); kosong untuk lokasi dinas luar/fleksibel")
    request_id: int | None = Field(None, description="Permohonan dinas luar / kerja fleksibel")
    kind: str
    name: str
    latitude: float
    longitude: float
    radius_m: int
    polygon: list | None


class ScheduleOut(Schema):
    name: str
    start: dt.datetime
    end: dt.datetime
    checkin_open: dt.datetime
    checkin_close: dt.datetime
    checkout_open: dt.datetime
    checkout_close: dt.datetime
    grace_minutes: int


class TodayEventOut(Schema):
    id: int
    kind: str
    source: str
    server_time: dt.datetime
    status: str
    review_status: str
    flags: list[str]
    flag_labels: list[str]
    location_name: str


class TodayOut(Schema):
    date: dt.date
    server_time: dt.datetime
    schedule: ScheduleOut | None
    events: list[TodayEventOut]
    daily: dict[str, Any]


class DayOut(Schema):
    date: dt.date
    status: str
    status_label: str
    codes: list[str]
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    late_minutes: int
    early_minutes: int
    worked_minutes: int
    deduction_percent: str
    has_pending_review: bool
    is_closed: bool


class EmployeeRefOut(Schema):
    id: int
    nip: str
    name: str
    unit: str


class ReviewItemOut(Schema):
    id: int
    employee: EmployeeRefOut
    kind: str
    source: str
    server_time: dt.datetime
    client_time: dt.datetime | None
    work_date: dt.date
    flags: list[str]
    flag_labels: list[str]
    flag_details: dict[str, Any]
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    location_name: str
    distance_m: float | None
    has_photo: bool
    review_status: str
    review_note: str
    reviewed_at: dt.datetime | None


def _review_item(event: Any) -> dict:
    return {
        "id": event.pk,
        "employee": {"id": event.employee_id, "nip": event.employee.nip, "name": event.employee.name,
                     "unit": event.employee.unit.name},
        "kind": event.kind, "source": event.source, "server_time": event.server_time,
        "client_time": event.client_time, "work_date": event.work_date, "flags": event.flags,
        "flag_labels": capture.checks.flag_labels(event.flags), "flag_details": event.flag_details,
        "latitude": event.latitude, "longitude": event.longitude, "accuracy_m": event.accuracy_m,
        "location_name": event.location_name, "distance_m": event.distance_m, "has_photo": bool(event.photo),
        "review_status": event.review_status, "review_note": event.review_note, "reviewed_at": event.reviewed_at,
    }


# --- request helpers ------------------------------------------------------------------------------------------


def _body_doc(model: type[BaseModel]) -> dict:
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": model.model_json_schema()}}}}


def parse_json(request: HttpRequest, model: type[BaseModel], *, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """The body validated by a strict model; 413 / 415 / 422 JSON errors, never Django's HTML pages."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise BodyTooLarge()
    if declared and request.content_type != "application/json":
        raise UnsupportedMediaType()
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise BodyTooLarge() from exc
    if len(body) > max_bytes:
        raise BodyTooLarge()
    try:
        return model.model_validate_json(body)
    except PydanticValidationError as exc:
        raise NinjaValidationError([
            {"loc": ["body", *exc_loc], "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False, include_input=False)
            for exc_loc in [[str(p) for p in e["loc"]]]
        ]) from exc


def _device_id(request: HttpRequest) -> str:
    token = getattr(request, "device_token", None)
    if token is not None:
        return token.device_id
    claimed = (request.META.get(DEVICE_ID_HEADER) or "").strip()
    return claimed[:128] if claimed.isprintable() else ""


def _sent_at(request: HttpRequest) -> dt.datetime | None:
    raw = request.META.get(SENT_AT_HEADER)
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise capture.CheckInInvalid("Header X-Client-Sent-At harus berupa waktu ISO 8601 dengan zona waktu.",
                                     code="invalid_sent_at")
    return value


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut,
          422: dict}


# --- check-ins ------------------------------------------------------------------------------------------------


def _checkin_response(result: capture.CheckInResult) -> HttpResponse:
    """The answer as ninja would render it (its encoder, its content type), without ninja validating it again
    through CheckInOut: `capture.checkin_answer` builds exactly that shape (the capture tests check every
    answer against the schema), and the second pass cost ~0.2 ms of a check-in's ~3 ms of CPU."""
    return HttpResponse(json.dumps(capture.checkin_answer(result), cls=NinjaJSONEncoder),
                        status=201 if result.created else 200, content_type="application/json; charset=utf-8")


@router.post("/check-ins", response={201: CheckInOut, 200: CheckInOut, **ERRORS}, openapi_extra=_body_doc(CheckInIn),
             summary="Presensi masuk/pulang dari ponsel (idempoten per client_id)", url_name="attendance_check_in")
def check_in(request: HttpRequest):
    payload: CheckInIn = parse_json(request, CheckInIn)
    result = capture.checkin_record(user=request.auth, data=capture.CheckInData(**payload.model_dump()),
                                    device_id=_device_id(request), sent_at=_sent_at(request))
    return _checkin_response(result)


@router.post("/kiosk-check-ins", response={201: CheckInOut, 200: CheckInOut, **ERRORS},
             openapi_extra=_body_doc(KioskCheckInIn), summary="Presensi dengan memindai QR kios kantor",
             url_name="attendance_kiosk_check_in")
def kiosk_check_in(request: HttpRequest):
    payload: KioskCheckInIn = parse_json(request, KioskCheckInIn, max_bytes=16 * 1024)
    # The address and the bare code are one body: a retry may send either.
    data = capture.CheckInData(**{**payload.model_dump(), "qr": kiosk.token_from_scan(payload.qr)})
    result = capture.kiosk_checkin_record(user=request.auth, data=data, device_id=_device_id(request),
                                          sent_at=_sent_at(request))
    return _checkin_response(result)


@router.get("/my-locations", response={200: list[PlaceOut], **ERRORS}, summary="Lokasi presensi yang berlaku hari ini")
def my_locations(request: HttpRequest):
    return selectors_capture.my_locations(capture.employee_for_user(request.auth))


@router.get("/today", response={200: TodayOut, **ERRORS}, summary="Presensi saya hari ini")
def today(request: HttpRequest):
    return selectors_capture.my_today(capture.employee_for_user(request.auth))


@router.get("/days", response={200: list[DayOut], **ERRORS}, summary="Rekap harian saya dalam satu bulan")
def days(request: HttpRequest, month: str | None = None):
    year, number = selectors_capture.parse_month(month)
    return selectors_capture.my_days(capture.employee_for_user(request.auth), year, number)


# --- review queue ------------------------------------------------------------------------------------------------


@router.get("/reviews", response={200: list[ReviewItemOut], **ERRORS},
            summary="Presensi ditandai yang menunggu tinjauan")
def review_list(request: HttpRequest, limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    events = review.review_queue(viewer=request.auth)[offset:offset + limit]
    return [_review_item(e) for e in events]


@router.post("/reviews/{event_id}", response={200: ReviewItemOut, **ERRORS}, openapi_extra=_body_doc(ReviewIn),
             summary="Terima atau tolak presensi yang ditandai")
def review_decide(request: HttpRequest, event_id: int):
    payload: ReviewIn = parse_json(request, ReviewIn, max_bytes=16 * 1024)
    event = review.event_review(actor=request.auth, pk=event_id, decision=payload.decision, note=payload.note)
    return _review_item(CheckInEvent.objects.select_related("employee", "employee__unit").get(pk=event.pk))
