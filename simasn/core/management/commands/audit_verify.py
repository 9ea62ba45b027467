import sys

from django.core.management.base import BaseCommand

from simasn.core.audit import audit_verify


class Command(BaseCommand):
    help = "Check the audit log hash chain end to end; exit 1 and name the first broken entry if any."

    def handle(self, *args, **options):
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"OK: rantai audit utuh, {report.checked} entri diperiksa.")
            return
        self.stdout.write(
            f"RUSAK: entri #{report.first_broken_id} ({report.reason}); {report.checked} entri sebelumnya utuh."
        )
        sys.exit(1)
