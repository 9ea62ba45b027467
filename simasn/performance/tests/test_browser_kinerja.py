"""The SKP cycle in a real browser, as pegawai and atasan: draft → submit → agree → realise with evidence →
feedback → rate (live predikat) → finalise → the pegawai sees the predikat and objects. Screenshots go to
test-artifacts/screenshots/skp_*.png. Last year's SKP, so every period has ended and may be rated."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.core.testing import BROWSER_MARKS, SHOTS
from simasn.performance import services
from simasn.performance.models import Assessment, Evidence, Feedback, Objection, Skp, SkpStatus
from simasn.performance.tests.factories import last_year

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = BROWSER_MARKS


def _page_for(browser, base_url: str, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(base_url + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert reverse("accounts:login") not in page.url, f"login failed for {username}"
    return context, page


def _shot(page, name: str) -> None:
    body = page.inner_text("body")
    assert "Traceback" not in body and "Server Error" not in body
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"skp_{name}.png"), full_page=True)


def _atasan_plans(cast) -> Skp:
    """head_a and kabid have agreed SKPs, so staff_a can cascade from the kabid's hasil kerja."""
    year = last_year()
    head = services.skp_create(actor=cast.head, year=year)
    item = services.skp_item_add(actor=cast.head, skp=head, text="Indeks kepuasan layanan meningkat",
                                 unit_target="IKM 85")
    services.skp_indicator_add(actor=cast.head, item=item, text="Nilai IKM", target_kind="kualitas",
                               target_value=Decimal("85"), target_unit="indeks")
    services.skp_submit(actor=cast.head, skp=head)
    services.skp_agree(actor=cast.pimpinan, skp=head)
    kabid = services.skp_create(actor=cast.kabid, year=year)
    item = services.skp_item_add(actor=cast.kabid, skp=kabid, text="Layanan perizinan bidang tepat waktu",
                                 parent_item_id=head.items.get().pk)
    services.skp_indicator_add(actor=cast.kabid, item=item, text="Persentase izin terbit tepat waktu",
                               target_kind="waktu", target_value=Decimal("95"), target_unit="persen")
    services.skp_submit(actor=cast.kabid, skp=kabid)
    services.skp_agree(actor=cast.head, skp=kabid)
    return kabid


def test_skp_cycle_as_pegawai_and_atasan(browser, live_server, cast, org, tmp_path):
    _atasan_plans(cast)
    year = last_year()
    base = live_server.url
    evidence_file = tmp_path / "notulen.pdf"
    evidence_file.write_bytes(PDF)

    # Pegawai: draft the SKP with one cascaded item and its indicator, then submit.
    staff_ctx, staff = _page_for(browser, base, cast.staff.username)
    staff.goto(f"{base}{reverse('performance:my_skp')}?tahun={year}")
    _shot(staff, "01_skp_saya_kosong")
    staff.get_by_role("button", name=f"Susun SKP {year}").click()
    staff.wait_for_load_state("networkidle")
    staff.get_by_role("link", name="Tambah hasil kerja").click()
    staff.fill("#id_text", "Berkas izin diverifikasi lengkap dan tepat waktu")
    staff.select_option("#id_parent_item_id", label="Layanan perizinan bidang tepat waktu")
    staff.fill("#id_ind-text", "Jumlah berkas izin yang diverifikasi")
    staff.select_option("#id_ind-target_kind", "kuantitas")
    staff.fill("#id_ind-target_value", "240")
    staff.fill("#id_ind-target_unit", "berkas")
    _shot(staff, "02_tambah_hasil_kerja")
    staff.get_by_role("button", name="Simpan").click()
    staff.wait_for_load_state("networkidle")
    assert "240 berkas" in staff.inner_text("body")
    _shot(staff, "03_draf")
    staff.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    staff.wait_for_load_state("networkidle")
    assert "Diajukan" in staff.inner_text("#status-skp")
    _shot(staff, "04_diajukan")
    skp = Skp.objects.get(employee=org.staff_a, year=year)
    assert skp.status == SkpStatus.SUBMITTED

    # Atasan: sees it on SKP Bawahan and agrees.
    kabid_ctx, kabid = _page_for(browser, base, cast.kabid.username)
    kabid.goto(f"{base}{reverse('performance:subordinates')}?tahun={year}")
    assert "menunggu persetujuan" in kabid.inner_text("body")
    _shot(kabid, "05_bawahan")
    kabid.get_by_role("link", name="Periksa").first.click()
    kabid.wait_for_load_state("networkidle")
    kabid.get_by_role("button", name="Setujui SKP").click()
    kabid.wait_for_load_state("networkidle")
    assert "Disetujui" in kabid.inner_text("#status-skp")
    _shot(kabid, "06_disetujui")

    # Pegawai: realisation of January with a link and a file as bukti dukung.
    staff.goto(f"{base}{reverse('performance:skp_period', args=[skp.pk, 1])}")
    item = skp.items.get()
    staff.fill(f"#id_r{item.pk}-text", "Memverifikasi 12 berkas izin usaha")
    staff.fill(f"#id_r{item.pk}-value", "12")
    staff.get_by_role("button", name="Simpan realisasi").click()
    staff.wait_for_load_state("networkidle")
    staff.select_option(f"#id_e{item.pk}-kind", "link")
    staff.fill(f"#id_e{item.pk}-url", "https://drive.kendarikota.go.id/izin/januari")
    staff.fill(f"#id_e{item.pk}-description", "Rekap verifikasi")
    staff.get_by_role("button", name="Tambah bukti dukung").click()
    staff.wait_for_load_state("networkidle")
    staff.select_option(f"#id_e{item.pk}-kind", "file")
    staff.set_input_files(f"#id_e{item.pk}-file", str(evidence_file))
    staff.get_by_role("button", name="Tambah bukti dukung").click()
    staff.wait_for_load_state("networkidle")
    assert "notulen.pdf" in staff.inner_text("body")
    _shot(staff, "07_realisasi_bukti")
    assert Evidence.objects.filter(realisation__item=item).count() == 2

    # Atasan: feedback on the item and on a BerAKHLAK value, then the rating with the live predikat.
    kabid.goto(f"{base}{reverse('performance:skp_period', args=[skp.pk, 1])}")
    kabid.fill(f"#fb-{item.pk}", "Lampirkan daftar berkas yang dikembalikan ke pemohon.")
    kabid.locator(f"#hk-{item.pk}").get_by_role("button", name="Kirim").click()
    kabid.wait_for_load_state("networkidle")
    kabid.select_option("#id_target", "v:berorientasi_pelayanan")
    kabid.fill("#id_text", "Tanggapan kepada pemohon sudah ramah dan cepat.")
    kabid.get_by_role("button", name="Kirim umpan balik").click()
    kabid.wait_for_load_state("networkidle")
    assert Feedback.objects.filter(skp=skp).count() == 2
    _shot(kabid, "08_umpan_balik")
    kabid.get_by_role("link", name="Nilai", exact=True).click()
    kabid.wait_for_load_state("networkidle")
    kabid.check("#id_hasil_0")  # Di Atas
    kabid.check("#id_perilaku_0")
    kabid.wait_for_function("document.querySelector('#predikat-pratinjau').innerText.includes('Sangat Baik')")
    kabid.check("#id_hasil_2")  # Di Bawah
    kabid.check("#id_perilaku_1")  # Sesuai
    kabid.wait_for_function("document.querySelector('#predikat-pratinjau').innerText.includes('Butuh Perbaikan')")
    kabid.fill("#id_hasil_reason", "Baru 12 dari 20 berkas per bulan yang ditargetkan selesai diverifikasi.")
    _shot(kabid, "09_penilaian_pratinjau")
    kabid.get_by_role("button", name="Simpan penilaian").click()
    kabid.wait_for_load_state("networkidle")
    kabid.get_by_role("button", name="Finalkan penilaian").click()
    kabid.wait_for_load_state("networkidle")
    assert "Butuh Perbaikan" in kabid.inner_text("#penilaian")
    _shot(kabid, "10_penilaian_final")
    assessment = Assessment.objects.get(skp=skp, period=1)
    assert assessment.status == "final" and assessment.predikat == "butuh_perbaikan"

    # Pegawai: sees the feedback and the predikat, and objects before the deadline.
    staff.goto(f"{base}{reverse('performance:skp_period', args=[skp.pk, 1])}")
    body = staff.inner_text("body")
    assert "Lampirkan daftar berkas" in body and "Berorientasi Pelayanan" in body
    assert "Butuh Perbaikan" in staff.inner_text("#predikat-hasil")
    staff.fill("#id_reason", "Delapan berkas tertunda karena gangguan sistem OSS; mohon ditinjau kembali.")
    staff.get_by_role("button", name="Ajukan keberatan").click()
    staff.wait_for_load_state("networkidle")
    assert re.search(r"Menunggu keputusan", staff.inner_text("#keberatan"))
    _shot(staff, "11_keberatan")
    assert Objection.objects.filter(assessment=assessment).exists()
    staff.goto(f"{base}{reverse('performance:skp_detail', args=[skp.pk])}")
    _shot(staff, "12_skp_saya_ringkasan")
    pdf = staff_ctx.request.get(f"{base}{reverse('performance:skp_pdf', args=[skp.pk])}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    (SHOTS / "skp_15_dokumen.pdf").write_bytes(pdf.body())

    # The reviewer (atasan of the pejabat penilai) sees the objection; pimpinan reads the recap.
    head_ctx, head = _page_for(browser, base, cast.head.username)
    head.goto(f"{base}{reverse('performance:objection_list')}")
    assert org.staff_a.name in head.inner_text("body")
    head.get_by_role("link", name="Putuskan").click()
    head.wait_for_load_state("networkidle")
    _shot(head, "13_keberatan_diputuskan_form")
    pim_ctx, pim = _page_for(browser, base, cast.pimpinan.username)
    pim.goto(f"{base}{reverse('performance:recap')}?unit={org.opd_a.pk}&tahun={year}")
    pim.wait_for_load_state("networkidle")
    _shot(pim, "14_rekap_unit")
    for ctx in (staff_ctx, kabid_ctx, head_ctx, pim_ctx):
        ctx.close()

    # The period page (realisation forms, evidence, predikat) fits a 360px phone.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", cast.staff.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for path, name in ((reverse("performance:skp_period", args=[skp.pk, 1]), "16_ponsel_periode"),
                       (reverse("performance:skp_detail", args=[skp.pk]), "17_ponsel_skp")):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        _shot(page, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name}: {overflow}px wider than a 360px screen"
    phone.close()
