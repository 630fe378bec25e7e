from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from wangge.community.models import Resident
from wangge.core.models import Area, AreaLevel
from wangge.core.roles import Perm
from wangge.places.choices import PremisesStatus
from wangge.places.models import Premises


@login_required
def home(request):
    """The user's overview: live counts over exactly what they may see."""
    user = request.user
    areas = Area.objects.visible_to(user)
    counts = dict(areas.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    figures = [
        {"key": "neighbourhoods", "label": _("Neighbourhoods"), "value": counts.get(AreaLevel.NEIGHBOURHOOD, 0),
         "url": None},
        {"key": "grids", "label": _("Grids"), "value": counts.get(AreaLevel.GRID, 0), "url": None},
    ]
    if user.can(Perm.VIEW_PREMISES):
        premises = Premises.objects.visible_to(user).filter(is_key=True)
        by_status = dict(premises.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        figures += [
            {"key": "premises", "label": _("Key premises"), "value": sum(by_status.values()),
             "url": "places:premises_list"},
            {"key": "suspended", "label": _("Suspended for rectification"),
             "value": by_status.get(PremisesStatus.SUSPENDED, 0), "url": "places:premises_list",
             "query": "status=suspended"},
            {"key": "shut", "label": _("Shut down"), "value": by_status.get(PremisesStatus.SHUT, 0),
             "url": "places:premises_list", "query": "status=shut"},
        ]
    if user.can(Perm.VIEW_RESIDENTS):
        figures.append({"key": "residents", "label": _("Residents"), "value": Resident.objects.visible_to(user).count(),
                        "url": "community:resident_list"})
    return render(request, "dashboard/home.html", {"figures": figures, "scope": user.areas.all()})
