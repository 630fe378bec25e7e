"""Registered residents."""

from django.utils.translation import gettext as _

from wangge.community.models import Resident
from wangge.core.roles import Perm

from ..figures import Figure, Section, cutoff
from ..links import list_url


def provide(user, period):
    if not user.can(Perm.VIEW_RESIDENTS):
        return None
    residents = Resident.objects.visible_to(user)
    if (moment := cutoff(period)) is not None:
        residents = residents.filter(created_at__lt=moment)
    return Section("residents", _("Residents"), [
        Figure("residents", _("Registered residents"), residents.count(),
               list_url("community:resident_list")),
    ])
