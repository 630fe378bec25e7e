"""Enterprise visits and demands, from `economy.figures`."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.economy import figures as economy
from wangge.economy.choices import EnterpriseStatus
from wangge.economy.models import Enterprise
from wangge.workorders.choices import Kind

from ..figures import Figure, Section, cutoff
from ..links import list_url


def provide(user, period):
    if not user.can(Perm.VIEW_ENTERPRISES):
        return None
    days = economy.DEFAULT_DAYS
    enterprises = Enterprise.objects.visible_to(user)
    moment = cutoff(period)
    if moment is not None:
        # Enterprises registered by the end; visits up to the last day; demands raised by then and open then.
        enterprises = enterprises.filter(created_at__lt=moment)
        data = economy.overview(user, enterprises, days, period.end)
        since = period.end - datetime.timedelta(days=days)
        active = enterprises.filter(status=EnterpriseStatus.ACTIVE)
        recent = active.filter(visits__visited_on__gt=since, visits__visited_on__lte=period.end).distinct().count()
        data["coverage"]["not_recent"] = data["coverage"]["enterprises"] - recent
        orders = economy.demand_orders_for(user, enterprises).filter(created_at__lt=moment)
        data["demands"] = economy.demand_figures(orders)
        open_demands = orders.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment)).count()
    else:
        data = economy.overview(user, enterprises, days, timezone.localdate())
        open_demands = sum(r["open"] for r in data["demands"]["by_category"])
    cover, demands = data["coverage"], data["demands"]
    section = Section("economy", _("Enterprises"), [
        Figure("enterprises", _("Enterprises in business"), cover["enterprises"],
               list_url("economy:enterprise_list", status=EnterpriseStatus.ACTIVE)),
        Figure("not_recent", _("Not visited in %(days)s days") % {"days": days}, cover["not_recent"],
               list_url("economy:not_visited", days=days)),
        Figure("demands", _("Enterprise demands"), demands["total"], list_url("workorders:order_list",
                                                                                kind=Kind.DEMAND)),
        Figure("demands_open", _("Demands not yet settled"), open_demands,
               list_url("workorders:order_list", kind=Kind.DEMAND, state="open")),
        Figure("satisfied_share", _("Satisfied or basically satisfied"), demands["satisfied_share"],
               list_url("workorders:order_list", kind=Kind.DEMAND, state="closed"), unit="%"),
    ])
    if moment is not None:
        section.note = _("Whether an enterprise is in business and the satisfaction answers are as they are now "
                         "(no history of them is kept).")
    return section
