"""Background jobs of the work calendar (run by `manage.py db_worker`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def sync_national_holidays(years: list[int] | None = None) -> dict[str, int]:
    """The yearly run (schedule it early in the year and after each new SKB): this year and the next."""
    if not years:
        this_year = timezone.localdate().year
        years = [this_year, this_year + 1]
    return services.sync_holidays(actor="sync_holidays", years=years)
