import factory

from simasn.org import tree
from simasn.org.models import JabatanType, OfficeLocation, Position, Unit, UnitKind


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    code = factory.Sequence(lambda n: f"U{n:05d}")
    kind = UnitKind.DINAS
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.path = tree.child_path(obj.parent.path if obj.parent else None, obj.pk)
        obj.depth = tree.depth_of(obj.path)
        if create:
            obj.save(update_fields=["path", "depth"])


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    name = factory.Sequence(lambda n: f"Jabatan Uji {n}")
    unit = factory.SubFactory(UnitFactory)
    jabatan_type = JabatanType.PELAKSANA
    kelas_jabatan = 6


class OfficeLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeLocation

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Kantor Uji {n}")
    latitude = -3.99
    longitude = 122.51
    radius_m = 100
