"""Doses and the per-resident status derived from them (recomputed by services/status.py)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.community.models import Resident
from wangge.core.base import DomainModel
from wangge.core.visibility import ScopedQuerySet

from ..choices import MAX_DOSE_NUMBER, DoseSource, Status, VaccineType
from .points import VaccinationPoint
from .scoping import ByResident


class Dose(DomainModel):
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="doses")
    number = models.PositiveSmallIntegerField(
        _("dose number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DOSE_NUMBER)],
        help_text=_("1, 2, 3 … in the order given; doses beyond the primary series are boosters."))
    given_on = models.DateField(_("date given"))
    vaccine_type = models.CharField(_("vaccine type"), max_length=16, choices=VaccineType.choices)
    product = models.CharField(_("product"), max_length=100, blank=True)
    point = models.ForeignKey(VaccinationPoint, verbose_name=_("vaccination point"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="doses")
    site = models.CharField(_("where given"), max_length=100, blank=True)
    batch = models.CharField(_("batch"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=DoseSource.choices, default=DoseSource.ENTERED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)

    Scoping = ByResident

    class Meta:
        verbose_name = _("dose")
        verbose_name_plural = _("doses")
        ordering = ["resident_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "number"], condition=Q(voided_at__isnull=True),
                                    name="dose_once_per_number",
                                    violation_error_message=_("This person already has a dose with this number.")),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=MAX_DOSE_NUMBER), name="dose_number_range"),
        ]
        indexes = [models.Index(fields=["given_on"], name="dose_given_on")]

    def __str__(self) -> str:
        return f"{self.resident_id} #{self.number} {self.given_on}"


class VaccinationStatus(models.Model):
    """One row per resident with doses or census answers: what the coverage queries read. Written only by
    services/status.recompute(), never by hand."""

    resident = models.OneToOneField(Resident, verbose_name=_("resident"), on_delete=models.CASCADE,
                                    related_name="vaccination")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNVACCINATED)
    doses = models.PositiveSmallIntegerField(_("doses"), default=0)
    vaccine_type = models.CharField(_("vaccine type"), max_length=16, choices=VaccineType.choices, blank=True)
    first_on = models.DateField(_("first dose"), null=True, blank=True)
    full_on = models.DateField(_("series complete"), null=True, blank=True)
    boosted_on = models.DateField(_("booster"), null=True, blank=True)
    census = models.ForeignKey("vaccination.CensusAnswer", verbose_name=_("latest census answer"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    contraindicated = models.BooleanField(_("permanent contraindication"), default=False)

    objects = ScopedQuerySet.as_manager()
    Scoping = ByResident

    class Meta:
        verbose_name = _("vaccination status")
        verbose_name_plural = _("vaccination statuses")
        indexes = [models.Index(fields=["status"], name="vaccination_status")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.status}"
