import factory

from simasn.accounts.models import Role, User

DEFAULT_PASSWORD = "Rahasia-Uji-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:05d}")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    role = Role.PEGAWAI
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
