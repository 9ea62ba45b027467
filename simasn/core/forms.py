import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import AuditFilters


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Aksi"), max_length=80, required=False)
    object_type = forms.CharField(label=_("Jenis objek"), max_length=80, required=False)
    object_id = forms.CharField(label=_("ID objek"), max_length=64, required=False)
    actor = forms.CharField(label=_("Pelaku (nama pengguna)"), max_length=200, required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Tanggal awal tidak boleh sesudah tanggal akhir."))
        return data

    def filters(self) -> AuditFilters:
        """The valid filters; an invalid one is dropped (and reported) rather than failing the page."""
        if not self.is_bound or self.is_valid():
            data = getattr(self, "cleaned_data", {})
        else:
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
            if self.non_field_errors():
                data.pop("date_from", None)
                data.pop("date_to", None)
        return AuditFilters(**{k: v.strip() if isinstance(v, str) else v for k, v in data.items()})


class CalculatorForm(forms.Form):
    payload = forms.CharField(
        label=_("Masukan (objek JSON)"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "font-monospace"}),
        max_length=20_000,
        error_messages={"required": _("Masukan JSON wajib diisi.")},
    )

    def clean_payload(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["payload"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON tidak valid (baris %(line)s, kolom %(col)s): %(msg)s"),
                params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Masukan harus berupa objek JSON, misalnya {\"nip\": \"…\"}."))
        return value
