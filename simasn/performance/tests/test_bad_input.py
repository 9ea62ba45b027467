"""The issue's "Bad input" list, line by line, plus the neighbouring refusals: each is a clear refusal
(DomainError with an Indonesian message) and nothing changes — no row, no file, no audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simasn.core.errors import DomainError
from simasn.core.models import AuditEvent
from simasn.performance import rules_data as R
from simasn.performance import services
from simasn.performance.models import Assessment, Evidence, Objection, Realisation, SkpIndicator, SkpItem
from simasn.performance.services.common import clean_number

from .conftest import plan_skp

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def unchanged():
    """Asserts that the block raised a DomainError with the given code and wrote no audit event."""

    class Checker:
        def __call__(self, code: str | None = None, status: int | None = None):
            return _Raises(code, status)

    return Checker()


class _Raises:
    def __init__(self, code: str | None, status: int | None) -> None:
        self.code, self.status = code, status

    def __enter__(self):
        self.events = AuditEvent.objects.count()
        return self

    def __exit__(self, exc_type, exc, tb):
        assert exc_type is not None and issubclass(exc_type, DomainError), f"expected a DomainError, got {exc!r}"
        if self.code:
            assert exc.code == self.code, exc.message
        if self.status:
            assert exc.status_code == self.status, exc.message
        assert exc.message and exc.message[0].isupper()
        assert AuditEvent.objects.count() == self.events
        self.exc = exc
        return True


# --- Rating one's own SKP / someone who is not one's subordinate / before the period ends -------------------


def test_rating_ones_own_skp_is_refused(cast, agreed, unchanged):
    with unchanged("forbidden", 403) as r:
        services.assessment_rate(actor=cast.kabid, skp=agreed["kabid"], period=0, hasil="sesuai", perilaku="sesuai")
    assert "sendiri" in r.exc.message
    assert not Assessment.objects.exists()


def test_rating_someone_not_ones_subordinate_is_refused(cast, agreed, unchanged):
    # staff_b is in another OPD; staff2 is a colleague, not a bawahan; the head is kabid's atasan.
    for actor, skp in ((cast.kabid, agreed["head"]), (cast.staff, agreed["staff2"]), (cast.head, agreed["staff"])):
        with unchanged("forbidden", 403) as r:
            services.assessment_rate(actor=actor, skp=skp, period=0, hasil="sesuai", perilaku="sesuai")
        assert "bawahan" in r.exc.message
    assert not Assessment.objects.exists()


def test_rating_before_the_period_ends_is_refused(cast, agreed, year, unchanged):
    skp = agreed["staff"]
    with unchanged("period_not_ended") as r:
        services.assessment_rate(actor=cast.kabid, skp=skp, period=3, hasil="sesuai", perilaku="sesuai",
                                 today=dt.date(year, 3, 30))
    assert "31-03" in r.exc.message
    with unchanged("period_not_ended"):
        services.assessment_rate(actor=cast.kabid, skp=skp, period=0, hasil="sesuai", perilaku="sesuai",
                                 today=dt.date(year, 12, 30))
    # From the period's last day on it is allowed.
    services.assessment_rate(actor=cast.kabid, skp=skp, period=3, hasil="sesuai", perilaku="sesuai",
                             today=dt.date(year, 3, 31))


@pytest.mark.parametrize("hasil,perilaku,field", [("di_atas", "sesuai", "hasil_reason"),
                                                  ("sesuai", "di_bawah", "perilaku_reason"),
                                                  ("di_bawah", "di_atas", "hasil_reason")])
def test_a_rating_other_than_sesuai_needs_a_reason(cast, agreed, unchanged, hasil, perilaku, field):
    with unchanged("required") as r:
        services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=0, hasil=hasil, perilaku=perilaku,
                                 hasil_reason="   ", perilaku_reason="")
    assert r.exc.field == field


def test_unknown_rating_and_period(cast, agreed, unchanged):
    with unchanged():
        services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=0, hasil="bagus", perilaku="sesuai")
    with unchanged():
        services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=13, hasil="sesuai",
                                 perilaku="sesuai")


def test_the_unit_heads_hasil_follows_the_unit(cast, org, agreed, year, unchanged):
    services.unit_result_set(actor=cast.admin, unit=org.opd_a, year=year, predikat="istimewa")
    with unchanged("head_hasil_follows_unit") as r:
        services.assessment_rate(actor=cast.pimpinan, skp=agreed["head"], period=0, hasil="sesuai",
                                 perilaku="sesuai")
    assert "Di Atas Ekspektasi" in r.exc.message
    a = services.assessment_rate(actor=cast.pimpinan, skp=agreed["head"], period=0, hasil="di_atas",
                                 hasil_reason="Unit istimewa", perilaku="sesuai")
    assert a.predikat == "baik"


def test_a_final_assessment_is_not_rated_again(cast, agreed, unchanged):
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=1, hasil="sesuai", perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    with unchanged("assessment_final"):
        services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=1, hasil="di_atas",
                                 hasil_reason="x", perilaku="sesuai")


def test_an_skp_not_agreed_cannot_be_rated(cast, year, unchanged, org):
    skp = plan_skp(cast.staff_b, year, unit_target="Target badan")
    kepala_b = org.kepala_b.holders.first()
    assert kepala_b is None and skp.pejabat_penilai_id is None  # nobody holds kepala_b: pimpinan stands in
    with unchanged("skp_not_agreed"):
        services.assessment_rate(actor=cast.pimpinan, skp=skp, period=0, hasil="sesuai", perilaku="sesuai")


# --- Changing a locked SKP without a revision ------------------------------------------------------------


def test_changing_a_locked_skp_without_a_revision_is_refused(cast, agreed, unchanged):
    skp = agreed["staff"]
    item = skp.items.get()
    indicator = item.indicators.get()
    parent = agreed["kabid"].items.get()
    attempts = [
        lambda: services.skp_item_add(actor=cast.staff, skp=skp, text="Baru", parent_item_id=parent.pk),
        lambda: services.skp_item_update(actor=cast.staff, item=item, text="Diubah", parent_item_id=parent.pk),
        lambda: services.skp_item_remove(actor=cast.staff, item=item),
        lambda: services.skp_indicator_add(actor=cast.staff, item=item, text="X", target_kind="kuantitas",
                                           target_value=1, target_unit="x"),
        lambda: services.skp_indicator_update(actor=cast.staff, indicator=indicator, text="X",
                                              target_kind="kuantitas", target_value=99, target_unit="x"),
        lambda: services.skp_indicator_remove(actor=cast.staff, indicator=indicator),
        lambda: services.skp_submit(actor=cast.staff, skp=skp),
    ]
    for attempt in attempts:
        with unchanged("skp_locked") as r:
            attempt()
        assert "revisi" in r.exc.message
    item.refresh_from_db()
    indicator.refresh_from_db()
    assert item.text == "Dokumen analisis" and indicator.target_value == Decimal("12.00")
    assert SkpItem.objects.filter(skp=skp).count() == 1


def test_a_submitted_skp_waits_for_the_atasan(cast, year, agreed, unchanged):
    skp = agreed["staff"]
    services.skp_revision_request(actor=cast.staff, skp=skp, reason="Perubahan")
    services.skp_submit(actor=cast.staff, skp=skp)
    with unchanged("skp_submitted"):
        services.skp_item_update(actor=cast.staff, item=skp.items.get(), text="x",
                                 parent_item_id=agreed["kabid"].items.get().pk)


def test_only_the_owner_edits_and_only_the_penilai_agrees(cast, agreed, year, unchanged):
    with unchanged("forbidden", 403):
        services.skp_revision_request(actor=cast.kabid, skp=agreed["staff"], reason="x")
    services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="Perubahan")
    with unchanged("forbidden", 403):
        services.skp_item_update(actor=cast.kabid, item=agreed["staff"].items.get(), text="x")
    services.skp_submit(actor=cast.staff, skp=agreed["staff"])
    for actor in (cast.staff, cast.staff2, cast.head):
        with unchanged("forbidden", 403):
            services.skp_agree(actor=actor, skp=agreed["staff"])
    with unchanged("required"):
        services.skp_return(actor=cast.kabid, skp=agreed["staff"], comment=" ")


def test_revision_needs_a_reason_and_an_agreed_skp(cast, agreed, year, unchanged):
    with unchanged("required"):
        services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="")
    draft = services.skp_create(actor=cast.staff_b, year=year + 1)
    with unchanged("skp_not_agreed"):
        services.skp_revision_request(actor=cast.staff_b, skp=draft, reason="x")


# --- Targets that are negative or non-numeric where numbers are required ---------------------------------


@pytest.mark.parametrize("value,code", [(-1, "negative"), ("-0.5", "negative"), ("dua belas", "not_a_number"),
                                        ("12abc", "not_a_number"), ("NaN", "not_a_number"), ("", "required"),
                                        (None, "required"), (True, "not_a_number"), ("1.005", "invalid")])
def test_targets_must_be_numbers_not_below_zero(cast, year, unchanged, value, code):
    skp = services.skp_create(actor=cast.staff_b, year=year + 1)
    item = services.skp_item_add(actor=cast.staff_b, skp=skp, text="Surat", unit_target="Target")
    with unchanged(code) as r:
        services.skp_indicator_add(actor=cast.staff_b, item=item, text="Jumlah surat", target_kind="kuantitas",
                                   target_value=value, target_unit="surat")
    assert r.exc.field == "target_value"
    assert not SkpIndicator.objects.exists()


def test_qualitative_targets_are_text(cast, year):
    skp = services.skp_create(actor=cast.staff_b, year=year + 1, approach="kualitatif")
    item = services.skp_item_add(actor=cast.staff_b, skp=skp, text="Layanan", unit_target="Target")
    with pytest.raises(DomainError) as exc:
        services.skp_indicator_add(actor=cast.staff_b, item=item, text="Mutu", target_kind="kualitas")
    assert exc.value.field == "target_text"
    ind = services.skp_indicator_add(actor=cast.staff_b, item=item, text="Mutu", target_kind="kualitas",
                                     target_text="Tanpa keluhan berulang")
    assert ind.target_value is None


@given(st.one_of(st.decimals(max_value=Decimal("-0.01"), allow_nan=False, allow_infinity=False, places=2),
                 st.integers(max_value=-1)))
def test_any_negative_number_is_refused(value):
    with pytest.raises(DomainError) as exc:
        clean_number(value, field="x", label="Target", required=True)
    assert exc.value.code == "negative"


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), min_size=1).filter(lambda s: s.strip()))
def test_text_without_digits_is_not_a_number(value):
    # "Infinity", "nan" and friends parse as Decimals but are not numbers either.
    with pytest.raises(DomainError):
        clean_number(value, field="x", label="Target", required=True)


@given(st.decimals(min_value=0, max_value=Decimal("99999999999999.99"), places=2, allow_nan=False))
def test_every_number_of_the_column_is_accepted(value):
    assert clean_number(str(value), field="x", label="Target", required=True) == value


# --- Cascading -------------------------------------------------------------------------------------------


def test_main_items_are_cascaded(cast, agreed, year, unchanged):
    skp = services.skp_create(actor=cast.staff, year=year + 1)
    with unchanged("not_cascaded") as r:
        services.skp_item_add(actor=cast.staff, skp=skp, text="Dokumen")
    assert "atasan" in r.exc.message
    with unchanged() as r:
        services.skp_item_add(actor=cast.staff, skp=skp, text="Dokumen", unit_target="Target dinas")
    assert r.exc.field == "unit_target"
    # An item of last year's atasan SKP, or of someone else's, is not a parent.
    with unchanged() as r:
        services.skp_item_add(actor=cast.staff, skp=skp, text="Dokumen",
                              parent_item_id=agreed["kabid"].items.get().pk)
    assert r.exc.field == "parent_item_id"
    # Additional items need no parent.
    services.skp_item_add(actor=cast.staff, skp=skp, text="Tugas tambahan", is_additional=True)


def test_perspective_is_for_jpt_only(cast, year, unchanged):
    skp = services.skp_create(actor=cast.staff_b, year=year + 1)
    with unchanged() as r:
        services.skp_item_add(actor=cast.staff_b, skp=skp, text="x", unit_target="t", perspective="anggaran")
    assert r.exc.field == "perspective"
    head_skp = services.skp_create(actor=cast.head, year=year + 1)
    item = services.skp_item_add(actor=cast.head, skp=head_skp, text="x", unit_target="t", perspective="anggaran")
    assert item.perspective == "anggaran"


def test_duplicate_skp_and_out_of_range_year(cast, agreed, year, unchanged):
    with unchanged("skp_exists"):
        services.skp_create(actor=cast.staff, year=year)
    with unchanged():
        services.skp_create(actor=cast.staff, year=year - 5)
    with unchanged():
        services.skp_create(actor=cast.staff, year=year, approach="campuran")


def test_submit_needs_items_with_indicators(cast, year, unchanged):
    skp = services.skp_create(actor=cast.staff_b, year=year + 1)
    with unchanged("skp_empty"):
        services.skp_submit(actor=cast.staff_b, skp=skp)
    services.skp_item_add(actor=cast.staff_b, skp=skp, text="Surat", unit_target="t")
    with unchanged("item_without_indicator"):
        services.skp_submit(actor=cast.staff_b, skp=skp)


def test_an_item_with_realisations_or_cascaded_items_stays(cast, agreed, unchanged):
    services.skp_revision_request(actor=cast.kabid, skp=agreed["kabid"], reason="Perubahan")
    with unchanged("item_cascaded"):
        services.skp_item_remove(actor=cast.kabid, item=agreed["kabid"].items.get())
    item = agreed["staff"].items.get()
    services.realisation_record(actor=cast.staff, item=item, period=1, text="ok")
    services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="Perubahan")
    with unchanged("item_has_realisation"):
        services.skp_item_remove(actor=cast.staff, item=item)


# --- Evidence files of the wrong type or size ------------------------------------------------------------


@pytest.fixture
def realisation(cast, agreed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return services.realisation_record(actor=cast.staff, item=agreed["staff"].items.get(), period=2, text="ok")


@pytest.mark.parametrize("name,content,code", [
    ("bukti.pdf", b"MZ\x90\x00 this is an exe renamed", "file_type_not_allowed"),
    ("bukti.docx", b"PK\x03\x04 word document", "file_type_not_allowed"),
    ("bukti.gif", b"GIF89a....", "file_type_not_allowed"),
    ("bukti.pdf", b"", "empty_file"),
    ("besar.pdf", b"%PDF-" + b"0" * R.EVIDENCE_MAX_BYTES, "file_too_large"),
])
def test_evidence_files_of_the_wrong_type_or_size_are_refused(cast, realisation, tmp_path, unchanged, name, content,
                                                              code):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with unchanged(code) as r:
        services.evidence_add_file(actor=cast.staff, realisation=realisation, upload=upload)
    assert r.exc.field == "file"
    assert not Evidence.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_png_of_exactly_the_limit_is_accepted(cast, realisation):
    upload = SimpleUploadedFile("foto.png", PNG + b"0" * (R.EVIDENCE_MAX_BYTES - len(PNG)))
    assert services.evidence_add_file(actor=cast.staff, realisation=realisation, upload=upload).content_type == \
        "image/png"


@pytest.mark.parametrize("url", ["ftp://files.example.go.id/a", "javascript:alert(1)", "drive.example.go.id/x",
                                 "https://", "", "http://exa mple.go.id/", "https://x.go.id/" + "a" * 500])
def test_evidence_links_must_be_http_or_https(cast, realisation, unchanged, url):
    with unchanged() as r:
        services.evidence_add_link(actor=cast.staff, realisation=realisation, url=url)
    assert r.exc.field == "url"


def test_evidence_and_realisation_belong_to_the_owner(cast, agreed, realisation, unchanged, year):
    with unchanged("forbidden", 403):
        services.evidence_add_link(actor=cast.kabid, realisation=realisation, url="https://x.go.id/")
    with unchanged("forbidden", 403):
        services.realisation_record(actor=cast.kabid, item=agreed["staff"].items.get(), period=2, text="x")
    with unchanged("period_in_future"):
        services.realisation_record(actor=cast.staff, item=agreed["staff"].items.get(), period=6, text="x",
                                    today=dt.date(year, 5, 31))
    with unchanged():
        services.realisation_record(actor=cast.staff, item=agreed["staff"].items.get(), period=2, text="x",
                                    value="-3")
    assert Realisation.objects.get().text == "ok"


def test_no_realisation_after_the_period_is_final(cast, agreed, realisation, unchanged):
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=2, hasil="sesuai", perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    with unchanged("period_final"):
        services.realisation_record(actor=cast.staff, item=agreed["staff"].items.get(), period=2, text="ubah")
    with unchanged("period_final"):
        services.evidence_add_link(actor=cast.staff, realisation=realisation, url="https://x.go.id/")


def test_feedback_only_from_the_atasan(cast, agreed, unchanged):
    skp = agreed["staff"]
    for actor in (cast.staff, cast.staff2, cast.head):
        with unchanged("forbidden", 403):
            services.feedback_give(actor=actor, skp=skp, period=1, value="loyal", text="x")
    with unchanged():
        services.feedback_give(actor=cast.kabid, skp=skp, period=1, value="jujur", text="x")
    with unchanged():
        services.feedback_give(actor=cast.kabid, skp=skp, period=1, value="loyal", item=skp.items.get(), text="x")
    with unchanged():
        services.feedback_give(actor=cast.kabid, skp=skp, period=1, item=agreed["staff2"].items.get(), text="x")


# --- An objection after the deadline ---------------------------------------------------------------------


@pytest.fixture
def final_march(cast, agreed):
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=3, hasil="di_bawah",
                                 hasil_reason="Terlambat", perilaku="sesuai")
    return services.assessment_finalise(actor=cast.kabid, assessment=a)


def test_an_objection_after_the_deadline_is_refused(cast, final_march, unchanged):
    issued = timezone.localdate(final_march.finalised_at)
    last_day = issued + dt.timedelta(days=R.OBJECTION_DEADLINE.days)
    with unchanged("objection_late") as r:
        services.objection_file(actor=cast.staff, assessment=final_march, reason="Tidak adil",
                                today=last_day + dt.timedelta(days=1))
    assert f"{last_day:%d-%m-%Y}" in r.exc.message
    assert not Objection.objects.exists()
    # On the last day it is still accepted.
    services.objection_file(actor=cast.staff, assessment=final_march, reason="Tidak adil", today=last_day)


def test_objection_rules(cast, agreed, final_march, unchanged):
    draft = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=4, hasil="sesuai",
                                     perilaku="sesuai")
    with unchanged("assessment_not_final"):
        services.objection_file(actor=cast.staff, assessment=draft, reason="x")
    with unchanged("forbidden", 403):
        services.objection_file(actor=cast.kabid, assessment=final_march, reason="x")
    with unchanged("required"):
        services.objection_file(actor=cast.staff, assessment=final_march, reason="")
    objection = services.objection_file(actor=cast.staff, assessment=final_march, reason="Ada bukti")
    with unchanged("objection_exists"):
        services.objection_file(actor=cast.staff, assessment=final_march, reason="lagi")
    # Only the atasan of the pejabat penilai decides; the penilai himself may not.
    with unchanged("forbidden", 403):
        services.objection_decide(actor=cast.kabid, objection=objection, decision="upheld", note="x")
    with unchanged():
        services.objection_decide(actor=cast.head, objection=objection, decision="changed", note="x",
                                  hasil="di_bawah", perilaku="sesuai")
    services.objection_decide(actor=cast.head, objection=objection, decision="upheld", note="Penilaian beralasan")
    with unchanged("objection_decided"):
        services.objection_decide(actor=cast.head, objection=objection, decision="upheld", note="x")


# --- Finalising against the distribution -----------------------------------------------------------------


def test_finalising_against_the_curve_needs_an_accepted_note(cast, org, agreed, year, unchanged):
    for name, rater in (("staff", cast.kabid), ("staff2", cast.kabid), ("kabid", cast.head)):
        services.assessment_rate(actor=rater, skp=agreed[name], period=0, hasil="sesuai", perilaku="sesuai")
    with unchanged("unit_result_missing"):
        services.unit_annual_finalise(actor=cast.head, unit=org.opd_a, year=year)
    services.unit_result_set(actor=cast.admin, unit=org.opd_a, year=year, predikat="baik")
    # 3 × Baik of 3 rated and the head unrated: Baik 100% > 70%, no Butuh Perbaikan/Kurang, 1 unrated.
    with unchanged("distribution_violation") as r:
        services.unit_annual_finalise(actor=cast.head, unit=org.opd_a, year=year)
    assert len(r.exc.errors) == 3 and "belum dinilai" in r.exc.errors[-1]["message"]
    with unchanged("required"):
        services.unit_annual_finalise(actor=cast.head, unit=org.opd_a, year=year, accept_violations=True)
    for actor in (cast.kabid, cast.staff):
        with unchanged("forbidden", 403):
            services.unit_annual_finalise(actor=actor, unit=org.opd_a, year=year, accept_violations=True,
                                          note="x")
    check = services.unit_annual_finalise(actor=cast.head, unit=org.opd_a, year=year, accept_violations=True,
                                          note="Kinerja tim memang merata; dibahas dengan BKPSDM.")
    assert check.finalised == 3 and len(check.violations) == 3
    assert all(a.distribution_violations == check.violations
               for a in Assessment.objects.filter(period=0))
    with unchanged("nothing_to_finalise"):
        services.unit_annual_finalise(actor=cast.head, unit=org.opd_a, year=year)


def test_annual_is_not_finalised_one_by_one(cast, agreed, unchanged):
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=0, hasil="sesuai", perilaku="sesuai")
    with unchanged("annual_per_unit"):
        services.assessment_finalise(actor=cast.kabid, assessment=a)


def test_rules_data_is_only_set_by_bkpsdm(cast, org, year, unchanged):
    for actor in (cast.head, cast.pimpinan, cast.kabid):
        with unchanged("forbidden", 403):
            services.unit_result_set(actor=actor, unit=org.opd_a, year=year, predikat="baik")
        with unchanged("forbidden", 403):
            services.period_setting_set(actor=actor, year=year, period_kind="quarterly")
    with unchanged():
        services.unit_result_set(actor=cast.admin, unit=org.opd_a, year=year, predikat="luar_biasa")


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(hasil=st.sampled_from(list(R.RATINGS)), perilaku=st.sampled_from(list(R.RATINGS)))
def test_the_stored_predikat_is_the_matrix(cast, agreed, hasil, perilaku):
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=5, hasil=hasil, perilaku=perilaku,
                                 hasil_reason="alasan", perilaku_reason="alasan")
    assert a.predikat == R.PREDIKAT_MATRIX[(hasil, perilaku)]
