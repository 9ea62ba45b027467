"""`kinerja_nav` for the navigation bar's "Kinerja" menu, from the page's single navigation-count query
(`simasn.core.nav`): SKP Saya for employees, SKP Bawahan for atasan (with what awaits them), Rekap Kinerja
for admins and pimpinan. Importing this module registers the counts (PerformanceConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from simasn.accounts.scopes import is_city_wide, managed_unit_path
from simasn.core.nav import count_of, counts_for, register_count

from .models import Objection, Skp, SkpStatus
from .rules import acts_for_kepala_daerah

register_count("skp_to_agree", lambda: count_of(
    Skp.objects.filter(pejabat_penilai_id=OuterRef("employee__id"), status=SkpStatus.SUBMITTED)),
    awaits_decision=True)
register_count("skp_objections", lambda: count_of(
    Objection.objects.filter(reviewer_id=OuterRef("employee__id"), status=Objection.Status.PENDING)),
    awaits_decision=True)


class KinerjaNav:
    def __init__(self, user: Any, counts: dict[str, int]) -> None:
        self.mine = counts.get("has_employee", 0) > 0
        self.pending = counts.get("skp_to_agree", 0) + counts.get("skp_objections", 0)
        self.team = (self.mine and counts.get("subordinates", 0) > 0) or self.pending > 0 \
            or acts_for_kepala_daerah(user)
        self.recap = is_city_wide(user) or managed_unit_path(user) is not None
        self.coaching = self.team or self.recap
        self.any = self.mine or self.team or self.recap


def kinerja_nav(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: an HTMX fragment or a page without the navigation bar never runs the query.
    return {"kinerja_nav": SimpleLazyObject(lambda: KinerjaNav(user, counts_for(request)))}
