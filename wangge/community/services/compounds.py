"""Verbs on compounds and their gates."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..models import Compound, Gate
from . import _check_grid, managed_grid_ids

COMPOUND_FIELDS = ("name", "grid", "address", "buildings", "households", "population")
GATE_FIELDS = ("name", "control", "staff", "hours")


@transaction.atomic
def save_compound(actor: User, compound: Compound, expected_version: int | None = None) -> Compound:
    """Register or edit a compound; the actor must manage its grid before and after."""
    require(actor, Perm.EDIT_RESIDENTS)
    managed = managed_grid_ids(actor)
    if compound.pk:
        _check_grid(Compound.objects.select_related("grid").get(pk=compound.pk).grid, managed)
    if compound.grid_id is None:
        raise ValidationError({"grid": _("Choose a grid.")})
    _check_grid(compound.grid, managed)
    compound.name = compound.name.strip()
    compound.neighbourhood_id = compound.grid.parent_id
    return save_versioned(compound, expected_version)


@transaction.atomic
def save_gate(actor: User, gate: Gate, expected_version: int | None = None) -> Gate:
    require(actor, Perm.EDIT_RESIDENTS)
    if not Compound.objects.visible_to(actor).filter(pk=gate.compound_id).exists():
        raise ValidationError({"compound": _("Not found, or outside your area.")})
    return save_versioned(gate, expected_version)
