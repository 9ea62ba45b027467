"""The Beranda per role, the audit log page and the health check."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simasn.conftest import user_for
from simasn.core.audit import audit_record
from simasn.core.models import AuditEvent
from simasn.core.selectors import audit_diff, opd_table, retirement_window
from simasn.employees.models import EmployeeKind, EmployeeStatus
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.models import UnitKind
from simasn.org.tests.factories import PositionFactory, UnitFactory

HOME = "/"


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches (content types, session) so both measurements see the same work
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow_city(org, n: int = 6) -> None:
    """More OPD, units, employees and subordinates: a constant-query page must not notice."""
    for i in range(n):
        opd = UnitFactory(name=f"Dinas Tambahan {i}")
        seksi = UnitFactory(parent=opd, kind=UnitKind.SEKSI)
        EmployeeFactory(unit=seksi, kind=EmployeeKind.PPPK, golongan="IX")
        EmployeeFactory(unit=org.bidang_a, position=org.staf_a)  # also a subordinate of kabid
        EmployeeFactory(unit=org.bidang_a, status=EmployeeStatus.PENSIUN)


# --------------------------------------------------------------------------- Beranda


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pegawai_sees_own_card(client_for, users, org):
    response = client_for(users.staff_a).get(HOME)
    assert response.status_code == 200
    text = response.text
    for value in (org.staff_a.full_name, org.staff_a.nip, "Analis Alpha", "Bidang Alpha Satu", "III/a"):
        assert value in text
    assert reverse("employees:me") in text
    data = response.context["data"]
    assert data.city is None and data.scope is None and data.subordinate_count == 0


def test_atasan_sees_direct_subordinates_with_links(client_for, users, org):
    response = client_for(users.kabid).get(HOME)
    data = response.context["data"]
    assert data.subordinate_count == 2
    assert {e.pk for e in data.subordinates} == {org.staff_a.pk, org.staff_a2.pk}
    assert reverse("employees:detail", args=[org.staff_a.pk]) in response.text
    assert "Bawahan langsung" in response.text


def test_admin_opd_sees_counts_of_own_subtree_only(client_for, users, org, monkeypatch):
    # A fixed "today", so the factory's retirement dates never drift into the window as years pass.
    monkeypatch.setattr("simasn.core.selectors.retirement_window", lambda: retirement_window(dt.date(2001, 6, 1)))
    start, end = retirement_window(dt.date(2001, 6, 1))
    EmployeeFactory(unit=org.bidang_a, kind=EmployeeKind.CPNS, golongan="II/a", retirement_date=end)
    EmployeeFactory(unit=org.bidang_a, status=EmployeeStatus.TUGAS_BELAJAR, retirement_date=end + dt.timedelta(1))
    EmployeeFactory(unit=org.opd_b, retirement_date=start)  # outside the scope
    EmployeeFactory(unit=org.bidang_a, status=EmployeeStatus.PENSIUN, golongan="IV/c")
    response = client_for(users.admin_opd_a).get(HOME)
    data = response.context["data"]
    assert data.city is None
    assert data.scope_unit == org.opd_a
    scope = data.scope
    assert scope.total == 6  # head, kabid, two staff, the CPNS and the one on tugas belajar; not the retiree
    assert dict(scope.by_kind) == {"PNS": 5, "CPNS": 1, "PPPK": 0}
    assert dict(scope.by_golongan) == {"I": 0, "II": 1, "III": 3, "IV": 2, "PPPK": 0}
    assert {code: n for code, _, n in scope.by_status}["pensiun"] == 1
    assert scope.retiring_soon == 1
    assert "Ringkasan Dinas Alpha" in response.text
    assert reverse("employees:retirements") in response.text
    assert "Badan Beta" not in response.text


@pytest.mark.parametrize("role", ["admin_bkpsdm", "pimpinan", "inspektorat"])
def test_city_wide_roles_see_city_totals_and_opd_table(client_for, users, org, role):
    EmployeeFactory(unit=org.opd_b, kind=EmployeeKind.PPPK, golongan="VII")
    response = client_for(getattr(users, role)).get(HOME)
    data = response.context["data"]
    assert data.city.total == 6
    assert dict(data.city.by_kind) == {"PNS": 5, "CPNS": 0, "PPPK": 1}
    assert dict(data.city.by_golongan) == {"I": 0, "II": 0, "III": 3, "IV": 2, "PPPK": 1}
    assert [(row.unit, row.pns, row.pppk, row.total) for row in data.opds] == [
        (org.opd_a, 4, 0, 4), (org.opd_b, 1, 1, 2),
    ]
    assert reverse("org:unit_detail", args=[org.opd_a.pk]) in response.text


def test_opd_table_rolls_units_up_to_the_children_of_the_pemda_root(db, users):
    root = UnitFactory(name="Pemerintah Kota Uji", kind=UnitKind.PEMDA)
    dinas = UnitFactory(name="Dinas Gamma", parent=root)
    seksi = UnitFactory(parent=UnitFactory(parent=dinas, kind=UnitKind.BIDANG), kind=UnitKind.SEKSI)
    EmployeeFactory(unit=seksi)
    EmployeeFactory(unit=dinas, kind=EmployeeKind.CPNS)
    EmployeeFactory(unit=root)  # e.g. the Wali Kota's office with no OPD of its own
    rows = {row.unit.name if row.unit else None: row.total for row in opd_table(viewer=users.admin_bkpsdm)}
    assert rows["Dinas Gamma"] == 2
    assert rows[None] == 1
    assert "Pemerintah Kota Uji" not in rows


@pytest.mark.parametrize("who", ["staff_a", "kabid", "admin_opd_a", "admin_bkpsdm", "pimpinan", "inspektorat"])
def test_home_runs_a_constant_number_of_queries(client_for, users, org, who, django_assert_max_num_queries):
    client = client_for(getattr(users, who))
    before = queries_for(client, HOME)
    grow_city(org)
    assert queries_for(client, HOME) == before
    with django_assert_max_num_queries(14):
        client.get(HOME)


def test_retirement_window_is_twelve_months():
    assert retirement_window(dt.date(2026, 3, 15)) == (dt.date(2026, 3, 15), dt.date(2027, 3, 15))
    assert retirement_window(dt.date(2028, 2, 29)) == (dt.date(2028, 2, 29), dt.date(2029, 2, 28))
    assert retirement_window(dt.date(2026, 12, 31))[1] == dt.date(2027, 12, 31)


# --------------------------------------------------------------------------- audit log

AUDIT = "/audit/"


@pytest.fixture
def events(users):
    made = [
        audit_record(actor=users.admin_bkpsdm, action="employee.update", object_type="employees.employee",
                     object_id=7, summary="ubah nama", before={"name": "Nama Lama", "golongan": "III/a"},
                     after={"name": "Nama Baru", "golongan": "III/a"}),
        audit_record(actor=users.admin_opd_a, action="employee.create", object_type="employees.employee",
                     object_id=8, after={"name": "Pegawai Baru"}),
        audit_record(actor=users.admin_bkpsdm, action="unit.rename", object_type="org.unit", object_id=3,
                     before={"name": "Dinas X"}, after={"name": "Dinas Y"}),
    ]
    return made


@pytest.mark.parametrize("who, status", [
    ("staff_a", 403), ("kabid", 403), ("admin_opd_a", 403), ("pimpinan", 403),
    ("inspektorat", 200), ("admin_bkpsdm", 200),
])
def test_audit_log_is_for_bkpsdm_and_inspektorat(client_for, users, who, status):
    response = client_for(getattr(users, who)).get(AUDIT)
    assert response.status_code == status
    if status == 403:
        assert "tidak berwenang" in response.text
        assert client_for(getattr(users, who)).post(AUDIT).status_code == 403


def test_audit_log_lists_newest_first_with_a_compact_diff(client_for, users, events):
    response = client_for(users.inspektorat).get(AUDIT)
    rows = response.context["rows"]
    assert [event.pk for event, _ in rows] == [e.pk for e in reversed(events)]
    assert rows[-1][1] == [("name", "Nama Lama", "Nama Baru")]  # unchanged golongan is not shown
    assert "Nama Lama" in response.text and "Nama Baru" in response.text


@pytest.mark.parametrize("query, expected", [
    ("action=employee.create", [1]),
    ("object_type=employees.employee", [0, 1]),
    ("object_id=3", [2]),
    ("actor=ADMIN", []),
    ("action=tidak.ada", []),
])
def test_audit_log_filters(client_for, users, events, query, expected):
    response = client_for(users.admin_bkpsdm).get(f"{AUDIT}?{query}")
    assert sorted(e.pk for e, _ in response.context["rows"]) == [events[i].pk for i in expected]


def test_audit_log_filters_by_actor_and_date(client_for, users, events):
    client = client_for(users.admin_bkpsdm)
    by_actor = client.get(AUDIT, {"actor": users.admin_opd_a.username.upper()})
    assert [e.pk for e, _ in by_actor.context["rows"]] == [events[1].pk]
    today = timezone.localdate()
    assert len(client.get(AUDIT, {"date_from": today, "date_to": today}).context["rows"]) == 3
    assert client.get(AUDIT, {"date_from": today + dt.timedelta(1)}).context["rows"] == []
    assert client.get(AUDIT, {"date_to": today - dt.timedelta(1)}).context["rows"] == []


def test_audit_log_bad_filter_is_reported_not_fatal(client_for, users, events):
    client = client_for(users.admin_bkpsdm)
    today = timezone.localdate()
    response = client.get(AUDIT, {"date_from": today, "date_to": today - dt.timedelta(1), "action": "unit.rename"})
    assert response.status_code == 200
    assert "Tanggal awal tidak boleh sesudah tanggal akhir" in response.text
    assert [e.pk for e, _ in response.context["rows"]] == [events[2].pk]
    assert client.get(AUDIT, {"date_from": "kemarin"}).status_code == 200


def test_audit_log_htmx_filter_returns_the_results_fragment(client_for, users, events):
    response = client_for(users.admin_bkpsdm).get(AUDIT, {"action": "unit.rename"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text and 'id="hasil-audit"' in response.text
    assert "Dinas Y" in response.text


def test_audit_log_paginates_with_constant_queries(client_for, users, events):
    client = client_for(users.inspektorat)
    before = queries_for(client, AUDIT)
    for i in range(60):
        audit_record(actor=users.admin_bkpsdm, action="bulk", object_type="x", object_id=i, after={"i": i})
    assert queries_for(client, AUDIT) == before
    first = client.get(AUDIT)
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.num_pages == 2
    second = client.get(AUDIT, {"hal": 2, "action": ""})
    assert len(second.context["rows"]) == 13
    assert "hal=1" in second.text


def test_chain_check_runs_only_on_demand(client_for, users, events):
    client = client_for(users.inspektorat)
    page = client.get(AUDIT)
    assert "Rantai audit utuh" not in page.text and "Periksa keutuhan rantai" in page.text
    ok = client.post(AUDIT, headers={"HX-Request": "true"})
    assert "<html" not in ok.text and "Rantai audit utuh: 3 entri diperiksa." in ok.text
    AuditEvent.objects.filter(pk=events[1].pk).update(summary="dipalsukan")
    broken = client.post(AUDIT, headers={"HX-Request": "true"})
    assert f"RUSAK pada entri #{events[1].pk}" in broken.text and "telah diubah" in broken.text
    without_js = client.post(AUDIT)
    assert "<html" in without_js.text and f"#{events[1].pk}" in without_js.text


def test_audit_diff_of_creation_deletion_and_scalars():
    assert audit_diff(None, {"a": 1}) == [("a", "—", "1")]
    assert audit_diff({"a": 1}, None) == [("a", "1", "—")]
    assert audit_diff({"a": None}, {}) == [("a", "—", "—")]
    assert audit_diff(None, None) == []
    assert audit_diff("x", "y") == [("", "x", "y")]
    assert audit_diff({"a": "z" * 200}, {})[0][1].endswith("…")


# --------------------------------------------------------------------------- health


def test_health_reports_the_database(client, db):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": True}


def test_new_atasan_sees_a_new_subordinate(client_for, org):
    """The subordinate list follows the position tree, not a stored list."""
    boss_position = PositionFactory(unit=org.opd_b, parent=org.kepala_b)
    boss = EmployeeFactory(unit=org.opd_b, position=boss_position)
    EmployeeFactory(unit=org.opd_b, position=PositionFactory(unit=org.opd_b, parent=boss_position))
    response = client_for(user_for(boss)).get(HOME)
    assert response.context["data"].subordinate_count == 1
