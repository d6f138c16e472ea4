"""Demo data helpers shared by every app's ``demo.py``.

``manage.py seed_demo`` calls ``seed(out)`` of each installed app's ``demo`` module in
``INSTALLED_APPS`` order. Each must be idempotent. Demo accounts have fixed passwords so the
home page can list them when ``SHOW_DEMO_LOGINS`` is on; never enable that in production.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.roles import grant_role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    description: object  # a lazy translated string


DEMO_PASSWORD = "hoithiso2026"  # noqa: S105 - published demo password

# The accounts seed_demo creates, in the order the home page lists them.
DEMO_ACCOUNTS = [
    DemoAccount("admin", DEMO_PASSWORD, "superuser", _("Quản trị hệ thống")),
    DemoAccount("bantochuc", DEMO_PASSWORD, "organiser", _("Ban tổ chức tỉnh")),
    DemoAccount("dieuphoi", DEMO_PASSWORD, "coordinator", _("Điều phối trường")),
    DemoAccount("giaovien", DEMO_PASSWORD, "teacher", _("Giáo viên")),
    DemoAccount("hocsinh", DEMO_PASSWORD, "student", _("Học sinh")),
]


@transaction.atomic
def ensure_demo_user(account: DemoAccount, *, first_name: str = "", last_name: str = ""):
    """Create or refresh one demo account (idempotent)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=account.username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created or not user.check_password(account.password):
        user.set_password(account.password)
    if account.role == "superuser":
        user.is_superuser = True
        user.is_staff = True
    else:
        grant_role(user, account.role)
        user.is_staff = account.role == "organiser"
    if first_name:
        user.first_name, user.last_name = first_name, last_name
    user.save()
    return user
