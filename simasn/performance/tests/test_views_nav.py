"""The "Kinerja" menu's flags and counts, from the single navigation-count query."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from simasn.performance import nav, services

pytestmark = pytest.mark.django_db


def flags(user) -> nav.KinerjaNav:
    request = RequestFactory().get("/")
    request.user = user
    return nav.kinerja_nav(request)["kinerja_nav"]


def test_menu_per_role(cast, users, agreed):
    staff = flags(cast.staff)
    assert staff.mine and not staff.team and not staff.recap and staff.pending == 0
    kabid = flags(cast.kabid)
    assert kabid.mine and kabid.team and kabid.coaching
    admin = flags(users.admin_bkpsdm)
    assert admin.recap and not admin.mine
    assert flags(users.pimpinan).team and flags(users.pimpinan).recap


def test_pending_counts_submitted_skps_and_objections(cast, agreed):
    services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="Ubah")
    services.skp_submit(actor=cast.staff, skp=agreed["staff"])
    assert flags(cast.kabid).pending == 1
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff2"], period=1, hasil="sesuai",
                                 perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    services.objection_file(actor=cast.staff2, assessment=a, reason="Mohon ditinjau")
    head = flags(cast.head)
    assert head.pending == 1 and head.team
