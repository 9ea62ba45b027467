"""core.sql reads and writes rows exactly as the ORM does: the same Python values (aware datetimes, dates,
UUIDs, JSON, booleans, decimals, None) out of a hand-written SELECT, and rows written by `insert` / `update`
that the ORM reads back unchanged. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from simasn.accounts.models import DeviceToken, User
from simasn.accounts.tests.factories import UserFactory
from simasn.attendance.models import CheckInEvent, CorrectionRequest, DailyRecord, EventKind, EventStatus
from simasn.attendance.tests.records_helpers import MONDAY, WITA, at, make_record
from simasn.core.sql import Columns, fetch, insert, update

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 9, 12, 0, 5, 123456, tzinfo=WITA)  # microseconds and a +08:00 offset on purpose


def typed(values: dict) -> dict:
    """Each value with its type and repr: True == 1 and Decimal("2.5") == Decimal("2.50") must not pass for
    equal. Aware datetimes are compared in UTC (an instant read back need not keep the offset it was written
    with); a naive one would still differ from any aware one."""
    return {name: (type(value), repr(value.astimezone(dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo
                                      else value)) for name, value in values.items()}


def fields_of(obj) -> dict:
    return typed({f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields})


def plain(obj) -> dict:
    """An in-memory instance's values (choices enums equal their stored strings, instants compare in any zone)."""
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def row_by_pk(columns: Columns, pk: int) -> tuple:
    q = connection.ops.quote_name
    meta = columns.model._meta
    (row,) = fetch(connection, f"SELECT {columns.sql(connection)} FROM {q(meta.db_table)} "
                               f"WHERE {q(meta.pk.column)} = %s", [pk])
    return row


def full_event(employee, **overrides) -> CheckInEvent:
    """An event with every kind of column filled (NULLs left in client_time, location, reviewed_at)."""
    values = dict(
        employee=employee, kind=EventKind.IN, server_time=NOON, work_date=MONDAY, client_id=uuid.uuid4(),
        body_hash="ab" * 32, latitude=-3.97001, longitude=122.515, accuracy_m=12.5, mock_location=True,
        device_id="ponsel-uji-1", location_name="Kantor", distance_m=0.25, status=EventStatus.FLAGGED,
        flags=["OUTSIDE_GEOFENCE", "MOCK_LOCATION"], flag_details={"OUTSIDE_GEOFENCE": {"m": 1130.5, "ok": False}},
        photo_band0=0, photo_band3=65535,
    )
    values.update(overrides)
    return CheckInEvent(**values)


# --- reading: Columns ---------------------------------------------------------------------------------------


def test_a_selected_event_row_converts_to_exactly_what_the_orm_returns(org):
    event = full_event(org.staff_a)
    event.save()
    columns = Columns(CheckInEvent)
    row = row_by_pk(columns, event.pk)

    from_orm = CheckInEvent.objects.filter(pk=event.pk).values().get()
    assert typed(columns.as_dict(row, connection)) == typed(from_orm)
    assert fields_of(columns.instance(row, connection)) == fields_of(CheckInEvent.objects.get(pk=event.pk))

    got = columns.as_dict(row, connection)
    assert got["server_time"] == NOON and got["server_time"].utcoffset() is not None
    assert got["work_date"] == MONDAY and type(got["work_date"]) is dt.date
    assert got["client_id"] == event.client_id and isinstance(got["client_id"], uuid.UUID)
    assert got["mock_location"] is True
    assert got["flags"] == ["OUTSIDE_GEOFENCE", "MOCK_LOCATION"]
    assert got["flag_details"] == {"OUTSIDE_GEOFENCE": {"m": 1130.5, "ok": False}}
    assert got["client_time"] is None and got["location_id"] is None and got["reviewed_at"] is None


def test_a_selected_instance_is_a_saved_instance_of_the_database(org):
    event = full_event(org.staff_a)
    event.save()
    columns = Columns(CheckInEvent)
    found = columns.instance(row_by_pk(columns, event.pk), connection)
    assert found._state.adding is False and found._state.db == connection.alias
    assert found.get_deferred_fields() == set()


def test_a_decimal_column_keeps_its_places(org):
    record = make_record(org.staff_a, MONDAY, ["TL2", "PSW1"], first_in=at(MONDAY, "08:10"))
    assert record.deduction_percent != 0  # the test needs a non-trivial decimal
    columns = Columns(DailyRecord)
    got = columns.as_dict(row_by_pk(columns, record.pk), connection)
    assert typed(got) == typed(DailyRecord.objects.filter(pk=record.pk).values().get())
    assert type(got["deduction_percent"]) is Decimal and got["deduction_percent"].as_tuple().exponent == -2
    assert got["codes"] == ["TL2", "PSW1"] and got["is_closed"] is False


def test_the_empty_side_of_a_left_join_is_none_and_the_other_side_is_whole():
    with_token, without_token = UserFactory(), UserFactory()
    token = DeviceToken.objects.create(user=with_token, device_id="hp-1", token_hash="f" * 64)
    users, tokens = Columns(User, alias="u"), Columns(DeviceToken, alias="t")
    q = connection.ops.quote_name
    rows = fetch(connection, (
        f"SELECT {users.sql(connection)}, {tokens.sql(connection)} FROM {q(User._meta.db_table)} u "
        f"LEFT JOIN {q(DeviceToken._meta.db_table)} t ON t.{q('user_id')} = u.{q('id')} "
        f"WHERE u.{q('id')} IN (%s, %s) ORDER BY u.{q('id')}"), [with_token.pk, without_token.pk])
    cut = len(users)
    (user_1, token_1), (user_2, token_2) = [
        (users.instance(row[:cut], connection), tokens.instance(row[cut:], connection)) for row in rows]

    assert token_2 is None
    assert fields_of(user_2) == fields_of(User.objects.get(pk=without_token.pk))
    assert fields_of(token_1) == fields_of(DeviceToken.objects.get(pk=token.pk))
    assert fields_of(user_1) == fields_of(User.objects.get(pk=with_token.pk))


def test_columns_left_out_are_deferred_and_load_on_access(org):
    event = full_event(org.staff_a)
    event.save()
    columns = Columns(CheckInEvent, ("id", "employee", "kind", "server_time"))  # in the model's order
    found = columns.instance(row_by_pk(columns, event.pk), connection)

    assert columns.attnames == ("id", "employee_id", "kind", "server_time")
    everything = {f.attname for f in CheckInEvent._meta.concrete_fields}
    assert found.get_deferred_fields() == everything - {"id", "kind", "server_time", "employee_id"}
    assert (found.pk, found.kind, found.server_time, found.employee_id) == (event.pk, "in", NOON, org.staff_a.pk)
    assert found.flags == ["OUTSIDE_GEOFENCE", "MOCK_LOCATION"]  # a deferred field is read on first access


def test_columns_named_out_of_model_order_still_fill_the_right_attributes(org):
    event = full_event(org.staff_a)
    event.save()
    columns = Columns(CheckInEvent, ("server_time", "kind", "id"))
    found = columns.instance(row_by_pk(columns, event.pk), connection)
    assert (found.pk, found.kind, found.server_time) == (event.pk, "in", NOON)


# --- writing: insert and update -----------------------------------------------------------------------------


def test_an_inserted_row_reads_back_as_the_same_row_saved_by_the_orm(org):
    by_sql, by_orm = full_event(org.staff_a), full_event(org.staff_a)
    pk = insert(by_sql)
    by_orm.save()

    assert isinstance(pk, int) and by_sql.pk == pk
    assert by_sql._state.adding is False and by_sql._state.db == connection.alias
    stored = CheckInEvent.objects.filter(pk=pk).values().get()
    twin = CheckInEvent.objects.filter(pk=by_orm.pk).values().get()
    assert typed({**stored, "id": 0, "client_id": 0}) == typed({**twin, "id": 0, "client_id": 0})
    assert stored["client_id"] == by_sql.client_id and stored["server_time"] == NOON
    assert stored["source"] == "mobile" and stored["review_status"] == ""  # field defaults, not set above
    assert plain(CheckInEvent.objects.get(pk=pk)) == plain(by_sql)


def test_insert_runs_pre_save_so_auto_now_add_is_set(org):
    correction = CorrectionRequest(employee=org.staff_a, date=MONDAY, check_out_time=dt.time(16, 5), reason="Lupa")
    assert correction.created_at is None
    insert(correction)
    assert correction.created_at is not None
    assert CorrectionRequest.objects.get(pk=correction.pk).created_at == correction.created_at


def test_a_duplicate_unique_value_raises_integrity_error_and_leaves_nothing():
    first = User(username="199001012020011001", full_name="Pertama")
    insert(first)
    again = User(username="199001012020011001", full_name="Kedua")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(again)
    assert list(User.objects.filter(username="199001012020011001").values_list("pk", "full_name")) == [
        (first.pk, "Pertama")]
    assert again.pk is None and again._state.adding is True


def test_update_changes_only_that_row_and_counts_it(org):
    token = DeviceToken.objects.create(user=UserFactory(), device_id="hp-1", token_hash="a" * 64)
    other = DeviceToken.objects.create(user=UserFactory(), device_id="hp-2", token_hash="b" * 64)
    untouched = fields_of(other)

    assert update(DeviceToken, token.pk, {"last_used_at": NOON, "device_id": "hp-baru"}) == 1
    token_after = DeviceToken.objects.get(pk=token.pk)
    assert (token_after.last_used_at, token_after.device_id) == (NOON, "hp-baru")
    assert token_after.token_hash == "a" * 64 and token_after.created_at == token.created_at
    assert fields_of(DeviceToken.objects.get(pk=other.pk)) == untouched

    missing = DeviceToken.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    assert update(DeviceToken, missing, {"device_id": "hp-x"}) == 0


def test_update_prepares_json_uuid_datetime_and_null_values_like_the_orm(org):
    event = full_event(org.staff_a)
    event.save()
    client_id = uuid.uuid4()
    changes = {"flags": ["PHOTO_REUSE"], "flag_details": {"PHOTO_REUSE": {"ids": [1, 2]}}, "client_id": client_id,
               "reviewed_at": at(MONDAY, "13:00"), "mock_location": False, "latitude": None}
    assert update(CheckInEvent, event.pk, changes) == 1

    for name, value in changes.items():
        setattr(event, name, value)
    assert plain(CheckInEvent.objects.get(pk=event.pk)) == plain(event)
