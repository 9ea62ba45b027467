from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user: something awaits their action, or something of theirs was decided.

    Generic on purpose (leave, SKP, discipline, complaints all write here): the related object is named by
    `object_type` ("leave.leaverequest") and `object_id` as text, not by a foreign key, so no app has to
    depend on this one's schema and a deleted object leaves a readable message behind.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE,
                                  related_name="notifications")
    category = models.CharField(_("kategori"), max_length=64,
                                help_text=_("Kode singkat, mis. leave.awaiting_approval."))
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True, help_text=_("Path relatif, diawali '/'."))
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat email"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list page and the API: a user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_newest"),
            # The bell's COUNT and "unread only" on every page: partial, so it holds only what is unread.
            models.Index(fields=["recipient", "-created_at"], condition=Q(read_at__isnull=True),
                         name="notif_unread_newest"),
            # De-duplication and "mark read for this object" look notifications up by their object.
            models.Index(fields=["object_type", "object_id"], condition=~Q(object_id=""), name="notif_object"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
