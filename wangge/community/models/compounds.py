"""Compounds (小区) and their gates: where residents live and where entry is controlled."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.base import DomainModel
from wangge.core.models import Area
from wangge.core.visibility import ScopingSpec

from ..choices import GateControl


class Compound(DomainModel):
    name = models.CharField(_("compound name"), max_length=100)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="compounds")
    # The grid's parent, kept on the row so a neighbourhood's compounds are one indexed filter.
    neighbourhood = models.ForeignKey(Area, verbose_name=_("neighbourhood"), on_delete=models.PROTECT,
                                      related_name="+", editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    buildings = models.PositiveIntegerField(_("buildings"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0,
                                             help_text=_("As reported by the property office."))
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Scoping(ScopingSpec):
        area = "grid"

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["grid_id", "name", "id"]
        constraints = [models.UniqueConstraint(
            fields=["neighbourhood", "name"], name="compound_name_in_neighbourhood",
            violation_error_message=_("This neighbourhood already has a compound of this name."))]
        indexes = [models.Index(fields=["grid", "name"], name="compound_grid_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.neighbourhood_id = self.grid.parent_id
        super().save(*args, **kwargs)


class Gate(DomainModel):
    compound = models.ForeignKey(Compound, verbose_name=_("compound"), on_delete=models.CASCADE,
                                 related_name="gates")
    name = models.CharField(_("gate"), max_length=50)
    control = models.CharField(_("control mode"), max_length=16, choices=GateControl.choices,
                               default=GateControl.STAFFED)
    staff = models.PositiveSmallIntegerField(_("staff on duty"), default=0)
    hours = models.CharField(_("staffed hours"), max_length=50, blank=True, help_text=_("e.g. 6:00-22:00"))

    class Scoping(ScopingSpec):
        area = "compound__grid"

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["compound_id", "name"]
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="gate_name_in_compound")]

    def __str__(self) -> str:
        return f"{self.compound} {self.name}"
