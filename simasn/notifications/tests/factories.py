import factory

from simasn.accounts.tests.factories import UserFactory
from simasn.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    category = "leave.awaiting_approval"
    title = factory.Sequence(lambda n: f"Permohonan cuti {n} menunggu persetujuan Anda")
    url = factory.Sequence(lambda n: f"/cuti/{n}/")
    object_type = "leave.leaverequest"
    object_id = factory.Sequence(str)
