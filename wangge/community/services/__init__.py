"""Verbs on residents: register (one or many), edit with a version check, keep them in scope."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wangge.core.bulk import insert_audited
from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..models import Resident

EDITABLE = ("name", "id_number", "phone", "grid", "address", "family_doctor", "status", "compound", "building", "room",
            "household", "doctor_signed_on", *Resident.FLAGS)
# Foreign keys are checked against the actor's scope below, not by a query per row in clean_fields.
CHECKED_HERE = ["grid", "family_doctor", "compound", "merged_into", "id_number_hash", "id_number_masked",
                "phone_hash", "phone_masked", "birth_date", "sex"]


def managed_grid_ids(actor: User) -> set[int]:
    return set(Area.objects.visible_to(actor).filter(level=AreaLevel.GRID).values_list("pk", flat=True))


def _check_grid(grid: Area, managed: set[int]) -> None:
    if grid.level != AreaLevel.GRID:
        raise ValidationError({"grid": _("Choose a grid, not a larger area.")})
    # Nobody may put a row where they could not see it afterwards.
    if grid.pk not in managed:
        raise ValidationError({"grid": _("You do not manage this grid.")})


def _check_place(resident: Resident, managed: set[int]) -> None:
    _check_grid(resident.grid, managed)
    if resident.compound_id and resident.compound.grid_id != resident.grid_id:
        raise ValidationError({"compound": _("This compound lies in another grid.")})
    if resident.doctor_signed_on and not resident.family_doctor_id:
        raise ValidationError({"doctor_signed_on": _("A contract date needs a family doctor.")})


def build_resident(managed: set[int], **fields) -> Resident:
    """Every check a new resident passes, for one (the form, the API) or many (an import)."""
    resident = Resident(**{k: v for k, v in fields.items() if k in EDITABLE})
    _check_place(resident, managed)
    resident.clean_fields(exclude=CHECKED_HERE)
    resident.derive_protected_columns()
    resident.track_status(None)
    return resident


@transaction.atomic
def register_resident(actor: User, **fields) -> Resident:
    require(actor, Perm.EDIT_RESIDENTS)
    resident = build_resident(managed_grid_ids(actor), **fields)
    return save_versioned(resident, None)


@transaction.atomic
def register_residents(actor: User, residents: list[Resident]) -> list[Resident]:
    """Insert residents built by `build_resident`, in batches, each with its audit entry."""
    require(actor, Perm.EDIT_RESIDENTS)
    hashes = [r.id_number_hash for r in residents]
    if len(set(hashes)) != len(hashes) or any(
            Resident.objects.filter(id_number_hash__in=hashes[i:i + 1000]).exists()
            for i in range(0, len(hashes), 1000)):
        raise ValidationError({"id_number": _("A resident with this ID number is already registered.")})
    return insert_audited(residents)


@transaction.atomic
def update_resident(actor: User, resident: Resident, expected_version: int, **fields) -> Resident:
    require(actor, Perm.EDIT_RESIDENTS)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(resident, name, value)
    managed = managed_grid_ids(actor)
    if resident.merged_into_id:
        raise ValidationError({"name": _("This record was merged into another one; edit that one.")})
    _check_place(resident, managed)
    return save_versioned(resident, expected_version)
