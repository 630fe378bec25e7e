"""Registered residents."""

from django.utils.translation import gettext as _

from wangge.community.models import Resident
from wangge.core.roles import Perm

from ..figures import Figure, Section, cutoff
from ..links import list_url
from ..rollup.figures import residents as rolled_residents
from ..rollup.read import rollup_for


def provide(user, period):
    if not user.can(Perm.VIEW_RESIDENTS):
        return None
    residents = Resident.objects.visible_to(user)
    if (moment := cutoff(period)) is not None:
        count = residents.filter(created_at__lt=moment).count()
    elif (rolled := rollup_for(user)) is not None:
        count = rolled_residents(rolled)
    else:
        count = residents.count()
    return Section("residents", _("Residents"), [
        Figure("residents", _("Registered residents"), count,
               list_url("community:resident_list")),
    ])
