"""Key premises and their operating status."""

from django.db.models import Count
from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.places.choices import PremisesStatus
from wangge.places.models import Premises

from ..figures import Figure, Section, cutoff
from ..links import list_url
from ..rollup.figures import premises_by_status
from ..rollup.read import rollup_for


def provide(user, period):
    if not user.can(Perm.VIEW_PREMISES):
        return None
    premises = Premises.objects.visible_to(user).filter(is_key=True).order_by()
    if (moment := cutoff(period)) is not None:
        # Premises registered by the end of the period, each with its status then (from the audit trail).
        from collections import Counter

        from wangge.places.history import status_at

        by_status = Counter(status_at(premises.filter(created_at__lt=moment), moment).values())
    elif (rolled := rollup_for(user)) is not None:
        by_status = premises_by_status(rolled)
    else:
        by_status = dict(premises.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))

    def url(**params):
        return list_url("places:premises_list", key=1, **params)

    return Section("places", _("Key premises"), [
        Figure("premises", _("Key premises"), sum(by_status.values()), url()),
        Figure("suspended", _("Suspended for rectification"), by_status.get(PremisesStatus.SUSPENDED, 0),
               url(status=PremisesStatus.SUSPENDED)),
        Figure("shut", _("Shut down"), by_status.get(PremisesStatus.SHUT, 0), url(status=PremisesStatus.SHUT)),
    ])
