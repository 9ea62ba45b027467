"""The leave tests' world: the shared `org` (kepala A → kabid → staf A) with a login for every holder, and
a fixed "today" (Monday 2 March 2026) passed to the services, so dates in the tests read as calendar dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from simasn.accounts.models import User
from simasn.conftest import Org, Users, user_for

TODAY = dt.date(2026, 3, 2)  # a Monday; the test database has no holidays, so working days are weekdays


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class World:
    org: Org
    users: Users
    head_a: User  # login of the kepala Dinas Alpha


@pytest.fixture
def world(org: Org, users: Users) -> World:
    return World(org=org, users=users, head_a=user_for(org.head_a))


@pytest.fixture(autouse=True)
def quiet_email_and_private_media(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen_today(monkeypatch):
    """The services' "today" fixed at TODAY, for callers that cannot pass it (the API, the pages)."""
    from simasn.leave.services import common

    monkeypatch.setattr(common, "current_date", lambda: TODAY)
    return TODAY
