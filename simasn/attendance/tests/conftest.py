"""Fixtures of the check-in tests: the server's clock, the staff's schedule and office, his device token.
Modules with a clock of their own (the kiosk tests) define `now` themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from .capture_helpers import NOW, five_day_schedule, office_for, token_for


@pytest.fixture
def now(monkeypatch):
    """The server's clock, fixed at Monday 07:20 WITA (tests move it with now.set(...))."""

    class Clock:
        value = NOW

        def set(self, moment: dt.datetime) -> None:
            self.value = moment

    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock.value)
    return clock


@pytest.fixture
def setup(org, users, now):
    five_day_schedule(org.opd_a)
    return office_for(org.opd_a)


@pytest.fixture
def staff_token(users, setup):
    return token_for(users.staff_a)
