"""Requests straight into the database (no services), for tests that need a state, not a workflow."""

from __future__ import annotations

import datetime as dt

import factory

from simasn.accounts.tests.factories import UserFactory
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave.models import AbsenceRequest, ApprovalStep, RequestKind, RequestStatus, StepStatus


class AbsenceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbsenceRequest

    employee = factory.SubFactory(EmployeeFactory)
    kind = RequestKind.CUTI
    leave_type = "tahunan"
    start_date = dt.date(2026, 3, 9)
    end_date = dt.date(2026, 3, 10)
    working_days = 2
    reason = "Urusan keluarga"
    status = RequestStatus.APPROVED
    submitted_by = factory.SubFactory(UserFactory)


class ApprovalStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalStep

    request = factory.SubFactory(AbsenceRequestFactory)
    order = 1
    role = "atasan_langsung"
    approver = factory.SubFactory(EmployeeFactory)
    status = StepStatus.PENDING
