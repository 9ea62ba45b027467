"""GET /api/v1/notifications, POST …/{id}/read, POST …/read-all, GET …/unread-count: the caller's own only."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from simasn.accounts.tests.factories import DEFAULT_PASSWORD
from simasn.notifications.models import Notification
from simasn.notifications.tests.factories import NotificationFactory

BASE = "/api/v1/notifications"


def test_authentication_is_required(client, db):
    assert client.get(BASE).status_code == 401
    assert client.post(f"{BASE}/read-all").status_code == 401


def test_the_list_is_own_newest_first_with_the_unread_filter(client_for, users, django_assert_max_num_queries):
    read = NotificationFactory(recipient=users.staff_a, read_at=timezone.now())
    Notification.objects.filter(pk=read.pk).update(created_at=read.created_at.replace(year=2025))
    unread = NotificationFactory(recipient=users.staff_a, body="Isi", url="/cuti/12/")
    NotificationFactory(recipient=users.staff_b)
    client = client_for(users.staff_a)
    with django_assert_max_num_queries(6):
        body = client.get(BASE).json()
    assert (body["count"], body["unread"], body["page"], body["page_size"]) == (2, 1, 1, 25)
    assert [r["id"] for r in body["results"]] == [unread.pk, read.pk]
    first = body["results"][0]
    assert first["is_read"] is False and first["read_at"] is None
    assert (first["url"], first["body"], first["category"]) == ("/cuti/12/", "Isi", "leave.awaiting_approval")
    only_unread = client.get(BASE, {"unread": "true"}).json()
    assert [r["id"] for r in only_unread["results"]] == [unread.pk] and only_unread["count"] == 1


def test_paging(client_for, users):
    NotificationFactory.create_batch(5, recipient=users.staff_a)
    body = client_for(users.staff_a).get(BASE, {"page": 2, "page_size": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2


def test_bad_query_parameters_are_422(client_for, users):
    client = client_for(users.staff_a)
    for params in ({"unread": "mungkin"}, {"page": 0}, {"page_size": 101}, {"page": "x"}):
        response = client.get(BASE, params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_error"


def test_mark_one_read(client_for, users):
    mine = NotificationFactory(recipient=users.staff_a)
    client = client_for(users.staff_a)
    response = client.post(f"{BASE}/{mine.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True and response.json()["id"] == mine.pk
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 0}


def test_someone_elses_notification_is_a_404(client_for, users):
    theirs = NotificationFactory(recipient=users.staff_b)
    client = client_for(users.staff_a)
    for url in (f"{BASE}/{theirs.pk}/read", f"{BASE}/999999/read"):
        response = client.post(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Notifikasi tidak ditemukan.", "code": "not_found"}
    assert client.post(f"{BASE}/abc/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_and_unread_count(client_for, users):
    NotificationFactory.create_batch(3, recipient=users.staff_a)
    theirs = NotificationFactory(recipient=users.staff_b)
    client = client_for(users.staff_a)
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 3}
    assert client.get(f"{BASE}/read-all").status_code == 405
    assert client.post(f"{BASE}/read-all").json() == {"marked": 3}
    assert client.post(f"{BASE}/read-all").json() == {"marked": 0}
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 0}
    assert client_for(users.staff_b).get(f"{BASE}/unread-count").json() == {"unread": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_mobile_app_reads_with_its_device_token(users):
    NotificationFactory.create_batch(2, recipient=users.staff_a)
    client = Client()
    issued = client.post("/api/v1/auth/device-token", {"nip": users.staff_a.username, "password": DEFAULT_PASSWORD,
                                                       "device_id": "android-uji"}, content_type="application/json")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.json()['token']}"}
    assert client.get(f"{BASE}/unread-count", **headers).json() == {"unread": 2}
    assert client.post(f"{BASE}/read-all", **headers).json() == {"marked": 2}
