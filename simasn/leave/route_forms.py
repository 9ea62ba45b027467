"""Forms of the Alur Persetujuan page. One select names the kind and its type together ("Cuti — Cuti
Tahunan", "Izin — semua jenis", "Dinas luar"), so no combination that cannot exist can be chosen without
JavaScript; the steps are up to five selects read in order. The rules are in route_services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simasn.core.errors import DomainError
from simasn.org.forms import BootstrapMixin, apply_domain_error
from simasn.org.models import JabatanType

from . import rules_data
from .display import label_of
from .models import RequestKind
from .route_selectors import leave_types_for
from .route_services import MAX_NOTE_LENGTH, MAX_ROUTE_STEPS

STEP_FIELDS = tuple(f"step_{i}" for i in range(1, MAX_ROUTE_STEPS + 1))
# Where a service's field lands on these forms.
FIELD_OF = {"kind": "target", "leave_type": "target", "steps": "step_1"}


def target_choices() -> list[tuple[Any, Any]]:
    """Grouped choices "kind:type": the kinds with types get a group ("semua jenis" first)."""
    choices: list[tuple[Any, Any]] = []
    for kind, label in RequestKind.choices:
        types = leave_types_for(kind)
        if types:
            group = [(f"{kind}:", gettext("%(kind)s — semua jenis") % {"kind": label})]
            group += [(f"{kind}:{code}", type_label) for code, type_label in types]
            choices.append((label, group))
        else:
            choices.append((f"{kind}:", label))
    return choices


def split_target(value: str) -> tuple[str, str]:
    kind, _sep, leave_type = (value or "").partition(":")
    return kind, leave_type


def role_choices() -> list[tuple[str, str]]:
    return [(code, label_of(role)) for code, role in rules_data.APPROVER_ROLES.items()]


def show_route_error(form: forms.Form, exc: DomainError) -> None:
    """A route service's refusal on the form, its fields mapped onto the form's own."""
    items = exc.errors or [{"field": exc.field, "message": exc.message}]
    mapped = [{"field": FIELD_OF.get(item.get("field") or "", item.get("field")), "message": item["message"]}
              for item in items]
    apply_domain_error(form, DomainError(exc.message, code=exc.code, errors=mapped))


class RouteForm(BootstrapMixin, forms.Form):
    """Add a route (`fixed_key=False`) or change one (`fixed_key=True`: the key is shown, not edited)."""

    target = forms.ChoiceField(label=_("Jenis permohonan"))
    jabatan_type = forms.ChoiceField(label=_("Jenis jabatan pemohon"), required=False,
                                     help_text=_("Kosongkan untuk semua jenis jabatan."))
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=MAX_NOTE_LENGTH,
                           help_text=_("Misalnya dasar keputusan atau surat edaran yang menetapkan alur ini."))
    is_active = forms.BooleanField(label=_("Berlaku"), required=False)

    def __init__(self, *args: Any, fixed_key: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices()
        self.fields["jabatan_type"].choices = [("", gettext("Semua jenis jabatan")), *JabatanType.choices]
        roles = role_choices()
        for i, name in enumerate(STEP_FIELDS, start=1):
            blank = gettext("— pilih pejabat —") if i == 1 else gettext("— tidak ada —")
            self.fields[name] = forms.ChoiceField(label=gettext("Tahap %(n)s") % {"n": i}, required=False,
                                                  choices=[("", blank), *roles])
            self.fields[name].widget.attrs["class"] = "form-select"
        if fixed_key:
            del self.fields["target"]
            del self.fields["jabatan_type"]
        else:
            del self.fields["is_active"]
        self.fixed_key = fixed_key

    @property
    def step_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in STEP_FIELDS]

    def steps(self) -> list[str]:
        """The chosen roles in order; empty boxes between them are skipped."""
        return [self.cleaned_data[name] for name in STEP_FIELDS if self.cleaned_data.get(name)]

    def create_kwargs(self) -> dict[str, Any]:
        kind, leave_type = split_target(self.cleaned_data["target"])
        return {"kind": kind, "leave_type": leave_type, "jabatan_type": self.cleaned_data["jabatan_type"],
                "steps": self.steps(), "note": self.cleaned_data["note"]}

    def update_kwargs(self) -> dict[str, Any]:
        return {"steps": self.steps(), "note": self.cleaned_data["note"],
                "is_active": self.cleaned_data["is_active"]}


def steps_initial(steps: Any) -> dict[str, str]:
    return {name: step for name, step in zip(STEP_FIELDS, steps or (), strict=False)}


class TryForm(BootstrapMixin, forms.Form):
    nip = forms.CharField(label=_("NIP pegawai"), max_length=30)
    target = forms.ChoiceField(label=_("Jenis permohonan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices()
        self.fields["nip"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
