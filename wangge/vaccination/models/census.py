"""Census answers (摸排): why a person is not fully vaccinated, and whether they are willing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.community.models import Resident
from wangge.core.base import DomainModel
from wangge.core.fields import EncryptedTextField

from ..choices import Contraindication, Reason, Willingness
from .scoping import ByResident


class CensusAnswer(DomainModel):
    AUDIT_WITHHELD = frozenset({"contraindication", "notes"})  # health facts: the trail says only "changed"
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="census_answers")
    reason = models.CharField(_("census reason"), max_length=12, choices=Reason.choices)
    # Health facts, encrypted at rest; nothing queries them (figures count `reason`).
    contraindication = EncryptedTextField(_("contraindication"), max_length=20, choices=Contraindication.choices,
                                          blank=True)
    until = models.DateField(_("until"), null=True, blank=True,
                             help_text=_("A temporary contraindication holds until this date."))
    willingness = models.CharField(_("willingness"), max_length=10, choices=Willingness.choices,
                                   default=Willingness.UNDECIDED)
    asked_on = models.DateField(_("date asked"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    notes = EncryptedTextField(_("notes"), max_length=200, blank=True)

    Scoping = ByResident

    class Meta:
        verbose_name = _("census answer")
        verbose_name_plural = _("census answers")
        ordering = ["-asked_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason="temporary") | Q(until__isnull=False),
                                   name="census_temporary_has_until",
                                   violation_error_message=_("Give the date a temporary contraindication ends.")),
        ]
        indexes = [models.Index(fields=["resident", "asked_on"], name="census_resident_date")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.reason} {self.asked_on}"

    def is_current(self, on) -> bool:
        """An expired temporary contraindication no longer answers the census."""
        return not (self.reason == Reason.TEMPORARY and self.until and self.until < on)
