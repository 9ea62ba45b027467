"""The REST API at /api/v1/: one ninja Router per app, JSON errors everywhere, never a 500 for bad input."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from simasn.accounts.api import router as accounts_router
from simasn.accounts.api_auth import BearerDeviceAuth, SessionAuth
from simasn.attendance.api import router as attendance_router
from simasn.core.api import router as core_router
from simasn.core.errors import DomainError
from simasn.employees.api import router as employees_router
from simasn.leave.api import router as leave_router
from simasn.notifications.api import router as notifications_router
from simasn.org.api import router as org_router
from simasn.performance.api import router as performance_router
from simasn.workcalendar.api import router as calendar_router

api = NinjaAPI(
    title="SIMASN API",
    version="1",
    description="Sistem Informasi Manajemen ASN — Pemerintah Kota Kendari",
    auth=[BearerDeviceAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    errors = [
        {"loc": [str(p) for p in e.get("loc", [])], "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": "Data yang dikirim tidak valid.", "code": "validation_error", "errors": errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, {"detail": "Autentikasi diperlukan.", "code": "unauthorized"}, status=401)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": "Data tidak ditemukan.", "code": "not_found"}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    return api.create_response(request, {"detail": str(exc), "code": "error"}, status=exc.status_code)


# Attendance first: ninja's URL patterns are tried in this order, and the check-in is the API's busiest call
# (its resolution went from ~55 tried patterns to a handful).
api.add_router("/attendance", attendance_router)
api.add_router("/", core_router)
api.add_router("/", accounts_router)
api.add_router("/org", org_router)
api.add_router("/employees", employees_router)
api.add_router("/calendar", calendar_router)
api.add_router("/leave", leave_router)
api.add_router("/notifications", notifications_router)
api.add_router("/skp", performance_router)
