"""Pages of the employee master data. Views translate HTTP to selectors/services and back, nothing more:
a missing or out-of-scope employee is a 404, a visible one the viewer may not change is a 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.core.errors import DomainError, NotFound

from . import exporting, selectors, services
from .files import sniff_content_type
from .forms import HISTORY_FORMS, EmployeeFilterForm, EmployeeForm, employee_initial
from .models import Employee
from .services import Forbidden, InvalidFields

PAGE_SIZE = 25
RETIREMENT_PAGE_SIZE = 50
MAX_RETIREMENT_MONTHS = 120


def _employee_or_404(request: HttpRequest, pk: int) -> Employee:
    try:
        return selectors.employee_get_for(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _show_errors(form: Form, exc: DomainError) -> None:
    """Put a service refusal back on the form, next to the field it concerns."""
    field_errors = exc.field_errors if isinstance(exc, InvalidFields) else {exc.field or "__all__": [exc.message]}
    for field, msgs in field_errors.items():
        for message in msgs:
            form.add_error(field if field in form.fields else None, message)


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def employee_list(request: HttpRequest) -> HttpResponse:
    _require(request, "employees.list_employees")
    units = list(selectors.filter_options(request.user))
    form = EmployeeFilterForm(request.GET, units=units)
    employees = selectors.employee_list(viewer=request.user, **form.filters())
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "total": page.paginator.count, "query": _query_without_page(request),
               "can_create": request.user.has_perm("employees.create_employee"),
               "can_export": exporting.can_export(request.user)}
    if not _wants_fragment(request):
        response = render(request, "employees/list.html", context)
    else:
        response = render(request, "employees/list.html#results", context)
        # The address bar gets the filters that matter, not every empty field of the form.
        clean = request.GET.copy()
        for key in [k for k, v in clean.items() if not v]:
            del clean[key]
        response["HX-Push-Url"] = f"{request.path}?{clean.urlencode()}" if clean else request.path
    patch_vary_headers(response, ["HX-Request"])
    return response


def _profile(request: HttpRequest, employee: Employee, *, own: bool = False) -> HttpResponse:
    user = request.user
    can_add_history = user.has_perm("employees.add_history", employee)
    context = {
        "employee": selectors.employee_with_histories(employee),
        "atasan": list(selectors.atasan_of(employee)),
        "subordinates": list(selectors.visible_subordinates_of(viewer=user, employee=employee)),
        "own_profile": own,
        "can_edit": user.has_perm("employees.edit_employee", employee),
        "can_view_nik": user.has_perm("employees.view_nik", employee),
        "can_add_history": can_add_history,
        "history_forms": {kind: cls(employee=employee, auto_id=f"id_{kind}_%s") for kind, cls in HISTORY_FORMS.items()}
        if can_add_history else {},
    }
    return render(request, "employees/detail.html", context)


@login_required
@require_GET
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile(request, _employee_or_404(request, pk))


@login_required
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    me = selectors.own_employee(request.user)
    if me is None:
        return render(request, "employees/no_profile.html", status=404)
    return _profile(request, _employee_or_404(request, me.pk), own=True)


def _form_page(request: HttpRequest, form: EmployeeForm, employee: Employee | None) -> HttpResponse:
    if _wants_fragment(request) and request.GET.get("positions"):
        return render(request, "employees/form.html#position-options", {"form": form})
    return render(request, "employees/form.html", {"form": form, "employee": employee})


@login_required
@require_http_methods(["GET", "POST"])
def employee_create(request: HttpRequest) -> HttpResponse:
    _require(request, "employees.create_employee")
    if request.method != "POST":
        return _form_page(request, EmployeeForm(actor=request.user, initial=request.GET.dict()), None)
    form = EmployeeForm(request.POST, request.FILES, actor=request.user)
    if form.is_valid():
        try:
            employee = services.employee_create(actor=request.user, data=form.service_data(),
                                                photo=form.cleaned_data.get("photo"))
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Pegawai %(name)s berhasil ditambahkan.") % {"name": employee.full_name})
            return redirect("employees:detail", pk=employee.pk)
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee_or_404(request, pk)
    _require(request, "employees.edit_employee", employee)
    if request.method != "POST":
        initial = {**employee_initial(employee), **request.GET.dict()}
        return _form_page(request, EmployeeForm(actor=request.user, initial=initial, stored=employee), employee)
    form = EmployeeForm(request.POST, request.FILES, actor=request.user, stored=employee)
    if form.is_valid():
        data = form.service_data()
        if not data.get("nik"):
            data.pop("nik", None)  # the edit page never carries the stored NIK; empty means "unchanged"
        try:
            services.employee_update(actor=request.user, employee=employee, data=data,
                                     photo=form.cleaned_data.get("photo"))
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Data pegawai berhasil disimpan."))
            return redirect("employees:detail", pk=employee.pk)
    return _form_page(request, form, employee)


@login_required
@require_POST
def reveal_nik(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee_or_404(request, pk)
    try:
        nik = services.nik_reveal(viewer=request.user, employee=employee)
    except Forbidden as exc:
        raise PermissionDenied from exc
    template = "employees/detail.html#nik-full" if _wants_fragment(request) else "employees/nik.html"
    response = render(request, template, {"employee": employee, "nik": nik})
    response["Cache-Control"] = "no-store"
    return response


def _private_file(field_file: Any, filename: str) -> FileResponse:
    handle = field_file.open("rb")
    content_type = sniff_content_type(handle.read(16))
    handle.seek(0)
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee_or_404(request, pk)
    _require(request, "employees.view_documents", employee)
    if not employee.photo or not employee.photo.storage.exists(employee.photo.name):
        raise Http404(_("Foto belum diunggah."))
    return _private_file(employee.photo, f"foto-{employee.nip}")


@login_required
@require_GET
def history_sk(request: HttpRequest, pk: int, kind: str, hid: int) -> HttpResponse:
    try:
        entry = services.history_sk_open(viewer=request.user, employee_pk=pk, kind=kind, pk=hid)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not entry.sk_file.storage.exists(entry.sk_file.name):
        raise Http404(_("Berkas SK tidak ditemukan di penyimpanan."))
    return _private_file(entry.sk_file, f"SK-{kind}-{entry.employee.nip}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def history_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    form_class = HISTORY_FORMS.get(kind)
    if form_class is None:
        raise Http404
    employee = _employee_or_404(request, pk)
    _require(request, "employees.add_history", employee)
    if request.method != "POST":
        form = form_class(employee=employee)
    else:
        form = form_class(request.POST, request.FILES, employee=employee)
        if form.is_valid():
            try:
                services.history_add(actor=request.user, employee=employee, kind=kind, data=form.service_data(),
                                     sk_file=form.cleaned_data.get("sk_file"))
            except DomainError as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, _("Riwayat berhasil disimpan."))
                return redirect(f"{reverse('employees:detail', args=[employee.pk])}#riwayat-{kind}")
    return render(request, "employees/history_form.html", {"form": form, "employee": employee, "kind": kind})


@login_required
@require_GET
def retirements(request: HttpRequest) -> HttpResponse:
    _require(request, "employees.view_retirements")
    raw = request.GET.get("months", "")
    months = int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_RETIREMENT_MONTHS else 12
    employees = selectors.upcoming_retirements(viewer=request.user, within_months=months)
    page = Paginator(employees, RETIREMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "employees/retirements.html", {
        "page": page, "total": page.paginator.count, "months": months, "max_months": MAX_RETIREMENT_MONTHS,
        "bad_months": bool(raw) and str(months) != raw,
    })
