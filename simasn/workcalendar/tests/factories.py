import datetime as dt

import factory

from simasn.workcalendar.models import Holiday, HolidayCategory, HolidaySource


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    date = factory.Sequence(lambda n: dt.date(2026, 1, 5) + dt.timedelta(days=n))
    name = factory.Sequence(lambda n: f"Hari Libur {n}")
    category = HolidayCategory.LIBUR_NASIONAL
    source = HolidaySource.MANUAL
