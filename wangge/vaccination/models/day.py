"""The vaccination day: a check-in at a point, the 30-minute observation, any adverse reaction, and
the follow-up N days later."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.community.models import Resident
from wangge.core.base import DomainModel
from wangge.core.fields import EncryptedTextField

from ..choices import FollowUpResult, Severity
from .doses import Dose
from .outreach import Appointment
from .points import VaccinationPoint
from .scoping import ByResident

OBSERVATION = datetime.timedelta(minutes=30)


class Visit(DomainModel):
    AUDIT_WITHHELD = frozenset({"reaction", "handling"})  # health facts: the trail says only "changed"
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="vaccination_visits")
    point = models.ForeignKey(VaccinationPoint, verbose_name=_("vaccination point"), on_delete=models.PROTECT,
                              related_name="visits")
    appointment = models.ForeignKey(Appointment, verbose_name=_("appointment"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="visits")
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked in by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    dose = models.OneToOneField(Dose, verbose_name=_("dose"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="visit")
    observation_from = models.DateTimeField(_("observation started"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    reaction = EncryptedTextField(_("adverse reaction"), max_length=200, blank=True)  # encrypted at rest
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    handling = EncryptedTextField(_("how it was handled"), max_length=200, blank=True)

    Scoping = ByResident

    class Meta:
        verbose_name = _("vaccination visit")
        verbose_name_plural = _("vaccination visits")
        ordering = ["-checked_in_at", "-id"]
        indexes = [models.Index(fields=["point", "checked_in_at"], name="visit_point_time")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.checked_in_at:%Y-%m-%d %H:%M}"

    @property
    def earliest_release(self):
        return self.observation_from + OBSERVATION if self.observation_from else None


class FollowUp(DomainModel):
    AUDIT_WITHHELD = frozenset({"notes"})
    visit = models.OneToOneField(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="follow_up")
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="vaccination_follow_ups")
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=FollowUpResult.choices, blank=True)
    notes = EncryptedTextField(_("notes"), max_length=200, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    Scoping = ByResident

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "done_on"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.due_on}"
