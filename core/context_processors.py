from django.conf import settings

from core.nav import nav_for
from core.roles import roles_of


def site(request):
    user = getattr(request, "user", None)
    user_roles = roles_of(user) if user is not None else frozenset()
    return {
        "SITE_NAME": "Hội thi Số",
        "user_roles": user_roles,
        "nav_items": nav_for(user, user_roles),
        "DEBUG": settings.DEBUG,
    }
