"""Org screens: the browsable tree and unit page (every logged-in user), and the admin forms.

Views stay thin: forms parse, `services` decide, and a refusal comes back as a DomainError shown on the form —
or as a 404 (object outside the admin's scope) / 403 (action not allowed) page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simasn.core.errors import DomainError, NotFound
from simasn.employees.models import Employee

from . import rules, selectors, services
from .forms import LocationForm, PositionForm, UnitForm, UnitMergeForm, apply_domain_error
from .models import OfficeLocation, Position, Unit

EDIT_METHODS = require_http_methods(["GET", "POST"])


def _http(exc: DomainError) -> Exception:
    """The page-level answer to a refusal that is not about a form field."""
    if isinstance(exc, NotFound):
        return Http404(exc.message)
    if isinstance(exc, rules.Forbidden):
        return PermissionDenied(exc.message)
    return exc


def _guard(user: Any, perm: str, unit: Unit | None) -> None:
    try:
        rules.ensure(user, perm, unit)
    except DomainError as exc:
        raise _http(exc) from exc


def _guard_for_unit(user: Any, perm: str, unit: Unit | None) -> None:
    """`perm` on the unit named in the query string, or — with none named yet — the right to write at all."""
    _guard(user, perm if unit else "org.write_structure", unit)


def _get(getter: Callable[..., Model], pk: Any) -> Any:
    try:
        return getter(pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _unit_from_query(request: HttpRequest, key: str) -> Unit | None:
    raw = request.GET.get(key)
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return _get(selectors.unit_get, int(raw))


def _submit(form: Any, action: Callable[[], Any]) -> Any:
    """Run a service on a valid form; a refusal lands on the form (or becomes the 403/404 page)."""
    try:
        return action()
    except (rules.Forbidden, NotFound) as exc:
        raise _http(exc) from exc
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None


# ---------------------------------------------------------------- reading


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    include_inactive = request.GET.get("nonaktif") == "1"
    rows = selectors.flatten_tree(selectors.unit_tree(include_inactive=include_inactive, q=q))
    context = {
        "rows": rows, "q": q, "include_inactive": include_inactive,
        "matches": sum(1 for row in rows if row.node.matched),
        "can_add_root": rules.can(request.user, "org.add_unit", None),
        "can_write": rules.can(request.user, "org.write_structure"),
    }
    template = "org/unit_tree.html#tree" if request.htmx else "org/unit_tree.html"
    return render(request, template, context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get(selectors.unit_get, pk)
    user = request.user
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "children": selectors.unit_children(unit, include_inactive=True),
        "positions": selectors.positions_for_unit(unit, include_inactive=True),
        "locations": selectors.office_locations(unit=unit, active_only=False),
        "history": selectors.unit_history(unit),
        "employee_count": Employee.objects.filter(selectors.IN_SERVICE, unit=unit).count(),
        "can": {
            "change": rules.can(user, "org.change_unit", unit),
            "add_child": unit.is_active and rules.can(user, "org.add_unit", unit),
            "merge": unit.is_active and rules.can(user, "org.merge_unit", unit),
            "delete": rules.can(user, "org.delete_unit", unit),
            "positions": unit.is_active and rules.can(user, "org.manage_positions", unit),
            "locations": unit.is_active and rules.can(user, "org.manage_locations", unit),
        },
    }
    return render(request, "org/unit_detail.html", context)


# ---------------------------------------------------------------- units


@login_required
@EDIT_METHODS
def unit_create(request: HttpRequest) -> HttpResponse:
    parent = _unit_from_query(request, "parent")
    _guard_for_unit(request.user, "org.add_unit", parent)
    form = UnitForm(request.POST or None, user=request.user, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = _submit(form, lambda: services.unit_create(
            actor=request.user, name=data["name"], short_name=data["short_name"], code=data["code"],
            kind=data["kind"], parent=data["parent"], effective_date=data["effective_date"],
            legal_basis=data["legal_basis"],
        ))
        if unit:
            messages.success(request, _("Unit %(name)s dibentuk.") % {"name": unit.name})
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "parent": parent, "unit": None})


@login_required
@EDIT_METHODS
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get(selectors.unit_get, pk)
    _guard(request.user, "org.change_unit", unit)
    can_move = rules.can(request.user, "org.move_unit", unit)
    initial = {f: getattr(unit, f) for f in ("name", "short_name", "code", "kind", "parent", "is_active")}
    form = UnitForm(request.POST or None, user=request.user, unit=unit, can_move=can_move, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {f: data[f] for f in ("name", "short_name", "code", "kind")}
        if can_move:
            fields |= {"parent": data["parent"], "is_active": data["is_active"]}
        saved = _submit(form, lambda: services.unit_update(
            actor=request.user, unit=unit, effective_date=data["effective_date"], legal_basis=data["legal_basis"],
            **fields,
        ))
        if saved:
            messages.success(request, _("Perubahan unit %(name)s disimpan.") % {"name": saved.name})
            return redirect("org:unit_detail", pk=saved.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit, "parent": unit.parent})


@login_required
@EDIT_METHODS
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    source = _get(selectors.unit_get, pk)
    _guard(request.user, "org.merge_unit", source)
    if not source.is_active:
        messages.error(request, _("Unit ini sudah tidak aktif dan tidak dapat digabungkan lagi."))
        return redirect("org:unit_detail", pk=source.pk)
    form = UnitMergeForm(request.POST or None, user=request.user, source=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = _submit(form, lambda: services.unit_merge(
            actor=request.user, source=source, target=data["target"], effective_date=data["effective_date"],
            legal_basis=data["legal_basis"],
        ))
        if result:
            messages.success(request, _(
                "%(source)s digabungkan ke %(target)s: %(e)d pegawai, %(p)d jabatan, %(l)d lokasi kantor dan "
                "%(u)d sub-unit dipindahkan."
            ) % {"source": source.name, "target": result.target.name, "e": result.employees, "p": result.positions,
                 "l": result.locations, "u": result.child_units})
            if result.positions_to_review:
                names = ", ".join(p.name for p in result.positions_to_review[:10])
                messages.warning(request, _(
                    "Periksa jabatan atasan dari jabatan berikut, yang kini tidak lagi berada di garis unitnya: "
                    "%(names)s.") % {"names": names})
            return redirect("org:unit_detail", pk=result.target.pk)
    preview = {
        "employees": Employee.objects.filter(unit=source).count(),
        "positions": Position.objects.filter(unit=source).count(),
        "locations": OfficeLocation.objects.filter(unit=source).count(),
        "children": Unit.objects.filter(parent=source).count(),
    }
    return render(request, "org/unit_merge.html", {"form": form, "unit": source, "preview": preview})


@login_required
@EDIT_METHODS
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get(selectors.unit_get, pk)
    _guard(request.user, "org.delete_unit", unit)
    if request.method == "POST":
        parent_id, name = unit.parent_id, unit.name
        try:
            services.unit_delete(actor=request.user, unit=unit)
        except (rules.Forbidden, NotFound) as exc:
            raise _http(exc) from exc
        except DomainError as exc:
            return render(request, "org/unit_delete.html", {"unit": unit, "blockers": exc.message}, status=409)
        messages.success(request, _("Unit %(name)s dihapus.") % {"name": name})
        return redirect(reverse("org:unit_detail", args=[parent_id]) if parent_id else reverse("org:unit_tree"))
    return render(request, "org/unit_delete.html", {"unit": unit, "blockers": services.unit_delete_blockers(unit)})


# ---------------------------------------------------------------- positions


def _position_form_response(request: HttpRequest, form: PositionForm, position: Position | None) -> HttpResponse:
    if request.htmx and request.GET.get("fragment") == "parent":
        return render(request, "org/position_form.html#parent_field", {"form": form})
    return render(request, "org/position_form.html", {"form": form, "position": position})


@login_required
@EDIT_METHODS
def position_create(request: HttpRequest) -> HttpResponse:
    unit = _unit_from_query(request, "unit")
    _guard_for_unit(request.user, "org.manage_positions", unit)
    form = PositionForm(request.POST or None, user=request.user, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position = _submit(form, lambda: services.position_create(
            actor=request.user, name=data["name"], unit=data["unit"], parent=data["parent"],
            jabatan_type=data["jabatan_type"], jf_level=data["jf_level"], kelas_jabatan=data["kelas_jabatan"],
        ))
        if position:
            messages.success(request, _("Jabatan %(name)s dibuat.") % {"name": position.name})
            return redirect(reverse("org:unit_detail", args=[position.unit_id]) + "#jabatan")
    return _position_form_response(request, form, None)


@login_required
@EDIT_METHODS
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = _get(selectors.position_get, pk)
    _guard(request.user, "org.manage_positions", position.unit)
    fields = ("name", "unit", "parent", "jabatan_type", "jf_level", "kelas_jabatan", "is_active")
    initial = {f: getattr(position, f) for f in fields}
    if request.htmx and request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    form = PositionForm(request.POST or None, user=request.user, position=position, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _submit(form, lambda: services.position_update(
            actor=request.user, position=position, **{f: form.cleaned_data[f] for f in fields},
        ))
        if saved:
            messages.success(request, _("Jabatan %(name)s disimpan.") % {"name": saved.name})
            return redirect(reverse("org:unit_detail", args=[saved.unit_id]) + "#jabatan")
    return _position_form_response(request, form, position)


# ---------------------------------------------------------------- office locations

LOCATION_FIELDS = ("unit", "name", "address", "latitude", "longitude", "radius_m", "polygon", "timezone")


@login_required
@EDIT_METHODS
def location_create(request: HttpRequest) -> HttpResponse:
    unit = _unit_from_query(request, "unit")
    _guard_for_unit(request.user, "org.manage_locations", unit)
    form = LocationForm(request.POST or None, user=request.user, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        location = _submit(form, lambda: services.location_create(
            actor=request.user, **{f: form.cleaned_data[f] for f in LOCATION_FIELDS}))
        if location:
            messages.success(request, _("Lokasi kantor %(name)s disimpan.") % {"name": location.name})
            return redirect(reverse("org:unit_detail", args=[location.unit_id]) + "#lokasi")
    return render(request, "org/location_form.html", {"form": form, "location": None})


@login_required
@EDIT_METHODS
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = _get(selectors.location_get, pk)
    _guard(request.user, "org.manage_locations", location.unit)
    fields = (*LOCATION_FIELDS, "is_active")
    form = LocationForm(request.POST or None, user=request.user, location=location,
                        initial={f: getattr(location, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        saved = _submit(form, lambda: services.location_update(
            actor=request.user, location=location, **{f: form.cleaned_data[f] for f in fields}))
        if saved:
            messages.success(request, _("Lokasi kantor %(name)s disimpan.") % {"name": saved.name})
            return redirect(reverse("org:unit_detail", args=[saved.unit_id]) + "#lokasi")
    return render(request, "org/location_form.html", {"form": form, "location": location})
