"""`manage.py attendance_purge_selfies`: delete selfies older than the retention period (for cron, daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from simasn.attendance.tasks_capture import purge_expired_selfies_now


class Command(BaseCommand):
    help = "Hapus swafoto presensi yang melewati masa retensi."

    def handle(self, *args, **options):
        self.stdout.write(f"dihapus={purge_expired_selfies_now()}")
