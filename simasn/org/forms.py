"""Forms of the org screens. They parse and present; the rules live in `services` and come back as
DomainErrors, which `apply_domain_error` pins to the fields they name."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.errors import DomainError, Forbidden, NotFound

from . import selectors
from .models import JabatanType, JFLevel, OfficeLocation, Position, Unit, UnitKind

T = TypeVar("T")


class BootstrapMixin:
    """Bootstrap classes on every widget, and `is-invalid` + aria-describedby on fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}_help"

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


def call_service(form: forms.Form | None, action: Callable[[], T]) -> T | None:
    """Call a service or selector from a view: Forbidden is the 403 page and NotFound the 404 page; any other
    refusal lands on the form (and None is returned), or propagates when there is no form."""
    try:
        return action()
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        if form is None:
            raise
        apply_domain_error(form, exc)
        return None


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: per field where the field is on the form, else at the top."""
    items = exc.errors or [{"field": exc.field, "message": exc.message}]
    for item in items:
        field = item.get("field")
        form.add_error(field if field in form.fields else None, item["message"])
    if isinstance(form, BootstrapMixin):
        form.mark_invalid()


EM_SPACE = "\u2003"


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by depth so the select reads like the tree."""

    def label_from_instance(self, obj: Unit) -> str:
        return f"{EM_SPACE * obj.depth}{obj.name}"


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return _("%(name)s — %(unit)s (kelas %(kelas)s)") % {
            "name": obj.name, "unit": obj.unit.name, "kelas": obj.kelas_jabatan}


def writable_units(user: Any) -> QuerySet[Unit]:
    """Active units the user may place things in: the whole city for BKPSDM, the own subtree for an admin OPD."""
    qs = Unit.objects.filter(is_active=True).order_by("path").only("id", "name", "depth", "path")
    if can_administer_city(user):
        return qs
    path = managed_unit_path(user)
    return qs.filter(path__startswith=path) if path else qs.none()


date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama unit"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan"), max_length=60, required=False)
    code = forms.CharField(label=_("Kode unit"), max_length=30,
                           help_text=_("Unik di seluruh pemda; huruf, angka, titik, garis bawah atau tanda hubung."))
    kind = forms.ChoiceField(label=_("Jenis unit"), choices=UnitKind.choices)
    parent = UnitChoiceField(label=_("Unit induk"), queryset=Unit.objects.none(), required=False,
                             empty_label=_("— (tingkat teratas) —"))
    is_active = forms.BooleanField(label=_("Unit aktif"), required=False, initial=True)
    effective_date = forms.DateField(label=_("Tanggal berlaku perubahan"), required=False, widget=date_input)
    legal_basis = forms.CharField(label=_("Dasar hukum perubahan"), max_length=200, required=False,
                                  help_text=_("Misalnya nomor Perda/Perwali. Dicatat dalam riwayat unit."))

    def __init__(self, *args: Any, user: Any, unit: Unit | None = None, can_move: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parents = writable_units(user)
        if unit is not None:
            parents = parents.exclude(path__startswith=unit.path)
            if not can_move:
                # An admin OPD's own scope root: its place in the tree is BKPSDM's decision.
                for name in ("parent", "is_active"):
                    self.fields[name].disabled = True
                parents = Unit.objects.filter(pk=unit.parent_id)
        else:
            del self.fields["is_active"]
        self.fields["parent"].queryset = parents
        if not can_administer_city(user) and unit is None:
            self.fields["parent"].required = True
            self.fields["parent"].empty_label = None


class UnitMergeForm(BootstrapMixin, forms.Form):
    target = UnitChoiceField(label=_("Gabungkan ke unit"), queryset=Unit.objects.none(),
                             empty_label=_("— pilih unit tujuan —"))
    effective_date = forms.DateField(label=_("Tanggal berlaku"), widget=date_input)
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=200,
                                  help_text=_("Nomor Perda/Perwali yang menetapkan penggabungan."))
    confirm = forms.BooleanField(
        label=_("Saya memahami bahwa pegawai, jabatan, lokasi kantor dan sub-unit akan dipindahkan ke unit tujuan, "
                "dan unit ini menjadi tidak aktif."),
    )

    def __init__(self, *args: Any, user: Any, source: Unit, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = writable_units(user).exclude(path__startswith=source.path)


class PositionForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama jabatan"), max_length=200)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    parent = PositionChoiceField(
        label=_("Jabatan atasan langsung"), queryset=Position.objects.none(), required=False,
        empty_label=_("— tidak ada —"),
        help_text=_("Pemegang jabatan ini menjadi atasan langsung. Hanya jabatan di unit yang sama atau unit "
                    "induknya."),
    )
    jabatan_type = forms.ChoiceField(label=_("Jenis jabatan"), choices=JabatanType.choices)
    jf_level = forms.ChoiceField(label=_("Jenjang fungsional"), choices=[("", "—"), *JFLevel.choices],
                                 required=False, help_text=_("Wajib untuk jabatan fungsional, kosong untuk lainnya."))
    kelas_jabatan = forms.IntegerField(label=_("Kelas jabatan"), min_value=1, max_value=17)
    is_active = forms.BooleanField(label=_("Jabatan aktif"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, position: Position | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = writable_units(user)
        if position is None:
            del self.fields["is_active"]
        self.fields["parent"].queryset = selectors.position_parent_candidates(
            self._chosen_unit(), exclude=position)

    def _chosen_unit(self) -> Unit | None:
        raw = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        if isinstance(raw, Unit):
            return raw
        try:
            return self.fields["unit"].queryset.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            return None


class PolygonField(forms.CharField):
    """A polygon typed or pasted as JSON: [[lat, lng], [lat, lng], ...]. Geometry is checked by the service."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})

    def prepare_value(self, value: Any) -> Any:
        return json.dumps(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Poligon harus berupa JSON, misalnya [[-3.99, 122.51], [-3.99, 122.52], [-4.0, 122.51]].")
            ) from exc
        if not isinstance(data, list):
            raise forms.ValidationError(_("Poligon harus berupa daftar titik [lintang, bujur]."))
        return data


class LocationForm(BootstrapMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Nama lokasi"), max_length=200)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Lintang (latitude)"), help_text=_("Derajat desimal, −90 sampai 90. "
                                                                        "Kendari ± −3.99."))
    longitude = forms.FloatField(label=_("Bujur (longitude)"), help_text=_("Derajat desimal, −180 sampai 180. "
                                                                        "Kendari ± 122.51."))
    radius_m = forms.IntegerField(label=_("Radius (meter)"), help_text=_("10 sampai 5000 meter dari titik pusat."))
    polygon = PolygonField(label=_("Poligon (opsional)"), required=False,
                           help_text=_("JSON daftar titik [lintang, bujur], paling sedikit 3 titik, semuanya di "
                                       "dalam radius."))
    timezone = forms.ChoiceField(label=_("Zona waktu"), choices=OfficeLocation.TimeZone.choices,
                                 initial=OfficeLocation.TimeZone.WITA)
    is_active = forms.BooleanField(label=_("Lokasi aktif"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, location: OfficeLocation | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = writable_units(user)
        if location is None:
            del self.fields["is_active"]
