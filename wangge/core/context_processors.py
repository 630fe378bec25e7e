from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Perm

# (label, url name, permission needed — one, any of a tuple, or None for every signed-in user)
NAVIGATION = [
    (_("Overview"), "home", None),
    (_("Premises"), "places:premises_list", Perm.VIEW_PREMISES),
    (_("Road segments"), "places:segment_list", Perm.VIEW_PREMISES),
    (_("Residents"), "community:resident_list", Perm.VIEW_RESIDENTS),
    (_("Users"), "core:user_list", Perm.MANAGE_STAFF),
    (_("Areas"), "core:area_list", Perm.MANAGE_STAFF),
    (_("Departments"), "core:department_list", Perm.MANAGE_STAFF),
    (_("Ledgers"), "ledgers:index", (Perm.EXPORT, Perm.MANAGE_STAFF, Perm.EDIT_RESIDENTS)),
    (_("Access log"), "core:access_log", Perm.REVIEW_REVEALS),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.path
    items = []
    for label, name, perm in NAVIGATION:
        perms = perm if isinstance(perm, tuple) else (perm,)
        if perm is None or any(user.can(p) for p in perms):
            url = reverse(name)
            active = current == url if url == "/" else current.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
