import os
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from simasn.attendance.demo import generate_history
from simasn.core.demo.loader import DEFAULT_EMPLOYEES, DEFAULT_PASSWORD, DEFAULT_SEED, load_demo
from simasn.core.demo.wipe import DemoRefused

DEFAULT_HISTORY_DAYS = 10


class Command(BaseCommand):
    help = (
        "Load the Kota Kendari demo: the real OPD, 11 kecamatan and 65 kelurahan, positions, office locations, "
        "synthetic employees with valid NIPs and one login each, and demo role accounts. Replaces earlier demo "
        "data; refuses to run on a database holding anything else."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, default=DEFAULT_EMPLOYEES, help="number of employees (600)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed: same seed, same data (2026)")
        parser.add_argument(
            "--days", type=int, default=DEFAULT_HISTORY_DAYS,
            help=f"working days of attendance history up to today ({DEFAULT_HISTORY_DAYS})",
        )
        parser.add_argument(
            "--password", default=None,
            help=f"password of every demo account (default: $SIMASN_DEMO_PASSWORD or {DEFAULT_PASSWORD})",
        )

    def handle(self, *args, employees: int, seed: int, days: int, password: str | None, **options) -> None:
        password = password or os.environ.get("SIMASN_DEMO_PASSWORD") or DEFAULT_PASSWORD
        if days < 0:
            raise CommandError("--days tidak boleh negatif.")
        try:
            result = load_demo(employees=employees, seed=seed, password=password)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        self.stdout.write(self.style.SUCCESS(
            f"Data demo Kota Kendari dimuat (seed {result.seed}) dalam {result.seconds:.1f} detik: "
            f"{counts['employees']} pegawai, {counts['units']} unit, {counts['positions']} jabatan, "
            f"{counts['locations']} lokasi kantor."
        ))
        if days > 0:
            # After the demo's transaction: the history is big and is rebuilt idempotently if this step fails.
            started = time.perf_counter()
            history = generate_history(days=days, today=timezone.localdate(), seed=seed)
            self.stdout.write(
                f"Riwayat presensi sintetis {days} hari kerja: {history.get('attendance_events', 0)} presensi, "
                f"{history.get('attendance_days', 0)} rekap harian "
                f"({time.perf_counter() - started:.1f} detik)."
            )
        self._print_logins(result)

    def _print_logins(self, result) -> None:
        rows = [("Nama pengguna", "Peran", "Yang terlihat")]
        rows += [(login.username, login.role, login.sees) for login in result.logins]
        rows.append(("(NIP setiap pegawai)", "Pegawai", "Profil Saya; setiap pegawai demo bisa masuk dengan NIP-nya"))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        self.stdout.write("Akun demo:")
        for index, (username, role, sees) in enumerate(rows):
            self.stdout.write(f"  {username.ljust(widths[0])}  {role.ljust(widths[1])}  {sees}")
            if index == 0:
                self.stdout.write(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * 13}")
        self.stdout.write("")
        self.stdout.write(f"Kata sandi semua akun demo: {result.password}")
        self.stdout.write(
            "Admin BKPSDM dan Admin OPD wajib memakai TOTP: pada login pertama, pindai kode QR yang ditampilkan "
            "dengan aplikasi autentikator (mis. Google Authenticator, Aegis) lalu masukkan 6 digitnya."
        )
