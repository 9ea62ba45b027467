"""Forms of the Jadwal Kerja pages. They parse into the services' plain values (schedule_services.specs);
the rules live in the services and come back as DomainErrors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from simasn.employees.selectors import employee_queryset_for
from simasn.org.forms import BootstrapMixin

from . import rules_data, selectors
from .forms import DateInput
from .models import ScheduleKind, WorkSchedule
from .schedule_services import Block, DaySpec, ShiftSpec

BLOCK_FIELDS = ("start", "end", "ends_next_day", "break_minutes", "checkin_open", "checkin_close", "checkout_open",
                "checkout_close")
TIMES = ("start", "end", "checkin_open", "checkin_close", "checkout_open", "checkout_close")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ScheduleForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama jadwal"), max_length=120)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ScheduleKind.choices)
    grace_minutes = forms.IntegerField(label=_("Toleransi keterlambatan (menit)"), min_value=0,
                                       max_value=rules_data.MAX_GRACE_MINUTES, initial=0)
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=200, required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class _BlockRowForm(forms.Form):
    start = forms.TimeField(label=_("Mulai"), required=False, widget=TimeInput())
    end = forms.TimeField(label=pgettext_lazy("waktu", "Selesai"), required=False, widget=TimeInput())
    ends_next_day = forms.BooleanField(label=_("Selesai esok hari"), required=False)
    break_minutes = forms.IntegerField(label=_("Istirahat (menit)"), required=False, min_value=0, max_value=600)
    checkin_open = forms.TimeField(label=_("Masuk dibuka"), required=False, widget=TimeInput())
    checkin_close = forms.TimeField(label=_("Masuk ditutup"), required=False, widget=TimeInput())
    checkout_open = forms.TimeField(label=_("Pulang dibuka"), required=False, widget=TimeInput())
    checkout_close = forms.TimeField(label=_("Pulang ditutup"), required=False, widget=TimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs["class"] = "form-check-input" if checkbox else "form-control form-control-sm"
            field.widget.attrs["aria-label"] = str(field.label)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def _require_times(self, data: dict[str, Any]) -> None:
        for name in TIMES:
            if data.get(name) is None:
                self.add_error(name, _("Wajib diisi."))
        if data.get("break_minutes") is None:
            data["break_minutes"] = 0

    def block(self) -> Block:
        data = self.cleaned_data
        return Block(**{name: data[name] for name in BLOCK_FIELDS})


class DayRowForm(_BlockRowForm):
    works = forms.BooleanField(label=_("Hari kerja"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("works"):
            self._require_times(data)
        return data


class ShiftRowForm(_BlockRowForm):
    code = forms.SlugField(label=_("Kode"), max_length=20, required=False)
    name = forms.CharField(label=_("Nama shift"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("code"):
            self._require_times(data)
            if not data.get("name"):
                self.add_error("name", _("Wajib diisi."))
        return data


DayFormSet = forms.formset_factory(DayRowForm, extra=0, min_num=7, max_num=7, absolute_max=7)
ShiftFormSet = forms.formset_factory(ShiftRowForm, extra=0, max_num=10, absolute_max=10)


def _row_initial(block: Any) -> dict[str, Any]:
    return {name: getattr(block, name) for name in BLOCK_FIELDS}


def day_initial(blocks: dict[int, Any]) -> list[dict[str, Any]]:
    return [{"works": w in blocks, **(_row_initial(blocks[w]) if w in blocks else {})} for w in range(7)]


def template_initial(key: str) -> dict[str, Any]:
    """Initial values of the schedule page from one of rules_data.SCHEDULE_TEMPLATES."""
    from .schedule_services import specs_from_template

    specs = specs_from_template(key)
    normal = {d.weekday: d.block for d in specs["days"] if not d.is_ramadan}
    ramadan = {d.weekday: d.block for d in specs["days"] if d.is_ramadan}
    return {
        "schedule": {k: specs[k] for k in ("name", "kind", "grace_minutes", "legal_basis", "note")},
        "days": day_initial(normal), "ramadan": day_initial(ramadan),
        "shifts": [{"code": s.code, "name": s.name, **_row_initial(s.block)} for s in specs["shifts"]] + [{}],
    }


def schedule_initial(schedule: WorkSchedule) -> dict[str, Any]:
    rows = list(schedule.days.all())
    return {
        "schedule": {k: getattr(schedule, k) for k in ("name", "kind", "grace_minutes", "legal_basis", "note")},
        "days": day_initial({r.weekday: r for r in rows if not r.is_ramadan}),
        "ramadan": day_initial({r.weekday: r for r in rows if r.is_ramadan}),
        "shifts": [{"code": s.code, "name": s.name, **_row_initial(s)} for s in schedule.shifts.all()] + [{}],
    }


class ScheduleForms:
    """The schedule page's four forms, bound or not, and what they add up to."""

    def __init__(self, data: Any = None, initial: dict[str, Any] | None = None) -> None:
        initial = initial or template_initial(rules_data.KIND_FIVE_DAY)
        self.schedule = ScheduleForm(data, initial=initial["schedule"])
        self.days = DayFormSet(data, initial=initial["days"], prefix="hari")
        self.ramadan = DayFormSet(data, initial=initial["ramadan"], prefix="ramadan")
        self.shifts = ShiftFormSet(data, initial=initial["shifts"], prefix="shift")
        for formset in (self.days, self.ramadan):
            for weekday, form in enumerate(formset.forms):
                form.weekday_label = rules_data.WEEKDAY_LABELS[weekday]

    @property
    def formsets(self) -> list[Any]:
        return [self.days, self.ramadan, self.shifts]

    def is_valid(self) -> bool:
        return all([self.schedule.is_valid(), self.days.is_valid(), self.ramadan.is_valid(), self.shifts.is_valid()])

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.schedule.cleaned_data)
        if data["kind"] == ScheduleKind.SHIFT:
            data["days"] = []
            data["shifts"] = [ShiftSpec(f.cleaned_data["code"], f.cleaned_data["name"], f.block())
                              for f in self.shifts.forms if f.cleaned_data.get("code")]
        else:
            data["shifts"] = []
            data["days"] = [
                DaySpec(weekday, f.block(), is_ramadan=ramadan)
                for ramadan, formset in ((False, self.days), (True, self.ramadan))
                for weekday, f in enumerate(formset.forms) if f.cleaned_data.get("works")
            ]
        return data


class RamadanForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama periode"), max_length=100, initial="Ramadan")
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DateInput())
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=DateInput())
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=200, required=False)


class AssignmentForm(BootstrapMixin, forms.Form):
    TARGETS = (("unit", _("Unit (berikut unit di bawahnya)")), ("employee", _("Pegawai")))

    schedule = forms.ModelChoiceField(label=_("Jadwal"), queryset=WorkSchedule.objects.filter(is_active=True))
    target = forms.ChoiceField(label=_("Ditetapkan untuk"), choices=TARGETS, widget=forms.RadioSelect,
                               initial="unit")
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    nip = forms.CharField(label=_("NIP pegawai"), max_length=18, required=False)
    effective_from = forms.DateField(label=_("Berlaku mulai"), widget=DateInput())
    effective_to = forms.DateField(label=_("Berlaku sampai (kosongkan bila seterusnya)"), widget=DateInput(),
                                   required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = selectors.manageable_units(viewer=user).only("id", "name", "path")
        self.fields["target"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["employee"] = None
        if data.get("target") == "employee":
            nip = (data.get("nip") or "").strip()
            employee = employee_queryset_for(self.user).select_related("unit").filter(nip=nip).first() if nip \
                else None
            if employee is None:
                self.add_error("nip", _("Pegawai dengan NIP ini tidak ditemukan."))
            data["employee"], data["unit"] = employee, None
        elif not data.get("unit"):
            self.add_error("unit", _("Pilih unit."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("schedule", "unit", "employee", "effective_from", "effective_to", "note")}


class EndAssignmentForm(forms.Form):
    effective_to = forms.DateField(label=_("Berakhir pada"), widget=DateInput())


class LookupForm(BootstrapMixin, forms.Form):
    nip = forms.CharField(label=_("NIP pegawai"), max_length=18)
    tanggal = forms.DateField(label=_("Tanggal"), widget=DateInput())

    def clean_tanggal(self) -> dt.date:
        day = self.cleaned_data["tanggal"]
        if abs(day.year - timezone.localdate().year) > rules_data.MAX_YEARS_FROM_TODAY:
            raise forms.ValidationError(_("Tanggal terlalu jauh dari tahun ini."))
        return day
