"""Background job of the capture side: selfies are personal data, kept `CHECKS.selfie_retention_days` and
then deleted (the event keeps its perceptual hash, which cannot be turned back into a face, so PHOTO_REUSE
still recognises an old photo sent again).

Schedule it daily: `manage.py attendance_purge_selfies` from cron, or enqueue `purge_expired_selfies`.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from simasn.core.audit import audit_record

from .models import CheckInEvent
from .rules_data import CHECKS

BATCH = 500


def purge_expired_selfies_now(now: dt.datetime | None = None, *, retention_days: int | None = None) -> int:
    """Delete the selfie files of events older than the retention period; returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=CHECKS.selfie_retention_days if retention_days is None else retention_days)
    deleted = 0
    while True:
        batch = list(CheckInEvent.objects.filter(server_time__lt=cutoff, photo_deleted_at__isnull=True)
                     .exclude(photo="").order_by("server_time").values_list("pk", "photo")[:BATCH])
        if not batch:
            break
        for _pk, name in batch:
            # A file already gone (restored backup, manual cleanup) is not an error: the goal is that it is gone.
            default_storage.delete(name)
        with transaction.atomic():
            CheckInEvent.objects.filter(pk__in=[pk for pk, _name in batch]).update(photo="", photo_deleted_at=now)
        deleted += len(batch)
    if deleted:
        with transaction.atomic():
            audit_record(actor="retensi_swafoto", action="attendance.selfies_purged", object_type="attendance.selfie",
                         summary=f"{deleted} swafoto presensi lebih tua dari {cutoff:%d-%m-%Y} dihapus",
                         after={"deleted": deleted, "before": cutoff})
    return deleted


@task()
def purge_expired_selfies() -> int:
    return purge_expired_selfies_now()
