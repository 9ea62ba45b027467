"""The demo's role accounts and the logins printed for people trying the demo."""

from __future__ import annotations

from dataclasses import dataclass

from simasn.accounts.models import Role, User

from . import data_org as D
from .org_builder import OrgPlan
from .people import Person


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str
    name: str = ""


# username, role, scope unit code, display name, what the account sees
ROLE_ACCOUNTS: tuple[tuple[str, str, str | None, str, str], ...] = (
    ("admin.bkpsdm", Role.ADMIN_BKPSDM, None, "Admin BKPSDM (demo)",
     "seluruh pegawai dan organisasi Kota Kendari; tambah/ubah, impor/ekspor, log audit"),
    ("admin.opd", Role.ADMIN_OPD, D.DEMO_ADMIN_OPD_UNIT, "Admin OPD Dinas Kesehatan (demo)",
     "pegawai Dinas Kesehatan beserta bidang dan puskesmasnya; tambah/ubah"),
    ("pimpinan", Role.PIMPINAN, None, "Pimpinan Kota Kendari (demo)",
     "dasbor dan data pegawai seluruh kota, hanya baca"),
    ("inspektorat", Role.INSPEKTORAT, None, "Inspektorat Daerah (demo)",
     "data kepegawaian dan disiplin seluruh kota, hanya baca; log audit"),
)


def create_role_accounts(plan: OrgPlan, password_hash: str) -> list[DemoLogin]:
    users = []
    for username, role, scope_code, name, _ in ROLE_ACCOUNTS:
        scope = plan.unit_by_code[scope_code].obj if scope_code else None
        users.append(User(username=username, full_name=name, role=role, scope_unit=scope, password=password_hash))
    User.objects.bulk_create(users)
    return [DemoLogin(username, Role(role).label, sees, name) for username, role, _, name, sees in ROLE_ACCOUNTS]


def pegawai_logins(atasan: Person, atasan_position: str, staf: Person, staf_position: str) -> list[DemoLogin]:
    return [
        DemoLogin(atasan.nip, "Pegawai (atasan)",
                  f"Profil Saya dan bawahan langsungnya — {atasan_position}", atasan.full_name),
        DemoLogin(staf.nip, "Pegawai", f"Profil Saya — {staf_position}, bawahan akun di atas", staf.full_name),
    ]
