"""Care visits to special groups (elderly people living alone and others).

Each need written on a visit becomes a work order of kind resident need, whose source is the visit:
the loop (assign, handle, verify) is the work-order engine's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.base import DomainModel
from wangge.core.fields import EncryptedTextField
from wangge.core.visibility import ScopingSpec

from ..choices import Condition
from .residents import Resident


class CareVisit(DomainModel):
    # What a visitor writes about a person's health and needs: never in the trail (docs/PRIVACY.md).
    AUDIT_WITHHELD = frozenset({"notes", "daily_life_need", "medical_need", "supplies_need"})

    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="care_visits")
    visited_on = models.DateField(_("date"))
    visitors = models.CharField(_("visitors"), max_length=200)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    # What was seen and asked for: encrypted at rest (health and personal circumstances, PRIVACY.md).
    notes = EncryptedTextField(_("observations"), blank=True)
    daily_life_need = EncryptedTextField(_("needs for daily life"), blank=True)
    medical_need = EncryptedTextField(_("needs for medical care"), blank=True)
    supplies_need = EncryptedTextField(_("needs for supplies"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    client_id = models.UUIDField(_("client id"), null=True, blank=True, editable=False)

    class Scoping(ScopingSpec):
        area = "resident__grid"
        doctor = "resident__family_doctor"
        owner = "recorded_by"

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["-visited_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["client_id"], condition=Q(client_id__isnull=False),
                                               name="care_visit_client_id")]
        indexes = [models.Index(fields=["resident", "visited_on"], name="care_visit_resident_date"),
                   models.Index(fields=["visited_on"], name="care_visit_date")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.resident}"

    NEED_FIELDS = {"daily_life": "daily_life_need", "medical": "medical_need", "supplies": "supplies_need"}
