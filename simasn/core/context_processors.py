from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from simasn.accounts.scopes import can_administer_city, is_city_wide, is_personnel_admin

from .models import SiteState
from .nav import counts_for, waiting_total


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None) or AnonymousUser()
    state = SiteState.objects.filter(pk=1).only("demo_seed").first()
    return {
        "INSTANCE_NAME": settings.SIMASN_INSTANCE_NAME,
        "AGENCY_NAME": settings.SIMASN_AGENCY_NAME,
        "IS_DEMO": bool(state and state.demo_seed is not None),
        "nav": {
            "personnel": is_city_wide(user) or is_personnel_admin(user),
            "admin": is_personnel_admin(user),
            "audit": can_administer_city(user) or getattr(user, "role", "") == "inspektorat",
        },
        # Everything awaiting the user's decision (leave, SKP, attendance reviews and corrections).
        "nav_waiting": SimpleLazyObject(lambda: waiting_total(counts_for(request))) if user.is_authenticated else 0,
    }
