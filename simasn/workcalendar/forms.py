"""Forms of the calendar pages: they parse; the rules are in services and come back as DomainErrors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simasn.org.forms import BootstrapMixin

from . import selectors
from .models import HolidayCategory


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class HolidayForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    name = forms.CharField(label=_("Nama hari libur"), max_length=200)
    category = forms.ChoiceField(label=_("Kategori"), choices=HolidayCategory.choices)
    legal_basis = forms.CharField(label=_("Dasar hukum (nomor SKB/keputusan)"), max_length=200, required=False)


class UnitExceptionForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.manageable_units(viewer=user).only("id", "name", "path")
