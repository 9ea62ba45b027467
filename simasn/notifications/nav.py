from django.db.models import OuterRef

from simasn.core.nav import count_of, register_count

from .models import Notification

register_count("notifications_unread", lambda: count_of(
    Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)))
