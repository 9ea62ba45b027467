"""Alur Persetujuan: the effective approval-route table, BKPSDM's edits of it, and "coba alur" — which
officials a given employee's request would reach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.core.errors import DomainError, NotFound

from .. import route_selectors, route_services
from ..route_forms import RouteForm, TryForm, show_route_error, split_target, steps_initial, target_choices
from ._common import call

EDIT_METHODS = require_http_methods(["GET", "POST"])


def _require_viewer(request: HttpRequest) -> None:
    if not route_selectors.can_view_routes(request.user):
        raise PermissionDenied(_("Anda tidak berwenang melihat alur persetujuan."))


def _require_editor(request: HttpRequest) -> None:
    if not route_selectors.can_edit_routes(request.user):
        raise PermissionDenied(_("Hanya admin BKPSDM yang dapat mengubah alur persetujuan."))


def _on_form(form: Any, action: Any) -> Any:
    try:
        return call(action)
    except DomainError as exc:
        show_route_error(form, exc)
        return None


def _tried(request: HttpRequest, form: TryForm) -> Any:
    """The chain the try box asks for, or None with the reason on the form."""
    if not form.is_valid():
        return None
    kind, leave_type = split_target(form.cleaned_data["target"])
    try:
        return route_selectors.route_try(viewer=request.user, nip=form.cleaned_data["nip"], kind=kind,
                                         leave_type=leave_type)
    except NotFound as exc:
        form.add_error("nip", exc.message)
        form.mark_invalid()
    except DomainError as exc:
        show_route_error(form, exc)
    return None


def _page(request: HttpRequest, try_form: TryForm, tried: Any = None) -> HttpResponse:
    return render(request, "leave/routes.html", {
        "rows": route_selectors.route_table(),
        "can_edit": route_selectors.can_edit_routes(request.user),
        "try_form": try_form,
        "tried": tried,
        "max_steps": route_services.MAX_ROUTE_STEPS,
    })


@login_required
@require_GET
def routes(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    return _page(request, TryForm(initial={"target": "cuti:tahunan"}))


@login_required
@require_GET
def route_try(request: HttpRequest) -> HttpResponse:
    """The try box: a fragment for HTMX, the whole page (result in place) without JavaScript."""
    _require_viewer(request)
    form = TryForm(request.GET)
    tried = _tried(request, form)
    if request.htmx:
        return render(request, "leave/routes_try.html", {"try_form": form, "tried": tried})
    return _page(request, form, tried)


def _form_page(request: HttpRequest, form: RouteForm, route: Any = None) -> HttpResponse:
    return render(request, "leave/routes_form.html", {
        "form": form,
        "route": route,
        "title": route_selectors.route_title(route.kind, route.leave_type, route.jabatan_type) if route else "",
    })


@login_required
@EDIT_METHODS
def route_create(request: HttpRequest) -> HttpResponse:
    """Add a route; "Ubah" on a default row lands here with its key and steps filled in."""
    _require_editor(request)
    if request.method == "POST":
        form = RouteForm(request.POST)
        if form.is_valid():
            created = _on_form(form, lambda: route_services.route_create(actor=request.user,
                                                                         **form.create_kwargs()))
            if created is not None:
                messages.success(request, _("Alur %(route)s disimpan; berlaku untuk permohonan yang diajukan "
                                            "sesudah ini.") % {"route": route_selectors.route_title(
                                                created.kind, created.leave_type, created.jabatan_type)})
                return redirect("leave:routes")
        return _form_page(request, form)
    target = request.GET.get("jenis") or "cuti:"
    if target not in {value for value, _label in _flat(target_choices())}:
        target = "cuti:"
    jabatan = request.GET.get("jabatan") or ""
    kind, leave_type = split_target(target)
    initial = {"target": target, "jabatan_type": jabatan,
               **steps_initial(route_selectors.default_steps(kind, leave_type))}
    return _form_page(request, RouteForm(initial=initial))


def _flat(choices: list[tuple[Any, Any]]) -> list[tuple[str, str]]:
    flat: list[tuple[str, str]] = []
    for value, label in choices:
        if isinstance(label, list):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


@login_required
@EDIT_METHODS
def route_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    route = call(lambda: route_selectors.route_get(viewer=request.user, pk=pk))
    if request.method == "POST":
        form = RouteForm(request.POST, fixed_key=True)
        if form.is_valid():
            saved = _on_form(form, lambda: route_services.route_update(actor=request.user, route=route,
                                                                       **form.update_kwargs()))
            if saved is not None:
                messages.success(request, _("Alur %(route)s diperbarui; berlaku untuk permohonan yang diajukan "
                                            "sesudah ini.") % {"route": route_selectors.route_title(
                                                saved.kind, saved.leave_type, saved.jabatan_type)})
                return redirect("leave:routes")
        return _form_page(request, form, route)
    initial = {"note": route.note, "is_active": route.is_active, **steps_initial(route.steps)}
    return _form_page(request, RouteForm(initial=initial, fixed_key=True), route)


@login_required
@require_POST
def route_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    route = call(lambda: route_selectors.route_get(viewer=request.user, pk=pk))
    active = request.POST.get("aktif") == "1"
    title = route_selectors.route_title(route.kind, route.leave_type, route.jabatan_type)
    try:
        call(lambda: route_services.route_update(actor=request.user, route=route, steps=route.steps,
                                                 note=route.note, is_active=active))
    except DomainError as exc:
        # A row written outside this page may hold steps the rules refuse now: ask for an edit instead.
        messages.error(request, _("Alur %(route)s tidak dapat diubah: %(reason)s Perbaiki lewat tombol Ubah.")
                       % {"route": title, "reason": exc.message})
        return redirect("leave:routes")
    if active:
        messages.success(request, _("Alur %(route)s diberlakukan kembali.") % {"route": title})
    else:
        messages.success(request, _("Alur %(route)s dinonaktifkan.") % {"route": title})
    return redirect("leave:routes")


@login_required
@require_POST
def route_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    route = call(lambda: route_selectors.route_get(viewer=request.user, pk=pk))
    title = route_selectors.route_title(route.kind, route.leave_type, route.jabatan_type)
    call(lambda: route_services.route_delete(actor=request.user, route=route))
    messages.success(request, _("Alur %(route)s dihapus; permohonan sejenis kembali mengikuti alur yang lebih "
                                "umum atau bawaan sistem.") % {"route": title})
    return redirect("leave:routes")
