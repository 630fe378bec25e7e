"""Outreach (动员): contacts with their result, and appointments at a point or at home."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.community.models import Resident
from wangge.core.base import DomainModel
from wangge.core.fields import EncryptedTextField

from ..choices import AppointmentState, ContactMethod, ContactResult
from .points import VaccinationPoint
from .scoping import ByResident


class Contact(DomainModel):
    AUDIT_WITHHELD = frozenset({"notes"})
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="vaccination_contacts")
    method = models.CharField(_("how"), max_length=10, choices=ContactMethod.choices)
    result = models.CharField(_("result"), max_length=10, choices=ContactResult.choices)
    contacted_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    notes = EncryptedTextField(_("notes"), max_length=200, blank=True)
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)

    Scoping = ByResident

    class Meta:
        verbose_name = _("outreach contact")
        verbose_name_plural = _("outreach contacts")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["resident", "contacted_on"], name="contact_resident_date")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.method} {self.result}"


class Appointment(DomainModel):
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="vaccination_appointments")
    point = models.ForeignKey(VaccinationPoint, verbose_name=_("vaccination point"), on_delete=models.PROTECT,
                              related_name="appointments")
    date = models.DateField(_("date"))
    at_home = models.BooleanField(_("at home"), default=False,
                                  help_text=_("A home team from the point comes to the bedridden."))
    state = models.CharField(_("state"), max_length=10, choices=AppointmentState.choices,
                             default=AppointmentState.BOOKED)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    reminded_on = models.DateField(_("reminder made"), null=True, blank=True, editable=False)
    called_at = models.DateTimeField(_("reminder call made"), null=True, blank=True)

    Scoping = ByResident

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date", "state"], name="appointment_date_state")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.date} {self.point_id}"
