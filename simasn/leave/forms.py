"""Forms of the leave pages. They parse and present; the rules (service length, maximum length, documents,
overlaps, balances) are in `services` and come back as DomainErrors pinned to the field they name."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simasn.org.forms import BootstrapMixin

from . import rules_data, selectors
from .display import label_of
from .models import RequestKind

ATTACHMENT_TYPES = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"

# Which fields each kind of request asks for, in the order the form shows them.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    RequestKind.CUTI: ("leave_type", "start_date", "end_date", "child_order", "reason", "address_during",
                       "attachment"),
    RequestKind.IZIN: ("leave_type", "start_date", "end_date", "start_time", "end_time", "reason", "attachment"),
    RequestKind.DINAS_LUAR: ("spt_number", "destination", "start_date", "end_date", "reason", "attachment",
                             "location_name", "latitude", "longitude", "radius_m"),
    RequestKind.FLEKSIBEL: ("start_date", "end_date", "reason", "location_name", "latitude", "longitude",
                            "radius_m", "attachment"),
}
# Fields the service needs for a kind although they are optional for another.
REQUIRED_BY_KIND: dict[str, tuple[str, ...]] = {
    RequestKind.CUTI: ("leave_type",),
    RequestKind.IZIN: ("leave_type",),
    RequestKind.DINAS_LUAR: ("spt_number", "destination"),
    RequestKind.FLEKSIBEL: ("location_name", "latitude", "longitude"),
}
# The part of the form a resubmission may change (the kind, the employee and the key stay).
RESUBMIT_FIELDS = ("leave_type", "child_order", "start_date", "end_date", "start_time", "end_time", "reason",
                   "address_during", "attachment", "spt_number", "destination", "location_name", "latitude",
                   "longitude", "radius_m")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def kind_or_default(raw: str | None) -> str:
    return raw if raw in RequestKind.values else RequestKind.CUTI


def cuti_options(employee: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(choices, unavailable): the cuti types this employee may ask for today, and the others with the reason
    (service length, PNS only …), which the form lists below the select instead of offering them."""
    choices, unavailable = [], []
    for option in selectors.allowed_leave_types(employee):
        if option.allowed:
            choices.append((option.code, option.label))
        else:
            unavailable.append((option.label, option.reason))
    return choices, unavailable


def izin_choices() -> list[tuple[str, str]]:
    return [(code, label_of(rule)) for code, rule in rules_data.IZIN_TYPES.items()]


class RequestForm(BootstrapMixin, forms.Form):
    leave_type = forms.ChoiceField(label=_("Jenis"), choices=())
    spt_number = forms.CharField(label=_("Nomor Surat Perintah Tugas (SPT)"), max_length=100, required=False)
    destination = forms.CharField(label=_("Tujuan"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DateInput())
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=DateInput())
    start_time = forms.TimeField(label=_("Jam mulai"), required=False, widget=TimeInput(),
                                 help_text=_("Isi hanya untuk izin beberapa jam."))
    end_time = forms.TimeField(label=_("Jam selesai"), required=False, widget=TimeInput())
    child_order = forms.IntegerField(label=_("Kelahiran anak ke-"), required=False, min_value=1, max_value=20,
                                     help_text=_("Isi hanya untuk cuti melahirkan."))
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    address_during = forms.CharField(label=_("Alamat selama menjalankan cuti"), max_length=300, required=False)
    attachment = forms.FileField(
        label=_("Dokumen pendukung"), required=False,
        help_text=_("PDF, JPEG atau PNG, paling besar 2 MB (misalnya surat keterangan dokter atau SPT)."),
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_TYPES}),
    )
    location_name = forms.CharField(label=_("Nama lokasi"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("Lintang"), max_digits=9, decimal_places=6, required=False,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Bujur"), max_digits=9, decimal_places=6, required=False,
                                   min_value=-180, max_value=180)
    radius_m = forms.IntegerField(label=_("Radius (meter)"), required=False, min_value=10, max_value=5000,
                                  help_text=_("Presensi di lokasi ini sah selama permohonan berlaku."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, kind: str, employee: Any, resubmit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.unavailable_types: list[tuple[str, str]] = []
        keep = set(KIND_FIELDS[kind]) | ({"idempotency_key"} if not resubmit else set())
        if getattr(employee, "sex", "") != "P":
            keep.discard("child_order")  # cuti melahirkan is for the one who gives birth
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in REQUIRED_BY_KIND.get(kind, ()):
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].widget.is_required = True
        if "leave_type" in self.fields:
            if kind == RequestKind.CUTI:
                choices, self.unavailable_types = cuti_options(employee)
                self.fields["leave_type"].label = _("Jenis cuti")
                self.fields["leave_type"].choices = [("", "—"), *choices]
            else:
                self.fields["leave_type"].label = _("Jenis izin")
                self.fields["leave_type"].choices = [("", "—")] + izin_choices()
        if kind == RequestKind.FLEKSIBEL:
            self.fields["location_name"].help_text = _("Tempat bekerja selama kerja fleksibel (PermenPANRB 4/2025).")
        if kind == RequestKind.DINAS_LUAR:
            self.fields["location_name"].help_text = _(
                "Opsional: lokasi tujuan agar presensi di sana sah selama dinas luar.")
        if "idempotency_key" in self.fields and not self.is_bound:
            # A new key each time the form is shown: a double click or a browser resubmit sends the same key
            # and the service returns the first request instead of creating a second one.
            self.initial["idempotency_key"] = uuid.uuid4().hex

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("attachment") is False:  # "clear" ticked on the widget
            data["attachment"] = None
        for name in ("leave_type", "spt_number", "destination", "address_during", "location_name"):
            if name in self.fields and data.get(name) is None:
                data[name] = ""
        return data


class ApproveForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Catatan (opsional)"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AskChangeForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Yang perlu diperbaiki"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan (opsional)"), max_length=1000, required=False)


class CutShortForm(BootstrapMixin, forms.Form):
    back_at_work_on = forms.DateField(label=_("Kembali bekerja mulai tanggal"), widget=DateInput())
    reason = forms.CharField(label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    kode = forms.CharField(label=_("Kode verifikasi"), max_length=32,
                           widget=forms.TextInput(attrs={"class": "form-control text-uppercase",
                                                         "autocomplete": "off", "spellcheck": "false"}))
