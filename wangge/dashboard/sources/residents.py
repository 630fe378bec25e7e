"""Registered residents."""

from django.utils.translation import gettext as _

from wangge.community.models import Resident
from wangge.core.roles import Perm

from ..figures import Figure, Section
from ..links import list_url


def provide(user, period):
    if not user.can(Perm.VIEW_RESIDENTS):
        return None
    return Section("residents", _("Residents"), [
        Figure("residents", _("Registered residents"), Resident.objects.visible_to(user).count(),
               list_url("community:resident_list")),
    ])
