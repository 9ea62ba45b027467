"""The audit trail is a hash chain: any altered, removed or inserted entry is found and named."""

import json

import pytest
from django.core.management import call_command

from simasn.accounts.tests.factories import UserFactory
from simasn.core.audit import audit_record, audit_record_many, audit_verify
from simasn.core.models import AuditChainHead, AuditEvent


@pytest.fixture
def chain(db) -> list[AuditEvent]:
    actor = UserFactory()
    return [
        audit_record(actor=actor, action="employee.update", object_type="employees.employee", object_id=i,
                     summary=f"ubah {i}", before={"name": f"Lama {i}"}, after={"name": f"Baru {i}"})
        for i in range(1, 6)
    ]


def run_verify() -> tuple[int, str]:
    """audit_verify as an operator runs it: (exit code, output)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_each_entry_links_to_the_one_before(chain):
    assert chain[0].prev_hash == "0" * 64
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    assert AuditChainHead.objects.get(pk=1).last_event_id == chain[-1].pk


def test_untouched_chain_verifies(chain):
    report = audit_verify()
    assert report.ok and report.checked == 5 and report.first_broken_id is None
    assert run_verify() == (0, "OK: rantai audit utuh, 5 entri diperiksa.\n")


def test_empty_log_verifies(db):
    assert audit_verify().ok
    assert run_verify()[0] == 0


def test_altered_after_value_names_that_entry(chain):
    AuditEvent.objects.filter(pk=chain[2].pk).update(after={"name": "Dipalsukan"})
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == chain[2].pk
    assert report.checked == 2
    code, out = run_verify()
    assert code == 1
    assert f"#{chain[2].pk}" in out


@pytest.mark.parametrize("field, value", [("actor_label", "orang-lain"), ("summary", "lain"), ("before", None)])
def test_any_hashed_field_altered_is_found(chain, field, value):
    AuditEvent.objects.filter(pk=chain[1].pk).update(**{field: value})
    assert audit_verify().first_broken_id == chain[1].pk


def test_deleted_middle_entry_is_named_by_its_successor(chain):
    AuditEvent.objects.filter(pk=chain[2].pk).delete()
    report = audit_verify()
    assert not report.ok
    # The gap shows at the entry whose prev_hash points at the vanished one.
    assert report.first_broken_id == chain[3].pk
    code, out = run_verify()
    assert code == 1 and f"#{chain[3].pk}" in out


def test_deleted_last_entry_is_caught_by_the_chain_head(chain):
    AuditEvent.objects.filter(pk=chain[-1].pk).delete()
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == chain[-1].pk
    assert run_verify()[0] == 1


def test_deleting_every_entry_is_caught(chain):
    AuditEvent.objects.all().delete()
    assert not audit_verify().ok


def test_a_rehashed_forgery_still_breaks_the_link_to_the_next_entry(chain):
    """Someone who recomputes the altered entry's own hash still breaks the next entry's prev_hash."""
    from simasn.core.audit import _entry_hash, _hashed_fields

    forged = AuditEvent.objects.get(pk=chain[1].pk)
    forged.after = {"name": "Dipalsukan"}
    forged.entry_hash = _entry_hash(forged.prev_hash, _hashed_fields(forged))
    forged.save()
    assert audit_verify().first_broken_id == chain[2].pk


def test_bulk_entries_continue_the_same_chain(chain):
    added = audit_record_many(
        actor="impor", action="employee.import",
        entries=[{"object_type": "employees.employee", "object_id": n, "after": {"n": n}} for n in range(3)],
    )
    audit_record(actor=None, action="after.bulk", object_type="x", object_id=1)
    assert added == 3
    report = audit_verify()
    assert report.ok and report.checked == 9


def test_snapshot_values_are_stored_as_plain_json(chain):
    import datetime as dt
    from decimal import Decimal

    event = audit_record(actor=None, action="x", after={"tanggal": dt.date(2026, 1, 2), "persen": Decimal("8.75")})
    event.refresh_from_db()
    assert event.after == {"tanggal": "2026-01-02", "persen": "8.75"}
    assert json.dumps(event.after)
    assert audit_verify().ok
