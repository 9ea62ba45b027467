"""Forms of the Kinerja pages. They parse and present; every rule (numbers ≥ 0, reasons when not "sesuai",
locked SKPs, deadlines) is checked by `services` and comes back as a DomainError pinned to its field.

Numbers are read as text on purpose: "12,5" is a valid Indonesian number and "dua belas" must reach the
service, whose refusal names the field, instead of a generic browser message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from simasn.org.forms import BootstrapMixin

from . import rules_data as R
from .models import CoachingPlan, Objection, SkpItem


def _choices(data: dict[str, str], blank: str | None = None) -> list[tuple[str, str]]:
    return ([("", blank)] if blank is not None else []) + list(data.items())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ParentItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SkpItem) -> str:
        return obj.text if len(obj.text) <= 120 else f"{obj.text[:117]}…"


class SkpCreateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    approach = forms.ChoiceField(label=_("Pendekatan"), choices=_choices(R.APPROACHES), initial="kuantitatif",
                                 help_text=_("Kuantitatif: target berupa angka dan satuan; kualitatif: target "
                                             "berupa uraian."))


class IndicatorForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Indikator kinerja individu"), widget=forms.Textarea(attrs={"rows": 2}))
    target_kind = forms.ChoiceField(label=_("Aspek"), choices=_choices(R.TARGET_KINDS))
    target_value = forms.CharField(label=_("Target (angka)"), required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    target_unit = forms.CharField(label=_("Satuan"), required=False, max_length=50)
    target_text = forms.CharField(label=_("Target (uraian, pendekatan kualitatif)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(BootstrapMixin, forms.Form):
    """A hasil kerja; on creation also its first indicator (an SKP item without one cannot be submitted)."""

    text = forms.CharField(label=_("Rencana hasil kerja"), widget=forms.Textarea(attrs={"rows": 2}))
    parent_item_id = ParentItemField(label=_("Hasil kerja atasan yang diintervensi"), queryset=SkpItem.objects.none(),
                                     required=False, empty_label=_("— pilih —"))
    unit_target = forms.CharField(label=_("Target unit (kepala unit)"), required=False, max_length=500)
    perspective = forms.ChoiceField(label=_("Perspektif (JPT)"), required=False,
                                    choices=_choices(R.PERSPECTIVES, blank="—"))
    is_additional = forms.BooleanField(label=_("Hasil kerja tambahan"), required=False)

    def __init__(self, *args: Any, parents: QuerySet[SkpItem], show_unit_target: bool, show_perspective: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent_item_id"].queryset = parents
        if not show_unit_target:
            del self.fields["unit_target"]
        if not show_perspective:
            del self.fields["perspective"]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        parent = data.pop("parent_item_id", None)
        data["parent_item_id"] = parent.pk if parent is not None else None
        return data


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("Catatan pengembalian"), widget=forms.Textarea(attrs={"rows": 3}))


class RevisionForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan revisi"), widget=forms.Textarea(attrs={"rows": 3}))


class ExpectationForm(BootstrapMixin, forms.Form):
    """Ekspektasi khusus pimpinan on one BerAKHLAK value ("v:<code>") or one hasil kerja ("i:<id>")."""

    target = forms.ChoiceField(label=_("Untuk"))
    text = forms.CharField(label=_("Ekspektasi (kosongkan untuk menghapus)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, items: list[SkpItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices(items)


def target_choices(items: list[SkpItem]) -> list[tuple[str, list[tuple[str, str]]]]:
    groups = [(str(_("Hasil kerja")), [(f"i:{i.pk}", i.text[:100]) for i in items])] if items else []
    return [*groups,
            (str(_("Perilaku kerja (BerAKHLAK)")), [(f"v:{code}", label) for code, label in R.BERAKHLAK.items()])]


def split_target(value: str, items: list[SkpItem]) -> tuple[SkpItem | None, str]:
    """("i:12" → (item 12, ""), "v:akuntabel" → (None, "akuntabel")); unknown targets are left to the service."""
    kind, _sep, key = value.partition(":")
    if kind == "i":
        return next((i for i in items if str(i.pk) == key), None), ""
    return None, key


class RealisationForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Realisasi"), widget=forms.Textarea(attrs={"rows": 2}))
    value = forms.CharField(label=_("Nilai realisasi (angka)"), required=False,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class EvidenceForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis bukti dukung"), choices=[("link", _("Tautan")), ("file", _("Berkas"))],
                             initial="link")
    url = forms.CharField(label=_("Tautan (http/https)"), required=False, max_length=500,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))
    file = forms.FileField(label=_("Berkas (PDF, JPEG atau PNG, paling besar 5 MB)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    description = forms.CharField(label=_("Keterangan"), required=False, max_length=300)


class FeedbackForm(BootstrapMixin, forms.Form):
    target = forms.ChoiceField(label=_("Tentang"))
    text = forms.CharField(label=_("Umpan balik"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, items: list[SkpItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices(items)


RATING_CHOICES = _choices(R.RATINGS)


class AssessmentForm(BootstrapMixin, forms.Form):
    hasil = forms.ChoiceField(label=_("Hasil kerja"), choices=RATING_CHOICES, widget=forms.RadioSelect)
    hasil_reason = forms.CharField(label=_("Alasan penilaian hasil kerja (wajib bila bukan “Sesuai Ekspektasi”)"),
                                   required=False, widget=forms.Textarea(attrs={"rows": 2}))
    perilaku = forms.ChoiceField(label=_("Perilaku kerja"), choices=RATING_CHOICES, widget=forms.RadioSelect)
    perilaku_reason = forms.CharField(
        label=_("Alasan penilaian perilaku kerja (wajib bila bukan “Sesuai Ekspektasi”)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, imposed_hasil: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("hasil", "perilaku"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if imposed_hasil:
            # The unit head's hasil follows his unit's result; the service sets it, the form only shows it.
            self.fields["hasil"].required = False
            self.fields["hasil"].disabled = True
            self.fields["hasil"].initial = imposed_hasil


class ObjectionForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan keberatan"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionDecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect, choices=[
        (Objection.Status.UPHELD, _("Penilaian tetap")), (Objection.Status.CHANGED, _("Penilaian diubah"))])
    hasil = forms.ChoiceField(label=_("Hasil kerja baru"), required=False, choices=_choices(R.RATINGS, blank="—"))
    perilaku = forms.ChoiceField(label=_("Perilaku kerja baru"), required=False,
                                 choices=_choices(R.RATINGS, blank="—"))
    note = forms.CharField(label=_("Catatan keputusan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"


class FinaliseForm(BootstrapMixin, forms.Form):
    accept_violations = forms.BooleanField(
        label=_("Finalkan walaupun distribusi belum sesuai (saya bertanggung jawab atas penyimpangannya)"),
        required=False)
    note = forms.CharField(label=_("Catatan (wajib bila distribusi belum sesuai)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class UnitResultForm(BootstrapMixin, forms.Form):
    predikat = forms.ChoiceField(label=_("Predikat kinerja unit"), choices=_choices(R.UNIT_PREDIKAT))
    basis = forms.CharField(label=_("Dasar penetapan"), required=False, max_length=300)


class CoachingForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CoachingPlan.Status.choices)
    start_date = forms.DateField(label=_("Mulai"), widget=DateInput())
    end_date = forms.DateField(label=pgettext_lazy("waktu", "Selesai"), widget=DateInput())
    actions = forms.CharField(label=_("Rencana tindakan"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Hasil pembinaan (wajib bila selesai)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
