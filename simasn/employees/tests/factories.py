import datetime as dt

import factory

from simasn.employees.models import Employee, EmployeeKind
from simasn.employees.retirement import retirement_date
from simasn.org.tests.factories import UnitFactory


def make_nip(birth: dt.date, tmt: tuple[int, int], sex: str, seq: int) -> str:
    return f"{birth:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{'1' if sex == 'L' else '2'}{seq:03d}"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    kind = EmployeeKind.PNS
    name = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    birth_date = factory.Sequence(lambda n: dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28))
    sex = factory.Sequence(lambda n: "L" if n % 2 == 0 else "P")
    nip = factory.LazyAttributeSequence(
        lambda o, n: make_nip(o.birth_date, (o.birth_date.year + 25, 3), o.sex, n % 1000)
    )
    nik = factory.LazyAttributeSequence(
        lambda o, n: f"7471{n % 100:02d}{o.birth_date.day + (40 if o.sex == 'P' else 0):02d}"
        f"{o.birth_date:%m%y}{n % 10000:04d}"
    )
    golongan = "III/a"
    unit = factory.SubFactory(UnitFactory)
    position = None
    tmt_cpns = factory.LazyAttribute(lambda o: dt.date(o.birth_date.year + 25, 3, 1))
    retirement_date = factory.LazyAttribute(
        lambda o: retirement_date(
            o.birth_date,
            o.position.jabatan_type if o.position else None,
            o.position.jf_level if o.position else None,
        )
    )
