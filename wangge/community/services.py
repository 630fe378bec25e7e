"""Verbs on residents: register, edit with a version check, keep them inside the actor's scope."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from .models import Resident

EDITABLE = ("name", "id_number", "phone", "grid", "address", "family_doctor", "status")


def _check_grid(actor: User, grid: Area) -> None:
    if grid.level != AreaLevel.GRID:
        raise ValidationError({"grid": _("Choose a grid, not a larger area.")})
    # Nobody may put a row where they could not see it afterwards.
    if not Area.objects.visible_to(actor).filter(pk=grid.pk).exists():
        raise ValidationError({"grid": _("You do not manage this grid.")})


@transaction.atomic
def register_resident(actor: User, **fields) -> Resident:
    require(actor, Perm.EDIT_RESIDENTS)
    resident = Resident(**{k: v for k, v in fields.items() if k in EDITABLE})
    _check_grid(actor, resident.grid)
    return save_versioned(resident, None)


@transaction.atomic
def update_resident(actor: User, resident: Resident, expected_version: int, **fields) -> Resident:
    require(actor, Perm.EDIT_RESIDENTS)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(resident, name, value)
    _check_grid(actor, resident.grid)
    return save_versioned(resident, expected_version)
