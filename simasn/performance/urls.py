from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    # SKP Saya and one SKP (owner, pejabat penilai, admins reading it)
    path("", views.my_skp, name="my_skp"),
    path("skp/buat/", views.skp_create, name="skp_create"),
    path("skp/<int:pk>/", views.skp_detail, name="skp_detail"),
    path("skp/<int:pk>/hasil-kerja/tambah/", views.item_add, name="item_add"),
    path("skp/<int:pk>/ajukan/", views.skp_submit, name="skp_submit"),
    path("skp/<int:pk>/setujui/", views.skp_agree, name="skp_agree"),
    path("skp/<int:pk>/kembalikan/", views.skp_return, name="skp_return"),
    path("skp/<int:pk>/revisi/", views.skp_revision, name="skp_revision"),
    path("skp/<int:pk>/ekspektasi/", views.expectation_set, name="expectation_set"),
    path("skp/<int:pk>/dokumen.pdf", views.skp_pdf, name="skp_pdf"),
    path("hasil-kerja/<int:pk>/ubah/", views.item_edit, name="item_edit"),
    path("hasil-kerja/<int:pk>/hapus/", views.item_remove, name="item_remove"),
    path("hasil-kerja/<int:pk>/indikator/tambah/", views.indicator_add, name="indicator_add"),
    path("indikator/<int:pk>/ubah/", views.indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/hapus/", views.indicator_remove, name="indicator_remove"),
    # Pelaksanaan: one period of an SKP (period 0 = tahunan)
    path("skp/<int:pk>/periode/<int:period>/", views.skp_period, name="skp_period"),
    path("hasil-kerja/<int:pk>/periode/<int:period>/realisasi/", views.realisation_record, name="realisation_record"),
    path("hasil-kerja/<int:pk>/periode/<int:period>/bukti/", views.evidence_add, name="evidence_add"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence_remove"),
    path("skp/<int:pk>/periode/<int:period>/umpan-balik/", views.feedback_give, name="feedback_give"),
    # Penilaian and keberatan
    path("skp/<int:pk>/periode/<int:period>/nilai/", views.assessment_rate, name="assessment_rate"),
    path("predikat/", views.predikat_preview, name="predikat_preview"),
    path("penilaian/<int:pk>/finalkan/", views.assessment_finalise, name="assessment_finalise"),
    path("penilaian/<int:pk>/keberatan/", views.objection_file, name="objection_file"),
    path("keberatan/", views.objection_list, name="objection_list"),
    path("keberatan/<int:pk>/", views.objection_decide, name="objection_decide"),
    # SKP Bawahan, pembinaan
    path("bawahan/", views.subordinates, name="subordinates"),
    path("pembinaan/", views.coaching_list, name="coaching_list"),
    path("pembinaan/<int:pk>/", views.coaching_edit, name="coaching_edit"),
    # Rekap
    path("rekap/", views.recap, name="recap"),
    path("rekap/terlambat/", views.recap_late, name="recap_late"),
    path("rekap/kota/", views.city, name="city"),
    path("rekap/ekspor.xlsx", views.export_xlsx, name="export_xlsx"),
    path("unit/<int:pk>/finalisasi/", views.unit_finalise, name="unit_finalise"),
    path("unit/<int:pk>/predikat-unit/", views.unit_result_set, name="unit_result_set"),
]
