from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Perm, acts, has_inbox

# (label, url name, permission needed — one, any of a tuple, or None for every signed-in user)
NAVIGATION = [
    (pgettext_lazy("inbox", "To do"), "inbox", None),
    (_("Overview"), "dashboard:home", None),
    (_("My tasks"), "inspections:my_tasks", Perm.INSPECT),
    (_("Campaigns"), "inspections:campaign_list", Perm.VIEW_INSPECTIONS),
    (_("Enforcement papers"), "papers:paper_list", Perm.VIEW_INSPECTIONS),
    (_("Premises"), "places:premises_list", Perm.VIEW_PREMISES),
    (_("Road segments"), "places:segment_list", Perm.VIEW_PREMISES),
    (_("Map"), "maps:town_map", Perm.VIEW_PREMISES),
    (_("Work orders"), "workorders:order_list", Perm.VIEW_WORKORDERS),
    (_("Public reports"), "reports:report_list", Perm.VIEW_WORKORDERS),
    (_("Field visits"), "workorders:visit_list", Perm.VIEW_FIELD_VISITS),
    (_("Notifications"), "workorders:notification_list", Perm.VIEW_WORKORDERS),
    (_("Residents"), "community:resident_list", Perm.VIEW_RESIDENTS),
    (_("Special groups"), "community:special_list", Perm.VIEW_RESIDENTS),
    (_("Enterprises"), "economy:overview", Perm.VIEW_ENTERPRISES),
    (_("Sampling sites"), "sampling:overview", Perm.VIEW_SAMPLING),
    (_("Vaccination"), "vaccination:overview", Perm.VIEW_VACCINATION),
    (_("Users"), "core:user_list", Perm.MANAGE_STAFF),
    (_("Areas"), "core:area_list", Perm.MANAGE_STAFF),
    (_("Departments"), "core:department_list", Perm.MANAGE_STAFF),
    (_("Routing"), "core:route_list", Perm.MANAGE_STAFF),
    (_("Boundaries"), "maps:boundary_import", Perm.IMPORT_BOUNDARIES),
    (_("Ledgers"), "ledgers:index", (Perm.EXPORT, Perm.MANAGE_STAFF, Perm.EDIT_RESIDENTS, Perm.IMPORT_DOSES)),
    (_("Access log"), "core:access_log", Perm.REVIEW_REVEALS),
    (_("Assessment"), "assessment:ranking", Perm.VIEW_ASSESSMENT),
    (_("My assessment"), "assessment:mine", Perm.VIEW_OWN_ASSESSMENT),
    (_("Reports and reviews"), "assessment:report_list", Perm.PREPARE_REPORTS),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # "/" is the inbox for those who act on work, the town dashboard for everyone else.
    current = request.path
    if current == reverse("home"):
        current = reverse("inbox") if acts(user) else reverse("dashboard:home")
    items = []
    for label, name, perm in NAVIGATION:
        perms = perm if isinstance(perm, tuple) else (perm,)
        if name == "inbox" and not has_inbox(user):
            continue
        if perm is None or any(user.can(p) for p in perms):
            items.append({"label": label, "url": reverse(name), "key": name, "active": False})
    # The longest URL that the current path starts with is the active entry (visits live under work orders).
    matches = [item for item in items
               if current == item["url"] or (item["url"] != "/" and current.startswith(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
