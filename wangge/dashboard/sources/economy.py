"""Enterprise visits and demands, from `economy.figures`."""

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.economy import figures as economy
from wangge.economy.choices import EnterpriseStatus
from wangge.economy.models import Enterprise
from wangge.workorders.choices import Kind

from ..figures import Figure, Section
from ..links import list_url


def provide(user, period):
    if not user.can(Perm.VIEW_ENTERPRISES):
        return None
    days = economy.DEFAULT_DAYS
    data = economy.overview(user, Enterprise.objects.visible_to(user), days, timezone.localdate())
    cover, demands = data["coverage"], data["demands"]
    open_demands = sum(r["open"] for r in demands["by_category"])
    return Section("economy", _("Enterprises"), [
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
