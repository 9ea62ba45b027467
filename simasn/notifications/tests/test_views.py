"""The Notifikasi page: one's own list, newest first, 25 a page; opening one marks it read and follows only a
path on this site."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from simasn.notifications.models import Notification
from simasn.notifications.tests.factories import NotificationFactory

LIST = reverse("notifications:list")


def _open(pk: int) -> str:
    return reverse("notifications:open", args=[pk])


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_list_shows_ones_own_newest_first_with_unread_in_bold(client_for, users):
    older = NotificationFactory(recipient=users.staff_a, title="Cuti tahunan Anda disetujui")
    Notification.objects.filter(pk=older.pk).update(created_at=older.created_at.replace(year=2025),
                                                    read_at=timezone.now())
    newer = NotificationFactory(recipient=users.staff_a, title="SKP Anda telah dinilai")
    NotificationFactory(recipient=users.staff_b, title="Rahasia orang lain")
    page = client_for(users.staff_a).get(LIST).content.decode()
    assert page.index("SKP Anda telah dinilai") < page.index("Cuti tahunan Anda disetujui")
    assert "Rahasia orang lain" not in page
    assert "Tandai semua sudah dibaca" in page
    unread_item = page[page.index(_open(newer.pk)):page.index("SKP Anda telah dinilai")]
    read_item = page[page.index(_open(older.pk)):page.index("Cuti tahunan Anda disetujui")]
    assert "fw-bold" in unread_item and "Belum dibaca:" in unread_item
    assert "fw-bold" not in read_item


def test_the_unread_filter_and_the_empty_states(client_for, users):
    client = client_for(users.staff_a)
    assert "Belum ada notifikasi." in client.get(LIST).content.decode()
    read = NotificationFactory(recipient=users.staff_a, title="Sudah dibaca", read_at=timezone.now())
    page = client.get(LIST, {"belum": "1"}).content.decode()
    assert "Tidak ada notifikasi yang belum dibaca." in page and read.title not in page
    assert "Tandai semua sudah dibaca" not in page


def test_the_list_runs_a_constant_number_of_queries(client_for, users):
    client = client_for(users.staff_a)
    client.get(LIST)  # warm the session

    def queries_for_a_page() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    NotificationFactory.create_batch(3, recipient=users.staff_a)
    few = queries_for_a_page()
    NotificationFactory.create_batch(40, recipient=users.staff_a)
    many = queries_for_a_page()
    assert len(many) == len(few)
    # The paginator's COUNT, the page itself, and the navigation counts (the unread number, shared with the bell).
    assert sum("notifications_notification" in sql for sql in many) == 3


def test_pages_of_25(client_for, users):
    NotificationFactory.create_batch(30, recipient=users.staff_a)
    client = client_for(users.staff_a)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 25
    assert "Halaman 1 dari 2" in first.content.decode()
    second = client.get(LIST, {"hal": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(LIST, {"hal": "x"}).status_code == 200


def test_opening_marks_read_and_follows_the_link(client_for, users):
    notification = NotificationFactory(recipient=users.staff_a, url="/cuti/12/")
    client = client_for(users.staff_a)
    assert client.get(_open(notification.pk)).status_code == 405  # a state change is never a GET
    response = client.post(_open(notification.pk))
    assert response.status_code == 302 and response["Location"] == "/cuti/12/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_without_a_link_opening_returns_to_the_list(client_for, users):
    notification = NotificationFactory(recipient=users.staff_a, url="")
    response = client_for(users.staff_a).post(_open(notification.pk))
    assert response.status_code == 302 and response["Location"] == LIST


def test_someone_elses_notification_is_a_404_and_stays_unread(client_for, users):
    theirs = NotificationFactory(recipient=users.staff_b, url="/cuti/9/")
    assert client_for(users.staff_a).post(_open(theirs.pk)).status_code == 404
    assert client_for(users.admin_bkpsdm).post(_open(theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("url", ["https://evil.example/login", "//evil.example/", "/\\evil.example"])
def test_a_stored_off_site_link_is_never_followed(client_for, users, url):
    # notify() refuses these; the view guards rows written some other way.
    notification = NotificationFactory(recipient=users.staff_a, url=url)
    response = client_for(users.staff_a).post(_open(notification.pk), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "tidak aman" in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read(client_for, users):
    NotificationFactory.create_batch(3, recipient=users.staff_a)
    theirs = NotificationFactory(recipient=users.staff_b)
    client = client_for(users.staff_a)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "3 notifikasi ditandai sudah dibaca." in response.content.decode()
    assert not Notification.objects.filter(recipient=users.staff_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(("unread", "badge"), [(0, None), (7, ">7<"), (120, ">99+<")])
def test_the_nav_bell(db, unread, badge):
    html = render_to_string("notifications/includes/nav_bell.html", {"notifications_unread": unread})
    assert reverse("notifications:list") in html
    if badge is None:
        assert "badge" not in html and "bi-bell\"" in html
    else:
        assert badge in html and "bi-bell-fill" in html and f"{unread} belum dibaca" in html
