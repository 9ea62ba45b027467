import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import calc
from .audit import ChainReport, audit_verify
from .forms import AuditFilterForm, CalculatorForm
from .selectors import audit_diff, audit_event_list, home_data

AUDIT_PAGE_SIZE = 50


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"data": home_data(viewer=request.user)})


@login_required
@require_GET
def calculators(request: HttpRequest) -> HttpResponse:
    items = sorted(calc.REGISTRY.values(), key=lambda c: c.title)
    return render(request, "core/calculators.html", {"calculators": items})


@login_required
@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest, name: str) -> HttpResponse:
    calculator = calc.REGISTRY.get(name)
    if calculator is None:
        raise Http404(_("Kalkulator tidak ditemukan."))
    result = error = None
    if request.method == "POST":
        form = CalculatorForm(request.POST)
        if form.is_valid():
            try:
                result = json.dumps(calculator.compute(form.cleaned_data["payload"]), ensure_ascii=False, indent=2)
            except calc.CalcInputError as exc:
                error = str(exc)
    else:
        form = CalculatorForm(initial={"payload": json.dumps(calculator.example, ensure_ascii=False, indent=2)})
    headers, rows = calculator.rule_table() if calculator.rule_table else ([], [])
    context = {"calc": calculator, "form": form, "result": result, "error": error,
               "table_headers": headers, "table_rows": rows}
    template = "core/calculator.html#result" if request.htmx else "core/calculator.html"
    return render(request, template, context)


def _chain_message(report: ChainReport) -> str:
    if report.ok:
        return _("Rantai audit utuh: %(n)s entri diperiksa.") % {"n": report.checked}
    return _("Rantai audit RUSAK pada entri #%(id)s: %(reason)s. %(n)s entri sebelumnya utuh.") % {
        "id": report.first_broken_id, "reason": report.reason,
        "n": report.checked,
    }


@login_required
@require_http_methods(["GET", "POST"])
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.view_audit_log"):
        raise PermissionDenied
    chain = None
    if request.method == "POST":
        # Verification reads the whole chain, so it runs only when someone asks for it.
        report = audit_verify()
        chain = {"ok": report.ok, "message": _chain_message(report)}
        if request.htmx:
            return render(request, "core/audit_log.html#verify", {"chain": chain})
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list(viewer=request.user, filters=form.filters())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("hal"))
    rows = [(event, audit_diff(event.before, event.after)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("hal", None)
    context = {"form": form, "page": page, "rows": rows, "chain": chain, "query": query.urlencode()}
    template = "core/audit_log.html#results" if request.htmx and request.method == "GET" else "core/audit_log.html"
    return render(request, template, context)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            db_ok = cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any database failure means "not healthy", never a 500
        db_ok = False
    return JsonResponse({"status": "ok" if db_ok else "error", "db": db_ok}, status=200 if db_ok else 503)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
