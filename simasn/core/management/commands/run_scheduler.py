import time

from django.core.management.base import BaseCommand, CommandParser

from simasn.core.scheduler import JOBS, enqueue_due


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (nightly attendance close, selfie retention, leave roll-over, holidays) " \
           "when they are due; runs beside `manage.py db_worker`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between checks (60)")

    def handle(self, *args, once: bool, interval: int, **options) -> None:
        if not once:
            self.stdout.write("Penjadwal berjalan: " + ", ".join(job.name for job in JOBS))
        while True:
            for name in enqueue_due():
                self.stdout.write(f"Tugas terjadwal dimasukkan ke antrean: {name}")
            if once:
                return
            time.sleep(interval)
