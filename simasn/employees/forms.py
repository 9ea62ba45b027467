"""Forms only convert what the browser sends into Python values; the rules live in services and validators.

Errors the services raise (InvalidFields) are put back on these forms, field by field, by the views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from simasn.accounts.scopes import unit_filter
from simasn.org.models import Position, Unit

from .models import Employee, EmployeeKind, EmployeeStatus, Sex
from .rules_data import EDUCATION_LEVELS, GOLONGAN_CHOICES, GOLONGAN_PNS, GOLONGAN_PPPK


def _label(name: str) -> str:
    # capfirst keeps the lazy translation (str() would freeze it at import) and leaves "NIP" as it is.
    return capfirst(Employee._meta.get_field(name).verbose_name)


def _date(name: str | None = None, label: str | None = None, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label or _label(name), required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(name: str, max_length: int, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=_label(name), max_length=max_length, required=required,
                           widget=forms.TextInput(attrs=attrs) if attrs else None)


def _blank(choices: Any, label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on a field once it carries an error (including
    errors a service put back with add_error after validation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = ("form-select" if isinstance(widget, forms.Select)
                   else "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control")
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.name} — {obj.unit.name}"


def positions_for(actor: Any, unit: Unit | None) -> Any:
    """Active positions the actor may assign; narrowed to a unit's subtree once the unit is chosen."""
    qs = Position.objects.filter(is_active=True).filter(unit_filter(actor, "unit__")).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("unit__path", "-kelas_jabatan", "name")


class EmployeeForm(BootstrapForm):
    nip = _text("nip", 40, required=True, inputmode="numeric", autocomplete="off")
    kind = forms.ChoiceField(label=_label("kind"), choices=EmployeeKind.choices)
    front_title = _text("front_title", 40)
    name = _text("name", 150, required=True)
    back_title = _text("back_title", 60)
    nik = _text("nik", 32, inputmode="numeric", autocomplete="off")
    birth_place = _text("birth_place", 100)
    birth_date = _date("birth_date")
    sex = forms.ChoiceField(label=_label("sex"), choices=_blank(Sex.choices, _("(sesuai NIP)")), required=False)
    status = forms.ChoiceField(label=_label("status"), choices=EmployeeStatus.choices, initial=EmployeeStatus.AKTIF)
    golongan = forms.ChoiceField(label=_label("golongan"), choices=_blank(GOLONGAN_CHOICES), required=False)
    unit = UnitChoiceField(label=_label("unit"), queryset=Unit.objects.none())
    position = PositionChoiceField(label=_label("position"), queryset=Position.objects.none(), required=False)
    tmt_cpns = _date("tmt_cpns")
    tmt_pns = _date("tmt_pns")
    tmt_golongan = _date("tmt_golongan")
    tmt_jabatan = _date("tmt_jabatan")
    education_level = forms.ChoiceField(label=_label("education_level"), choices=_blank(EDUCATION_LEVELS),
                                        required=False)
    address = _text("address", 300)
    phone = _text("phone", 20, inputmode="tel")
    email = forms.EmailField(label=_label("email"), required=False)
    photo = forms.FileField(label=_("Foto (JPEG/PNG)"), required=False,
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))

    def __init__(self, *args: Any, actor: Any, stored: Employee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stored is not None and stored.nik:
            self.fields["nik"].help_text = _("NIK tersimpan: %(masked)s. Kosongkan bila tidak diubah.") % {
                "masked": stored.masked_nik}
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).filter(unit_filter(actor)).order_by("path")
        unit_id = self.data.get("unit") or self.initial.get("unit")
        unit = Unit.objects.filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
        # Until a unit is chosen there is nothing sensible to offer: a city has thousands of positions.
        self.fields["position"].queryset = positions_for(actor, unit) if unit else Position.objects.none()
        self.fields["position"].empty_label = _("— pilih jabatan —") if unit else _("— pilih unit kerja dulu —")

    def service_data(self) -> dict[str, Any]:
        """Cleaned values for employee_create / employee_update (the photo goes separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "photo"}


def employee_initial(employee: Employee) -> dict[str, Any]:
    names = [n for n in EmployeeForm.base_fields if n != "photo"]
    data = {n: getattr(employee, f"{n}_id" if n in ("unit", "position") else n) for n in names}
    data["nik"] = ""  # the full NIK is never put into a page by default; an empty field keeps it unchanged
    return data


class _SKFields(BootstrapForm):
    sk_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    sk_date = _date(label=_("Tanggal SK"))
    sk_file = forms.FileField(label=_("Berkas SK (PDF, maks. 2 MB)"), required=False,
                              widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee

    def service_data(self) -> dict[str, Any]:
        """Cleaned values for history_add (the SK scan goes separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "sk_file"}


class RankHistoryForm(_SKFields):
    golongan = forms.ChoiceField(label=_("Golongan"), choices=GOLONGAN_CHOICES)
    tmt = _date(label=_("TMT golongan"), required=True)
    field_order = ["golongan", "tmt", "sk_number", "sk_date", "sk_file"]

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, employee=employee, **kwargs)
        table = GOLONGAN_PPPK if employee.kind == EmployeeKind.PPPK else GOLONGAN_PNS
        self.fields["golongan"].choices = [(g.code, f"{g.code} — {g.pangkat}") for g in table]
        self.fields["golongan"].initial = employee.golongan or None


class PositionHistoryForm(_SKFields):
    position_name = forms.CharField(label=_("Nama jabatan"), max_length=200)
    unit_name = forms.CharField(label=_("Unit kerja"), max_length=200, required=False,
                                help_text=_("Kosongkan untuk memakai unit kerja pegawai saat ini."))
    tmt = _date(label=_("TMT jabatan"), required=True)
    field_order = ["position_name", "unit_name", "tmt", "sk_number", "sk_date", "sk_file"]


class EducationHistoryForm(_SKFields):
    level = forms.ChoiceField(label=_("Jenjang"), choices=EDUCATION_LEVELS)
    institution = forms.CharField(label=_("Lembaga pendidikan"), max_length=200)
    major = forms.CharField(label=_("Jurusan"), max_length=200, required=False)
    graduation_year = forms.IntegerField(label=_("Tahun lulus"), min_value=1900, max_value=2100)
    field_order = ["level", "institution", "major", "graduation_year", "sk_number", "sk_date", "sk_file"]

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, employee=employee, **kwargs)
        self.fields["sk_number"].label = _("Nomor ijazah")
        self.fields["sk_date"].label = _("Tanggal ijazah")
        self.fields["sk_file"].label = _("Pindaian ijazah (PDF, maks. 2 MB)")


HISTORY_FORMS: dict[str, type[_SKFields]] = {
    "pangkat": RankHistoryForm,
    "jabatan": PositionHistoryForm,
    "pendidikan": EducationHistoryForm,
}


class EmployeeFilterForm(BootstrapForm):
    """The list filters. Invalid values are dropped (cleaned_data keeps the valid ones), never a 500."""

    q = forms.CharField(label=_("Cari nama atau NIP"), max_length=100, required=False)
    unit = forms.IntegerField(label=_("Unit kerja"), required=False)
    only_unit = forms.BooleanField(label=_("Hanya unit yang dipilih, tanpa sub-unitnya"), required=False)
    golongan = forms.ChoiceField(label=_("Golongan"), choices=_blank(GOLONGAN_CHOICES, _("Semua")), required=False)
    kind = forms.ChoiceField(label=_("Jenis ASN"), choices=_blank(EmployeeKind.choices, _("Semua")), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(EmployeeStatus.choices, _("Semua")),
                               required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A plain list, checked by hand: a ChoiceField re-normalises hundreds of choices on every request.
        self.unit_choices = _blank([(u.id, f"{'— ' * u.depth}{u.name}") for u in units], _("Semua"))
        self._unit_ids = {u.id for u in units}

    def clean_unit(self) -> int | None:
        unit = self.cleaned_data.get("unit")
        if unit is not None and unit not in self._unit_ids:
            raise forms.ValidationError(_("Unit kerja tidak dikenal."))
        return unit

    @cached_property
    def options(self) -> dict[str, list[tuple[str, str, bool]]]:
        """(value, label, selected) per select field. The template loops over these itself: Django's widget
        renders one sub-template per <option>, which costs ~1 ms each for a city's few hundred units."""
        out = {}
        for name in ("unit", "golongan", "kind", "status"):
            current = str(self.data.get(name, ""))
            choices = self.unit_choices if name == "unit" else self.fields[name].choices
            out[name] = [(str(v), str(label), str(v) == current) for v, label in choices]
        return out

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "unit_id": data.get("unit"),
            "include_subunits": not data.get("only_unit"),
            "golongan": data.get("golongan") or None,
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
        }
