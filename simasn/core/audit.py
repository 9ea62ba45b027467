"""The hash-chained audit log: append inside the caller's transaction, verify end to end."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent
from .request_context import current_ip

GENESIS_HASH = "0" * 64
REASON_LINK_BROKEN = "tautan ke entri sebelumnya tidak cocok (ada entri yang dihapus atau disisipkan)"
REASON_CONTENT_CHANGED = "isi entri tidak cocok dengan hash-nya (entri telah diubah)"
REASON_TAIL_REMOVED = "entri terakhir telah dihapus (kepala rantai tidak cocok)"


def _canonical(value: Any) -> Any:
    """JSON-safe, stable form of a before/after value (dates, decimals and model pks become text)."""
    return json.loads(json.dumps(value, sort_keys=True, default=str)) if value is not None else None


def _entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps({"prev": prev_hash, **fields}, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "ip_address": event.ip_address,
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor_obj,
            actor_label=(actor_obj.get_username() if actor_obj else str(actor or "sistem"))[:200],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            summary=summary[:300],
            before=_canonical(before),
            after=_canonical(after),
            ip_address=ip_address or current_ip.get(),
            prev_hash=head.last_hash,
        )
        event.entry_hash = _entry_hash(head.last_hash, _hashed_fields(event))
        event.save()
        head.last_hash = event.entry_hash
        head.last_event_id = event.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def audit_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Recompute every hash in order; report the first entry that was altered, removed or inserted."""
    prev_hash = GENESIS_HASH
    checked = 0
    last_id = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != prev_hash:
            return ChainReport(False, checked, event.pk, REASON_LINK_BROKEN)
        if _entry_hash(prev_hash, _hashed_fields(event)) != event.entry_hash:
            return ChainReport(False, checked, event.pk, REASON_CONTENT_CHANGED)
        prev_hash = event.entry_hash
        last_id = event.pk
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and (head.last_hash != prev_hash or head.last_event_id != last_id):
        return ChainReport(False, checked, head.last_event_id, REASON_TAIL_REMOVED)
    return ChainReport(True, checked)


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values of a model instance for the audit before/after (foreign keys as their ids)."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.FileField):
            out[field.name] = getattr(obj, field.name).name or None
        else:
            out[field.attname] = field.value_from_object(obj)
    return _canonical(out)


def audit_record_many(*, actor: Any, action: str, entries: list[dict[str, Any]]) -> int:
    """Append many events in one chained bulk insert (imports, seeds). Each entry has the keys of
    `audit_record` (object_type, object_id, summary, before, after). Runs inside the caller's transaction."""
    if not entries:
        return 0
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = (actor_obj.get_username() if actor_obj else str(actor or "sistem"))[:200]
    now = timezone.now()
    ip = current_ip.get()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        prev = head.last_hash
        events = []
        for entry in entries:
            event = AuditEvent(
                occurred_at=now, actor=actor_obj, actor_label=label, action=action,
                object_type=entry.get("object_type", ""), object_id=str(entry.get("object_id", "")),
                summary=str(entry.get("summary", ""))[:300], before=_canonical(entry.get("before")),
                after=_canonical(entry.get("after")), ip_address=ip, prev_hash=prev,
            )
            event.entry_hash = prev = _entry_hash(prev, _hashed_fields(event))
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=1000)
        head.last_hash = prev
        # bulk_create sets pks on PostgreSQL and SQLite ≥ 3.35; fall back to a lookup otherwise.
        head.last_event_id = events[-1].pk or AuditEvent.objects.get(entry_hash=prev).pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return len(events)
