"""Header navigation, filled by each app in its ``AppConfig.ready``.

An entry is shown to users holding any of its roles (empty roles: everyone; "anonymous":
only signed-out visitors), in the order of ``weight``.
"""

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translated string
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    weight: int = 50


_items: list[NavItem] = []


def register_nav(label, url_name: str, *roles: str, weight: int = 50) -> None:
    item = NavItem(label, url_name, frozenset(roles), weight)
    if item not in _items:
        _items.append(item)


def nav_for(user, user_roles: frozenset[str]) -> list[dict]:
    signed_in = bool(user is not None and user.is_authenticated)
    superuser = signed_in and user.is_superuser
    out = []
    for item in sorted(_items, key=lambda i: i.weight):
        if "anonymous" in item.roles:
            visible = not signed_in
        elif not item.roles:
            visible = True
        else:
            visible = superuser or bool(item.roles & user_roles)
        if visible:
            out.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
    return out
