"""notify / notify_many write in the caller's transaction and e-mail only after it commits; a user reads and
marks only their own notifications."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.db import transaction

from simasn.accounts.tests.factories import UserFactory
from simasn.core.errors import NotFound
from simasn.employees.tests.factories import EmployeeFactory
from simasn.notifications import selectors, services
from simasn.notifications.context_processors import unread
from simasn.notifications.models import Notification
from simasn.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

LOGGER = "simasn.notifications.services"
LEAVE = {"category": "leave.awaiting_approval", "object_type": "leave.leaverequest", "object_id": 12}


class Boom(Exception):
    pass


def test_the_email_goes_out_only_after_the_commit(django_capture_on_commit_callbacks, settings):
    settings.SIMASN_BASE_URL = "https://simasn.kendarikota.go.id"
    user = UserFactory(email="kabid@example.go.id")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = services.notify(recipient=user, title="Cuti tahunan Budi menunggu persetujuan Anda",
                                       body="5 hari kerja, 16–20 Maret 2026.", url="/cuti/12/", **LEAVE)
        assert mail.outbox == []  # still inside the caller's transaction
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["kabid@example.go.id"]
    assert message.subject == "[SIMASN] Cuti tahunan Budi menunggu persetujuan Anda"
    assert "5 hari kerja" in message.body
    assert "https://simasn.kendarikota.go.id/cuti/12/" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None and notification.read_at is None
    assert (notification.object_type, notification.object_id) == ("leave.leaverequest", "12")


def test_a_rolled_back_action_notifies_nobody(django_capture_on_commit_callbacks):
    user = UserFactory(email="kabid@example.go.id")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), transaction.atomic():
        services.notify(recipient=user, title="Menunggu persetujuan", **LEAVE)
        raise Boom
    assert callbacks == [] and mail.outbox == [] and not Notification.objects.exists()


def test_the_address_falls_back_to_the_employee_record(django_capture_on_commit_callbacks):
    employee = EmployeeFactory(email="staf@example.go.id")
    employee.user = UserFactory(email="")
    employee.save(update_fields=["user"])
    no_address = UserFactory(email="")
    deactivated = UserFactory(email="lama@example.go.id", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_many(recipients=[employee.user, no_address, deactivated], category="skp.rated",
                             title="SKP Anda telah dinilai")
    assert [m.to for m in mail.outbox] == [["staf@example.go.id"]]
    emailed = dict(Notification.objects.values_list("recipient_id", "emailed_at"))
    assert emailed[employee.user.pk] is not None
    assert emailed[no_address.pk] is None and emailed[deactivated.pk] is None


def test_email_false_writes_the_row_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipient=UserFactory(email="a@example.go.id"), category="leave.decided",
                        title="Cuti disetujui", email=False)
    assert callbacks == [] and mail.outbox == [] and Notification.objects.count() == 1


def test_a_mail_failure_is_logged_and_never_reaches_the_caller(django_capture_on_commit_callbacks, monkeypatch,
                                                               caplog):
    real_send_mail = services.send_mail

    def flaky(subject, message, from_email, recipient_list, **kwargs):
        if recipient_list == ["rusak@example.go.id"]:
            raise OSError("SMTP tidak menjawab")
        return real_send_mail(subject, message, from_email, recipient_list, **kwargs)

    monkeypatch.setattr(services, "send_mail", flaky)
    broken, fine = UserFactory(email="rusak@example.go.id"), UserFactory(email="baik@example.go.id")
    with caplog.at_level(logging.ERROR, logger=LOGGER), django_capture_on_commit_callbacks(execute=True):
        notifications = services.notify_many(recipients=[broken, fine], category="leave.decided",
                                             title="Cuti disetujui")
    assert [m.to for m in mail.outbox] == [["baik@example.go.id"]]
    assert "gagal dikirim" in caplog.text
    for n in notifications:
        n.refresh_from_db()
    assert notifications[0].emailed_at is None and notifications[1].emailed_at is not None


def test_a_dead_mail_server_is_logged_too(django_capture_on_commit_callbacks, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with caplog.at_level(logging.ERROR, logger=LOGGER), django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(recipient=UserFactory(email="a@example.go.id"),
                                       category="leave.decided", title="Cuti disetujui")
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert "notifikasi" in caplog.text


def test_notify_many_is_one_insert_for_any_number_of_recipients(django_assert_max_num_queries):
    recipients = UserFactory.create_batch(30)
    with django_assert_max_num_queries(4):  # savepoints, the duplicate lookup, one INSERT
        created = services.notify_many(recipients=[*recipients, recipients[0]], title="Survei IKM dibuka",
                                       category="surveys.opened", object_type="surveys.survey", object_id=3)
    assert [n.recipient_id for n in created] == [u.pk for u in recipients]
    assert Notification.objects.count() == 30
    assert services.notify_many(recipients=[], category="surveys.opened", title="x") == []


def test_an_identical_repeat_changes_nothing(django_capture_on_commit_callbacks):
    user = UserFactory(email="kabid@example.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(recipient=user, title="Menunggu persetujuan", url="/cuti/12/", **LEAVE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.notify(recipient=user, title="Menunggu persetujuan", url="/cuti/12/", **LEAVE)
    assert again.pk == first.pk and callbacks == []
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_new_text_for_the_same_unread_object_refreshes_it(django_capture_on_commit_callbacks):
    user = UserFactory(email="kabid@example.go.id")
    old = NotificationFactory(recipient=user, title="Menunggu persetujuan", category=LEAVE["category"],
                              object_type=LEAVE["object_type"], object_id="12")
    Notification.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2025))
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = services.notify(recipient=user, title="Diajukan kembali setelah perbaikan", **LEAVE)
    assert refreshed.pk == old.pk and Notification.objects.count() == 1
    refreshed.refresh_from_db()
    assert refreshed.title == "Diajukan kembali setelah perbaikan" and refreshed.created_at.year != 2025
    assert len(mail.outbox) == 1


def test_once_read_the_next_event_is_a_new_notification():
    user = UserFactory()
    first = services.notify(recipient=user, title="Menunggu persetujuan", **LEAVE)
    services.mark_read(actor=user, pk=first.pk)
    second = services.notify(recipient=user, title="Menunggu persetujuan", **LEAVE)
    other_category = services.notify(recipient=user, title="Diputuskan", **{**LEAVE, "category": "leave.decided"})
    assert len({first.pk, second.pk, other_category.pk}) == 3


def test_without_an_object_every_call_is_a_new_notification():
    user = UserFactory()
    services.notify(recipient=user, category="core.announcement", title="Pengumuman")
    services.notify(recipient=user, category="core.announcement", title="Pengumuman")
    assert Notification.objects.count() == 2


@pytest.mark.parametrize("url", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
    "javascript:alert(1)", "evil.example/path", "cuti/12/", "http:/evil.example", "/cuti\x00/",
])
def test_off_site_links_are_refused(url):
    assert not services.is_safe_local_url(url)
    with pytest.raises(ValueError, match="path relatif"):
        services.notify(recipient=UserFactory(), category="leave.decided", title="x", url=url)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["/cuti/12/", "/notifikasi/?belum=1", "/skp/3/#penilaian", "/a/b%2Fc/"])
def test_site_paths_are_accepted(url):
    assert services.is_safe_local_url(url)


@pytest.mark.parametrize("category", ["", "Leave.Approved", "leave approved", "leave..x", ".leave", "a" * 65])
def test_a_malformed_category_is_refused(category):
    with pytest.raises(ValueError, match="Kategori"):
        services.notify(recipient=UserFactory(), category=category, title="x")


def test_a_blank_title_is_refused_and_a_long_one_is_cut():
    with pytest.raises(ValueError, match="Judul"):
        services.notify(recipient=UserFactory(), category="leave.decided", title=" \n ")
    long = services.notify(recipient=UserFactory(), category="leave.decided", title="Cuti\nbesar " + "x" * 300)
    assert len(long.title) == 200 and long.title.endswith("…") and long.title.startswith("Cuti besar x")


def test_mark_read_only_touches_ones_own():
    mine, theirs = NotificationFactory(), NotificationFactory()
    read = services.mark_read(actor=mine.recipient, pk=mine.pk)
    first_read_at = read.read_at
    assert first_read_at is not None
    assert services.mark_read(actor=mine.recipient, pk=mine.pk).read_at == first_read_at
    with pytest.raises(NotFound):
        services.mark_read(actor=mine.recipient, pk=theirs.pk)
    with pytest.raises(NotFound):
        services.mark_read(actor=mine.recipient, pk=10**9)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_only_touches_ones_own():
    user = UserFactory()
    NotificationFactory.create_batch(3, recipient=user)
    other = NotificationFactory()
    assert selectors.unread_count(user) == 3
    assert services.mark_all_read(actor=user) == 3
    assert services.mark_all_read(actor=user) == 0
    assert selectors.unread_count(user) == 0 and selectors.unread_count(other.recipient) == 1


def test_a_decided_request_closes_every_approvers_awaiting_notification():
    kabid, kepala = UserFactory(), UserFactory()
    services.notify_many(recipients=[kabid, kepala], title="Menunggu persetujuan", **LEAVE)
    services.notify(recipient=kabid, category="leave.awaiting_approval", title="Lain", object_type="leave.leaverequest",
                    object_id=13)
    closed = services.mark_read_for_object(object_type="leave.leaverequest", object_id=12,
                                           category="leave.awaiting_approval")
    assert closed == 2
    assert selectors.unread_count(kabid) == 1 and selectors.unread_count(kepala) == 0
    with pytest.raises(ValueError):
        services.mark_read_for_object(object_type="leave.leaverequest", object_id="")


def test_the_list_is_own_newest_first_and_anonymous_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory()
    older, newer = NotificationFactory(recipient=user), NotificationFactory(recipient=user)
    Notification.objects.filter(pk=older.pk).update(created_at=older.created_at.replace(year=2025))
    NotificationFactory()
    services.mark_read(actor=user, pk=newer.pk)
    assert list(selectors.notification_list(viewer=user)) == [newer, older]
    assert list(selectors.notification_list(viewer=user, unread_only=True)) == [older]
    assert list(selectors.notification_list(viewer=AnonymousUser())) == []
    assert selectors.unread_count(AnonymousUser()) == 0
    with pytest.raises(NotFound):
        selectors.notification_get_for(viewer=AnonymousUser(), pk=older.pk)


def test_the_context_processor_counts_lazily_and_skips_anonymous(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread(request) == {}
    request.user = UserFactory()
    NotificationFactory.create_batch(2, recipient=request.user)
    with django_assert_num_queries(0):
        context = unread(request)
    with django_assert_num_queries(1):
        assert context["notifications_unread"] == 2
        assert context["notifications_unread"] > 1 and str(context["notifications_unread"]) == "2"
