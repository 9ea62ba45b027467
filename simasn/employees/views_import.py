"""Pages for importing employees from .xlsx/.csv and exporting the list. Thin: the work is in
`importing` and `exporting`. Anyone who may not import sees a 404, as for an object out of scope."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from simasn.accounts.scopes import is_personnel_admin, unit_filter
from simasn.core.errors import DomainError, NotFound
from simasn.org.models import Unit

from . import exporting, importing, selectors
from .forms import EmployeeFilterForm
from .models import ImportBatch

PREVIEW_ROWS = 20
SHOWN_ERRORS = 500
RUNNING = (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas pegawai (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )


def _require_importer(request: HttpRequest) -> None:
    if not is_personnel_admin(request.user):
        raise Http404


def _batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    _require_importer(request)
    try:
        return importing.batch_get_for(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.batch_create(actor=request.user, uploaded_file=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            if batch.row_errors:
                messages.warning(request, _("Berkas terbaca, tetapi ada baris yang salah. Perbaiki lalu unggah ulang."))
            else:
                messages.success(request, _("Berkas terbaca tanpa kesalahan. Periksa pratinjau lalu simpan."))
            return redirect("employees:import_detail", pk=batch.pk)
    context = {
        "form": form,
        "batches": importing.batch_list_for(viewer=request.user),
        "max_mb": importing.reader.max_import_bytes() // (1024 * 1024),
        "columns": importing.COLUMNS,
    }
    return render(request, "employees/import_upload.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    units = Unit.objects.filter(unit_filter(request.user), is_active=True).order_by("path").values_list("code", "name")
    response = HttpResponse(importing.template_workbook(units=units), content_type=exporting.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pegawai.xlsx"'
    return response


def _detail_context(batch: ImportBatch) -> dict:
    errors = batch.row_errors
    return {
        "batch": batch,
        "errors": errors[:SHOWN_ERRORS],
        "errors_total": len(errors),
        "error_rows": len({e["row"] for e in errors}),
        "is_running": batch.status in RUNNING,
        "percent": min(100, round(100 * batch.processed_rows / batch.total_rows)) if batch.total_rows else 0,
        "can_commit": batch.status in importing.batches.STARTABLE and not errors and batch.total_rows > 0,
        "inline_limit": importing.inline_row_limit(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    if request.method == "POST":
        try:
            batch = importing.batch_start_commit(actor=request.user, batch=batch)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if batch.status == ImportBatch.Status.DONE:
                messages.success(request, _("Impor selesai: %(created)d pegawai baru, %(updated)d diperbarui.")
                                 % {"created": batch.created_count, "updated": batch.updated_count})
            elif batch.status in RUNNING:
                messages.info(request, _("Impor sedang diproses di latar belakang; halaman ini menampilkan "
                                         "kemajuannya."))
            elif batch.status == ImportBatch.Status.FAILED:
                messages.error(request, _("Impor gagal; tidak ada data pegawai yang berubah."))
        return redirect("employees:import_detail", pk=batch.pk)
    context = _detail_context(batch)
    if batch.status in (ImportBatch.Status.PREVIEW, ImportBatch.Status.FAILED) and batch.valid_rows:
        context["preview_rows"] = importing.batch_preview_rows(batch, limit=PREVIEW_ROWS)
    return render(request, "employees/import_detail.html", context)


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    response = render(request, "employees/import_detail.html#status", _detail_context(batch))
    if batch.status in (ImportBatch.Status.PREVIEW, ImportBatch.Status.FAILED):
        # The run ended without saving (stale preview or failure): reload so errors and the button show.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    if not exporting.can_export(request.user):
        raise Http404
    fmt = request.GET.get("fmt", "xlsx")
    data = request.GET.copy()
    if "unit_id" in data and "unit" not in data:
        data["unit"] = data["unit_id"]  # the list page calls it "unit"; the API and older links "unit_id"
    form = EmployeeFilterForm(data, units=list(selectors.filter_options(request.user)))
    try:
        content, filename, content_type = exporting.export_employees(viewer=request.user, fmt=fmt, **form.filters())
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
