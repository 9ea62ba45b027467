from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One entry of the tamper-evident audit log.

    `entry_hash` covers every other field plus the previous entry's hash, so altering or deleting any row
    breaks the chain from that row on; `manage.py audit_verify` walks it end to end.
    """

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        indexes = [models.Index(fields=["object_type", "object_id", "-id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Single row locked while appending, so concurrent writers extend the chain one at a time."""

    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)


class SiteState(models.Model):
    """Facts about this installation; `demo_seed` is set only by `seed_demo` (shows the DEMO banner and
    lets `seed_demo` run again on a database that holds demo data and nothing else)."""

    demo_seed = models.IntegerField(null=True, blank=True)
    demo_loaded_at = models.DateTimeField(null=True, blank=True)


class ScheduledRun(models.Model):
    """One run of a periodic job for one period ("2026-11-29" for a daily job, "2027" for a yearly one).
    The unique constraint lets any number of schedulers (one per server) race safely: only the one that
    inserts the row enqueues the job."""

    job = models.CharField(max_length=80)
    period = models.CharField(max_length=20)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="core_scheduled_run_once")]
        ordering = ["-enqueued_at"]
