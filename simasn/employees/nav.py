from django.db.models import OuterRef

from simasn.core.nav import count_of, register_count

from .models import Employee
from .selectors import DEPARTED_STATUSES

register_count("has_employee", lambda: count_of(Employee.objects.filter(user_id=OuterRef("pk"))))
# The rule of selectors._subordinates_q: holders of the positions under the user's own who still serve (a
# departed atasan's account is deactivated, so he never sees a page).
register_count("subordinates", lambda: count_of(
    Employee.objects.filter(position__parent_id=OuterRef("employee__position_id"))
    .exclude(status__in=DEPARTED_STATUSES)))
