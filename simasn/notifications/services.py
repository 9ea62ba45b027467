"""Notifications: write them in the caller's transaction, e-mail them once that transaction has committed.

Other apps call `notify` / `notify_many` from inside their own services (a leave request submitted, an SKP
rated, a complaint routed). The row is part of the caller's transaction, so a refused or rolled-back action
notifies nobody; the e-mail waits for the commit for the same reason, and an SMTP failure is logged and
never reaches the caller, whose work is already saved.

Reading one's notifications is not a personnel state change, so these writes are not audited (an audit
entry per click would also serialise every reader on the audit chain head).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import selectors
from .models import Notification

logger = logging.getLogger(__name__)

CATEGORY_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
CATEGORY_MAX = Notification._meta.get_field("category").max_length
TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length
OBJECT_TYPE_MAX = Notification._meta.get_field("object_type").max_length
OBJECT_ID_MAX = Notification._meta.get_field("object_id").max_length


def is_safe_local_url(url: str) -> bool:
    """A path on this site ("/cuti/12/"), never a way off it: no scheme, no host, no "//" or "/\\" prefix,
    and no whitespace or control character (browsers drop tabs and newlines, so "/\\t/evil.example" would
    become "//evil.example")."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean(*, category: str, title: str, body: str, url: str, object_type: str, object_id: str | int) -> dict:
    """Programming errors (a bad category or an off-site link) raise ValueError: they come from code, not
    from a user, and must fail the caller's test rather than be stored. A long title is cut, not refused, so
    a long name in it cannot block an approval."""
    if not CATEGORY_PATTERN.match(category or "") or len(category) > CATEGORY_MAX:
        raise ValueError(f"Kategori notifikasi tidak valid: {category!r}")
    title = _one_line(title or "")
    if not title:
        raise ValueError("Judul notifikasi wajib diisi.")
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    if url and (not is_safe_local_url(url) or len(url) > URL_MAX):
        raise ValueError(f"Tautan notifikasi harus berupa path relatif di situs ini: {url!r}")
    object_id = str(object_id)
    if len(object_type) > OBJECT_TYPE_MAX or len(object_id) > OBJECT_ID_MAX:
        raise ValueError("Jenis atau ID objek notifikasi terlalu panjang.")
    return {"category": category, "title": title, "body": (body or "").strip(), "url": url,
            "object_type": object_type, "object_id": object_id}


@transaction.atomic
def notify(
    *,
    recipient: Any,
    category: str,
    title: str,
    body: str = "",
    url: str = "",
    object_type: str = "",
    object_id: str | int = "",
    email: bool = True,
) -> Notification:
    """Notify one user. See `notify_many` for de-duplication and e-mail."""
    return notify_many(recipients=[recipient], category=category, title=title, body=body, url=url,
                       object_type=object_type, object_id=object_id, email=email)[0]


@transaction.atomic
def notify_many(
    *,
    recipients: Iterable[Any],
    category: str,
    title: str,
    body: str = "",
    url: str = "",
    object_type: str = "",
    object_id: str | int = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each recipient once (bulk insert); returns one notification per distinct recipient, in order.

    When an object is named, a recipient keeps at most one *unread* notification per category and object:
    an identical repeat (a retried request) changes nothing and sends nothing; a repeat with new text (a
    request submitted again after a change) refreshes that notification, moves it to the top and e-mails
    again. Once read, the next event is a new notification. Duplicates are avoided, not forbidden by a
    constraint: under a rare concurrent race a second row is harmless, a failed approval would not be.
    """
    fields = _clean(category=category, title=title, body=body, url=url, object_type=object_type,
                    object_id=object_id)
    users = list({user.pk: user for user in recipients}.values())
    if not users:
        return []
    existing: dict[int, Notification] = {}
    if fields["object_id"]:
        existing = {
            n.recipient_id: n
            for n in Notification.objects.filter(
                recipient__in=[u.pk for u in users], read_at__isnull=True, category=fields["category"],
                object_type=fields["object_type"], object_id=fields["object_id"],
            ).order_by("created_at", "id")
        }
    now = timezone.now()
    result: list[Notification] = []
    created: list[Notification] = []
    refreshed: list[Notification] = []
    for user in users:
        found = existing.get(user.pk)
        if found is None:
            found = Notification(recipient=user, created_at=now, **fields)
            created.append(found)
        elif (found.title, found.body, found.url) != (fields["title"], fields["body"], fields["url"]):
            found.title, found.body, found.url = fields["title"], fields["body"], fields["url"]
            found.created_at, found.emailed_at = now, None
            refreshed.append(found)
        result.append(found)
    Notification.objects.bulk_create(created)
    if refreshed:
        Notification.objects.bulk_update(refreshed, ["title", "body", "url", "created_at", "emailed_at"])
    to_email = [n.pk for n in (*created, *refreshed)]
    if email and to_email:
        transaction.on_commit(partial(send_notification_emails, to_email), robust=True)
    return result


def email_address_of(user: Any) -> str:
    """The login's own address, else the one on the employee record; none for a deactivated login."""
    if not user.is_active:
        return ""
    if user.email:
        return user.email
    employee = getattr(user, "employee", None)  # the reverse one-to-one raises when there is none
    return employee.email if employee is not None else ""


def _email_text(notification: Notification) -> tuple[str, str]:
    base = getattr(settings, "SIMASN_BASE_URL", "").rstrip("/")
    lines = [notification.title]
    if notification.body:
        lines += ["", notification.body]
    lines.append("")
    if notification.url and base:
        lines.append(_("Buka: %(link)s") % {"link": base + notification.url})
    else:
        lines.append(_("Buka SIMASN dan lihat menu Notifikasi."))
    lines += ["", "-- ", _("Pesan otomatis SIMASN · %(agency)s. Jangan membalas email ini.")
              % {"agency": settings.SIMASN_AGENCY_NAME}]
    return f"[SIMASN] {notification.title}", "\n".join(lines)


def send_notification_emails(pks: list[int]) -> int:
    """E-mail the given notifications that have not been e-mailed yet; returns how many went out.

    Runs after the commit (from `transaction.on_commit`), so it must never raise: every failure is logged.
    Written in the site language, whatever language the person who triggered it had chosen.
    """
    sent: list[int] = []
    try:
        rows = list(
            Notification.objects.filter(pk__in=pks, emailed_at__isnull=True)
            .select_related("recipient", "recipient__employee")
        )
        messages = [(n, email_address_of(n.recipient)) for n in rows]
        messages = [(n, address) for n, address in messages if address]
        if not messages:
            return 0
        with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
            for notification, address in messages:
                subject, text = _email_text(notification)
                try:
                    send_mail(subject, text, None, [address], connection=connection)
                except Exception:  # noqa: BLE001 - one bad address must not stop the others
                    logger.exception("Email notifikasi #%s ke pengguna #%s gagal dikirim.", notification.pk,
                                     notification.recipient_id)
                else:
                    sent.append(notification.pk)
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    except Exception:  # noqa: BLE001 - the caller's work is committed; a mail server outage is only logged
        logger.exception("Pengiriman email notifikasi %s gagal.", pks)
    return len(sent)


def mark_read(*, actor: Any, pk: int) -> Notification:
    """Mark one of the actor's own notifications read (the first read time is kept). Others' → NotFound."""
    notification = selectors.notification_get_for(viewer=actor, pk=pk)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark all of the actor's unread notifications read; returns how many changed."""
    return selectors.notification_list(viewer=actor, unread_only=True).update(read_at=timezone.now())


def mark_read_for_object(*, object_type: str, object_id: str | int, category: str = "",
                         recipient: Any = None) -> int:
    """Close notifications that are no longer news, e.g. every approver's "awaiting approval" for a request
    that has just been decided or cancelled. Called by the owning app's services, not by users."""
    if not object_type or object_id in ("", None):
        raise ValueError("Jenis dan ID objek wajib diisi.")
    unread = Notification.objects.filter(object_type=object_type, object_id=str(object_id), read_at__isnull=True)
    if category:
        unread = unread.filter(category=category)
    if recipient is not None:
        unread = unread.filter(recipient=recipient)
    return unread.update(read_at=timezone.now())
