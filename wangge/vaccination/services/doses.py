"""Enter, correct and void doses; every change recomputes the person's status (both directions)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..choices import MAX_DOSE_NUMBER, DoseSource, VaccineType
from ..models import Dose, Elder, VaccinationPoint
from .status import recompute

EDITABLE = ("number", "given_on", "vaccine_type", "product", "point", "site", "batch")


def check_resident(actor: User, resident) -> None:
    if resident is None or not Elder.objects.visible_to(actor).filter(pk=resident.pk).exists():
        raise ValidationError({"resident": _("No such person, or outside your area.")})


def _check(dose: Dose) -> None:
    errors = {}
    if not isinstance(dose.number, int) or not 1 <= dose.number <= MAX_DOSE_NUMBER:
        errors["number"] = _("A dose number is 1 to %(max)s.") % {"max": MAX_DOSE_NUMBER}
    if not isinstance(dose.given_on, datetime.date):
        errors["given_on"] = _("Give the date the dose was given.")
    elif dose.given_on > timezone.localdate():
        errors["given_on"] = _("The date cannot be in the future.")
    elif dose.given_on < dose.resident.birth_date:
        errors["given_on"] = _("The date is before the person was born.")
    if dose.vaccine_type not in VaccineType.values:
        errors["vaccine_type"] = _("Choose the vaccine type.")
    if dose.point_id and not VaccinationPoint.objects.filter(pk=dose.point_id).exists():
        errors["point"] = _("No such vaccination point.")
    taken = Dose.objects.filter(resident_id=dose.resident_id, number=dose.number, voided_at__isnull=True)
    if "number" not in errors and taken.exclude(pk=dose.pk).exists():
        errors["number"] = _("This person already has a dose with this number; correct or void that one.")
    if errors:
        raise ValidationError(errors)


def build_dose(resident, **fields) -> Dose:
    dose = Dose(resident=resident, **{k: v for k, v in fields.items() if k in (*EDITABLE, "source")})
    for name in ("product", "site", "batch"):
        setattr(dose, name, (getattr(dose, name) or "").strip())
    _check(dose)
    return dose


@transaction.atomic
def record_dose(actor: User, resident, *, source: str = DoseSource.ENTERED, **fields) -> Dose:
    require(actor, Perm.RECORD_DOSES if source != DoseSource.IMPORTED else Perm.IMPORT_DOSES)
    check_resident(actor, resident)
    dose = build_dose(resident, source=source, **fields)
    dose.recorded_by = actor
    save_versioned(dose, None)
    recompute([resident.pk])
    return dose


@transaction.atomic
def update_dose(actor: User, dose: Dose, expected_version: int | None, **fields) -> Dose:
    require(actor, Perm.RECORD_DOSES)
    check_resident(actor, dose.resident)
    if dose.voided_at:
        raise ValidationError({"dose": _("This dose was voided; enter a new one instead.")})
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(dose, name, value.strip() if isinstance(value, str) and name in ("product", "site", "batch")
                    else value)
    _check(dose)
    save_versioned(dose, expected_version)
    recompute([dose.resident_id])
    return dose


@transaction.atomic
def void_dose(actor: User, dose: Dose, reason: str, expected_version: int | None = None) -> Dose:
    require(actor, Perm.RECORD_DOSES)
    check_resident(actor, dose.resident)
    reason = (reason or "").strip()
    if dose.voided_at:
        raise ValidationError({"dose": _("This dose is already voided.")})
    if len(reason) < 2:
        raise ValidationError({"reason": _("Say why the dose is voided.")})
    dose.voided_at = timezone.now()
    dose.void_reason = reason[:200]
    save_versioned(dose, expected_version)
    recompute([dose.resident_id])
    return dose
