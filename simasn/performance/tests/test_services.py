"""Services beyond the main cycle: editing a plan, quarterly years, evidence removal, coaching plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simasn.core.errors import DomainError
from simasn.performance import services
from simasn.performance.models import CoachingPlan, Evidence, SkpIndicator, SkpItem

pytestmark = pytest.mark.django_db


def test_editing_a_draft_plan(cast, year):
    skp = services.skp_create(actor=cast.staff_b, year=year + 1)
    item = services.skp_item_add(actor=cast.staff_b, skp=skp, text="Surat", unit_target="Layanan")
    ind = services.skp_indicator_add(actor=cast.staff_b, item=item, text="Jumlah", target_kind="kuantitas",
                                     target_value="10,5", target_unit="surat")
    assert ind.target_value == Decimal("10.50")
    item = services.skp_item_update(actor=cast.staff_b, item=item, text="Surat keluar", unit_target="Layanan")
    ind = services.skp_indicator_update(actor=cast.staff_b, indicator=ind, text="Jumlah surat",
                                        target_kind="waktu", target_value=12, target_unit="bulan")
    assert (item.text, ind.target_kind, ind.target_value) == ("Surat keluar", "waktu", Decimal("12.00"))
    services.skp_indicator_remove(actor=cast.staff_b, indicator=ind)
    services.skp_item_remove(actor=cast.staff_b, item=item)
    assert not SkpItem.objects.exists() and not SkpIndicator.objects.exists()


def test_a_quarterly_year(cast, org, year):
    services.period_setting_set(actor=cast.admin, year=year + 1, period_kind="quarterly")
    skp = services.skp_create(actor=cast.staff_b, year=year + 1)
    assert skp.period_kind == "quarterly"
    skp.status, skp.agreed_at = "agreed", dt.datetime(year + 1, 1, 5, tzinfo=dt.UTC)
    skp.save()
    with pytest.raises(DomainError) as exc:
        services.assessment_rate(actor=cast.pimpinan, skp=skp, period=5, hasil="sesuai", perilaku="sesuai",
                                 today=dt.date(year + 2, 1, 1))
    assert "1 sampai 4" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.assessment_rate(actor=cast.pimpinan, skp=skp, period=1, hasil="sesuai", perilaku="sesuai",
                                 today=dt.date(year + 1, 3, 30))
    assert exc.value.code == "period_not_ended" and "Triwulan I" in exc.value.message
    a = services.assessment_rate(actor=cast.pimpinan, skp=skp, period=1, hasil="sesuai", perilaku="sesuai",
                                 today=dt.date(year + 1, 3, 31))
    assert a.predikat == "baik"


def test_evidence_removal(cast, agreed, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    r = services.realisation_record(actor=cast.staff, item=agreed["staff"].items.get(), period=1, text="ok")
    ev = services.evidence_add_file(actor=cast.staff, realisation=r,
                                    upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n1234"))
    path = tmp_path / ev.file.name
    assert path.exists()
    with pytest.raises(DomainError):
        services.evidence_remove(actor=cast.kabid, evidence=ev)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(actor=cast.staff, evidence=ev)
    assert not Evidence.objects.exists() and not path.exists()


def test_coaching_plan_by_the_atasan(cast, org, agreed, year):
    plan = services.coaching_plan_create(actor=cast.kabid, employee=org.staff_a, start_date=dt.date(year, 2, 1),
                                         end_date=dt.date(year, 4, 30), actions="Mentoring mingguan")
    assert plan.owner_id == org.kabid.pk and plan.status == CoachingPlan.Status.PLANNED
    for actor, employee in ((cast.staff, org.staff_a), (cast.kabid, org.staff_b), (cast.head, org.staff_a)):
        with pytest.raises(DomainError) as exc:
            services.coaching_plan_create(actor=actor, employee=employee, start_date=dt.date(year, 2, 1),
                                          end_date=dt.date(year, 3, 1), actions="x")
        assert exc.value.status_code == 403
    with pytest.raises(DomainError) as exc:
        services.coaching_plan_create(actor=cast.kabid, employee=org.staff_a2, start_date=dt.date(year, 3, 1),
                                      end_date=dt.date(year, 2, 1), actions="x")
    assert exc.value.field == "end_date"
    plan = services.coaching_plan_update(actor=cast.kabid, plan=plan, actions="Mentoring", status="ongoing",
                                         start_date=plan.start_date, end_date=plan.end_date)
    with pytest.raises(DomainError) as exc:
        services.coaching_plan_update(actor=cast.kabid, plan=plan, actions="Mentoring", status="done",
                                      start_date=plan.start_date, end_date=plan.end_date)
    assert exc.value.field == "outcome"
    plan = services.coaching_plan_update(actor=cast.kabid, plan=plan, actions="Mentoring", status="done",
                                         start_date=plan.start_date, end_date=plan.end_date,
                                         outcome="Target bulanan tercapai sejak Maret")
    with pytest.raises(DomainError) as exc:
        services.coaching_plan_update(actor=cast.kabid, plan=plan, actions="x", status="ongoing",
                                      start_date=plan.start_date, end_date=plan.end_date)
    assert exc.value.code == "coaching_closed"
    with pytest.raises(DomainError):
        services.coaching_plan_update(actor=cast.staff, plan=plan, actions="x", status="ongoing",
                                      start_date=plan.start_date, end_date=plan.end_date)


def test_no_second_coaching_plan_while_one_is_open(cast, org, agreed):
    first = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=1, hasil="di_bawah",
                                     hasil_reason="x", perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=first)
    second = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=2, hasil="sesuai",
                                      perilaku="di_bawah", perilaku_reason="x")
    services.assessment_finalise(actor=cast.kabid, assessment=second)
    plan = CoachingPlan.objects.get()
    assert plan.assessment_id == first.pk and plan.owner_id == org.kabid.pk
    assert (plan.end_date - plan.start_date).days == 90
