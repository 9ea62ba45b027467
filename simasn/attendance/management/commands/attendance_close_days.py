"""`manage.py attendance_close_days [--date YYYY-MM-DD]`: the nightly close of the daily records (for cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from simasn.attendance.tasks import close_days_now


class Command(BaseCommand):
    help = "Tutup rekap harian presensi hari-hari terakhir dan buka hari ini (jalankan tiap malam)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Hari ini menurut perintah ini (YYYY-MM-DD); bawaan: hari ini.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Tanggal harus berformat YYYY-MM-DD.") from exc
        stats = close_days_now(today)
        self.stdout.write(", ".join(f"{k}={v}" for k, v in stats.items()))
