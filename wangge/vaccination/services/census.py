"""Census answers (摸排): one more answer per ask; the latest is the person's answer."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..choices import Contraindication, Reason, Willingness
from ..models import CensusAnswer
from .doses import check_resident
from .status import recompute


@transaction.atomic
def record_answer(actor: User, resident, *, reason: str, willingness: str = Willingness.UNDECIDED,
                  contraindication: str = "", until: datetime.date | None = None,
                  asked_on: datetime.date | None = None, notes: str = "") -> CensusAnswer:
    require(actor, Perm.RECORD_VACCINATION)
    check_resident(actor, resident)
    asked_on = asked_on or timezone.localdate()
    errors = {}
    if reason not in Reason.values:
        errors["reason"] = _("Choose a reason.")
    if willingness not in Willingness.values:
        errors["willingness"] = _("Choose the person's willingness.")
    if reason in (Reason.PERMANENT, Reason.TEMPORARY) and contraindication not in Contraindication.values:
        errors["contraindication"] = _("Say which contraindication.")
    if reason == Reason.TEMPORARY and not isinstance(until, datetime.date):
        errors["until"] = _("Give the date a temporary contraindication ends.")
    elif reason == Reason.TEMPORARY and until < asked_on:
        errors["until"] = _("The end date is before the date asked.")
    if asked_on > timezone.localdate():
        errors["asked_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    health = reason in (Reason.PERMANENT, Reason.TEMPORARY)
    answer = save_versioned(CensusAnswer(
        resident=resident, reason=reason, willingness=willingness, asked_on=asked_on, asked_by=actor,
        contraindication=contraindication if health else "", until=until if reason == Reason.TEMPORARY else None,
        notes=(notes or "").strip()[:200]), None)
    recompute([resident.pk])
    return answer
