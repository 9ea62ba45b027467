from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from simasn.core.errors import DomainError
from simasn.workcalendar import services


class Command(BaseCommand):
    help = "Add the Indonesian national holidays and cuti bersama (default: this year and next). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int, default=None)

    def handle(self, *args, years: list[int] | None, **options):
        if not years:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        if any(not 1900 <= y <= 2200 for y in years):
            raise CommandError("Tahun harus antara 1900 dan 2200.")
        try:
            result = services.sync_holidays(actor="sync_holidays", years=years)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Hari libur {', '.join(map(str, sorted(set(years))))}: {result['created']} ditambahkan, "
            f"{result['unchanged']} sudah ada."
        )
