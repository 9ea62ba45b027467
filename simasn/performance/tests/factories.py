"""Factories for the SKP cycle. They write rows directly (no workflow); tests of the workflow go through
`simasn.performance.services`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from simasn.employees.tests.factories import EmployeeFactory
from simasn.performance.models import (
    Assessment,
    AssessmentStatus,
    Skp,
    SkpIndicator,
    SkpItem,
    SkpStatus,
    UnitResult,
)
from simasn.performance.predikat import predikat_for


def last_year() -> int:
    """A year whose every period has ended, so ratings are allowed whatever today's date."""
    return timezone.localdate().year - 1


class SkpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skp

    employee = factory.SubFactory(EmployeeFactory)
    year = factory.LazyFunction(last_year)
    unit = factory.LazyAttribute(lambda o: o.employee.unit)
    position = factory.LazyAttribute(lambda o: o.employee.position)
    pejabat_penilai = None
    status = SkpStatus.DRAFT

    class Params:
        agreed = factory.Trait(
            status=SkpStatus.AGREED,
            agreed_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=300)),
        )


class SkpItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkpItem

    skp = factory.SubFactory(SkpFactory)
    text = factory.Sequence(lambda n: f"Hasil kerja uji {n}")
    unit_target = "Target unit uji"
    order = factory.Sequence(lambda n: n)


class SkpIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkpIndicator

    item = factory.SubFactory(SkpItemFactory)
    text = factory.Sequence(lambda n: f"Jumlah dokumen uji {n}")
    target_kind = "kuantitas"
    target_value = Decimal("12")
    target_unit = "dokumen"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    skp = factory.SubFactory(SkpFactory, agreed=True)
    employee = factory.LazyAttribute(lambda o: o.skp.employee)
    unit = factory.LazyAttribute(lambda o: o.skp.unit)
    year = factory.LazyAttribute(lambda o: o.skp.year)
    period = 0
    hasil = "sesuai"
    perilaku = "sesuai"
    hasil_reason = factory.LazyAttribute(lambda o: "" if o.hasil == "sesuai" else "Alasan hasil uji")
    perilaku_reason = factory.LazyAttribute(lambda o: "" if o.perilaku == "sesuai" else "Alasan perilaku uji")
    predikat = factory.LazyAttribute(lambda o: predikat_for(o.hasil, o.perilaku))
    status = AssessmentStatus.FINAL
    finalised_at = factory.LazyFunction(timezone.now)


class UnitResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitResult

    year = factory.LazyFunction(last_year)
    predikat = "baik"
