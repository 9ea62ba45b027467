"""Import and export pages through the test client: upload → preview → commit, progress, and who may use them."""

from __future__ import annotations

import io

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from simasn.employees.models import Employee, ImportBatch
from simasn.employees.tests.import_support import (  # noqa: F401 (fixtures)
    csv_bytes,
    media,
    unit_codes,
    upload,
    valid_row,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("media", "unit_codes")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def post_file(client, content: bytes, name: str = "pegawai.xlsx"):
    return client.post(reverse("employees:import"), {"file": upload(content, name)})


def test_upload_preview_commit(client_for, users):
    client = client_for(users.admin_bkpsdm)
    page = client.get(reverse("employees:import"))
    assert page.status_code == 200
    assert reverse("employees:import_template") in page.content.decode()
    rows = [valid_row(0), valid_row(1)]
    response = post_file(client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("employees:import_detail", args=[batch.pk])
    preview = client.get(response.url).content.decode()
    assert rows[0]["NIP"] in preview and "Pegawai Impor 1" in preview
    assert "Simpan (commit)" in preview and "disabled" not in preview.split("Simpan (commit)")[0][-200:]
    assert not Employee.objects.filter(nip=rows[0]["NIP"]).exists()
    done = client.post(response.url, follow=True)
    assert Employee.objects.filter(nip__in=[r["NIP"] for r in rows]).count() == 2
    text = done.content.decode()
    assert "2 pegawai baru" in text
    assert reverse("employees:import_progress", args=[batch.pk]) not in text  # nothing left to poll


def test_rows_with_errors_show_a_table_and_cannot_be_committed(client_for, users):
    client = client_for(users.admin_bkpsdm)
    post_file(client, csv_bytes([valid_row(0), valid_row(1, **{"Kode Unit": "ZZ"})]), "pegawai.csv")
    batch = ImportBatch.objects.get()
    page = client.get(reverse("employees:import_detail", args=[batch.pk])).content.decode()
    assert "Kode Unit &#x27;ZZ&#x27; tidak dikenal." in page
    assert "disabled" in page.split("Simpan (commit)")[0][-300:]
    response = client.post(reverse("employees:import_detail", args=[batch.pk]), follow=True)
    assert "Perbaiki semua kesalahan" in response.content.decode()
    assert not Employee.objects.filter(nip=valid_row(0)["NIP"]).exists()


def test_unreadable_file_is_refused_on_the_form(client_for, users):
    response = post_file(client_for(users.admin_bkpsdm), b"%PDF-1.4", "sk.pdf")
    assert response.status_code == 400
    assert "Jenis berkas tidak didukung" in response.content.decode()
    assert not ImportBatch.objects.exists()


@override_settings(TASKS=IMMEDIATE, SIMASN_IMPORT_INLINE_ROWS=2)
def test_large_file_goes_through_the_task(client_for, users):
    client = client_for(users.admin_bkpsdm)
    post_file(client, xlsx_bytes([valid_row(i) for i in range(4)]))
    batch = ImportBatch.objects.get()
    client.post(reverse("employees:import_detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.processed_rows) == (ImportBatch.Status.DONE, 4, 4)


def test_progress_partial_polls_while_running_and_stops_when_done(client_for, users):
    client = client_for(users.admin_bkpsdm)
    post_file(client, xlsx_bytes([valid_row(0), valid_row(1)]))
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, processed_rows=1)
    url = reverse("employees:import_progress", args=[batch.pk])
    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in running and 'aria-valuenow="50"' in running
    assert "<html" not in running  # a fragment, not the page
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE, processed_rows=2, created_count=2)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.content.decode() and "2 pegawai baru" in done.content.decode()
    assert "HX-Refresh" not in done
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED, failure="x")
    assert client.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"  # reload to show the outcome


def test_template_download_lists_the_units_of_the_admins_scope(client_for, users):
    response = client_for(users.admin_opd_a).get(reverse("employees:import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    codes = [r[0] for r in wb["Kode Unit"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["DA", "DA-1"]


@pytest.mark.parametrize("role", ["pimpinan", "inspektorat", "kabid", "staff_a"])
def test_non_admins_get_404_on_every_import_page(client_for, users, role):
    admin_client = client_for(users.admin_bkpsdm)
    post_file(admin_client, xlsx_bytes([valid_row(0)]))
    batch = ImportBatch.objects.get()
    client = client_for(getattr(users, role))
    for url in (reverse("employees:import"), reverse("employees:import_template"),
                reverse("employees:import_detail", args=[batch.pk]),
                reverse("employees:import_progress", args=[batch.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("employees:import_detail", args=[batch.pk])).status_code == 404
    assert not Employee.objects.filter(nip=valid_row(0)["NIP"]).exists()


def test_admin_opd_sees_only_batches_of_his_scope(client_for, users):
    post_file(client_for(users.admin_bkpsdm), xlsx_bytes([valid_row(0)]))
    city_batch = ImportBatch.objects.get()
    opd = client_for(users.admin_opd_a)
    assert opd.get(reverse("employees:import_detail", args=[city_batch.pk])).status_code == 404
    post_file(opd, xlsx_bytes([valid_row(1)]), "opd.xlsx")
    page = opd.get(reverse("employees:import")).content.decode()
    assert "opd.xlsx" in page and "pegawai.xlsx" not in page


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("employees:import"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- export -------------------------------------------------------------------------------------------------

def test_export_download_uses_the_list_filters(client_for, users, org):
    client = client_for(users.admin_bkpsdm)
    response = client.get(reverse("employees:export"), {"fmt": "csv", "unit": org.opd_b.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="pegawai-' in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    assert org.staff_b.nip in body and org.staff_a.nip not in body
    legacy = client.get(reverse("employees:export"), {"fmt": "csv", "unit_id": org.opd_b.pk})
    assert org.staff_a.nip not in legacy.content.decode("utf-8-sig")
    xlsx = client.get(reverse("employees:export"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == Employee.objects.count() + 1


def test_export_scope_and_refusals(client_for, users, org):
    opd = client_for(users.admin_opd_a).get(reverse("employees:export"), {"fmt": "csv"})
    assert org.staff_b.nip not in opd.content.decode("utf-8-sig")
    assert client_for(users.pimpinan).get(reverse("employees:export"), {"fmt": "csv"}).status_code == 200
    assert client_for(users.kabid).get(reverse("employees:export")).status_code == 404
    bad = client_for(users.admin_bkpsdm).get(reverse("employees:export"), {"fmt": "pdf"})
    assert bad.status_code == 400 and "xlsx atau csv" in bad.content.decode()
