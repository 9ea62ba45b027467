from django.db.models import OuterRef

from simasn.core.nav import count_of, register_count

from .models import ApprovalStep, StepStatus

register_count("leave_pending", lambda: count_of(
    ApprovalStep.objects.filter(approver_id=OuterRef("employee__id"), status=StepStatus.PENDING)), awaits_decision=True)
