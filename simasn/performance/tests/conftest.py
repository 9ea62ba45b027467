"""The SKP cycle's cast, on the shared `org`: head_a (kepala dinas, no ASN atasan in the fixture) → kabid
(pejabat penilai of staff_a) → staff_a. A pimpinan-role user stands in for head_a's atasan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from simasn.accounts.models import User
from simasn.conftest import Org, Users, user_for
from simasn.performance import services
from simasn.performance.models import Skp, SkpItem
from simasn.performance.tests.factories import last_year


@dataclass
class Cast:
    head: User  # head_a's login
    kabid: User
    staff: User
    staff2: User  # staff_a2: same atasan as staff
    staff_b: User
    pimpinan: User
    admin: User


@pytest.fixture
def cast(org: Org, users: Users) -> Cast:
    return Cast(head=user_for(org.head_a), kabid=users.kabid, staff=users.staff_a, staff2=user_for(org.staff_a2),
                staff_b=users.staff_b, pimpinan=users.pimpinan, admin=users.admin_bkpsdm)


@pytest.fixture
def year() -> int:
    return last_year()


def plan_skp(user: User, year: int, *, parent: SkpItem | None = None, unit_target: str = "",
             text: str = "Laporan pelayanan") -> Skp:
    """Draft and submit an SKP with one cascaded item and one numeric indicator."""
    skp = services.skp_create(actor=user, year=year)
    item = services.skp_item_add(actor=user, skp=skp, text=text, parent_item_id=parent.pk if parent else None,
                                 unit_target=unit_target)
    services.skp_indicator_add(actor=user, item=item, text="Jumlah laporan", target_kind="kuantitas",
                               target_value=Decimal("12"), target_unit="laporan")
    return services.skp_submit(actor=user, skp=skp)


@pytest.fixture
def agreed(cast: Cast, year: int) -> dict[str, Skp]:
    """Agreed SKPs down the line: head (agreed by pimpinan), kabid (by head), staff and staff2 (by kabid)."""
    head = plan_skp(cast.head, year, unit_target="Indeks kepuasan masyarakat 85")
    services.skp_agree(actor=cast.pimpinan, skp=head)
    head_item = head.items.get()
    kabid = plan_skp(cast.kabid, year, parent=head_item, text="Program bidang terlaksana")
    services.skp_agree(actor=cast.head, skp=kabid)
    kabid_item = kabid.items.get()
    staff = plan_skp(cast.staff, year, parent=kabid_item, text="Dokumen analisis")
    services.skp_agree(actor=cast.kabid, skp=staff)
    staff2 = plan_skp(cast.staff2, year, parent=kabid_item, text="Dokumen pelayanan")
    services.skp_agree(actor=cast.kabid, skp=staff2)
    return {name: Skp.objects.get(pk=s.pk)
            for name, s in (("head", head), ("kabid", kabid), ("staff", staff), ("staff2", staff2))}
