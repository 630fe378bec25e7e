"""Vaccination points (接种点) and the 60+ register's people (a proxy of Resident with the vaccination
visibility rule)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.community.models import Resident
from wangge.core.base import DomainModel, DomainQuerySet
from wangge.core.models import Area, Department
from wangge.core.visibility import ScopingSpec


class VaccinationPoint(DomainModel):
    name = models.CharField(_("point name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    health_centre = models.ForeignKey(Department, verbose_name=_("run by"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text=_("The community health centre that runs the point."))
    active = models.BooleanField(_("active"), default=True)

    class Scoping(ScopingSpec):
        town_area = "grid"  # reference data of its town: anyone there who books an appointment picks a point

    class Meta:
        verbose_name = _("vaccination point")
        verbose_name_plural = _("vaccination points")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="vaccination_point_name_unique",
                                               violation_error_message=_("A point with this name exists."))]

    def __str__(self) -> str:
        return self.name


class ElderQuerySet(DomainQuerySet):
    def choosable_by(self, user) -> "ElderQuerySet":
        """Whom a request body may name (an appointment, an outreach, a dose): people the user sees who
        are 60 or older today. The drive's wider view (a doctor sees the unsigned residents of their
        areas) is for the 60+; nobody younger is booked or recorded through it (core/ids.py)."""
        from django.utils import timezone

        from wangge.vaccination.services.status import born_by

        return self.visible_to(user).filter(birth_date__lte=born_by(timezone.localdate()))


class Elder(Resident):
    """A resident seen through the vaccination drive's rule: family doctors also see the unsigned
    residents of their areas. The residents register keeps its own rule (docs/VACCINATION.md)."""

    objects = ElderQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "grid"
        doctor = "family_doctor"
        doctor_area = ("grid", "family_doctor")

    class Meta:
        proxy = True
        verbose_name = _("person on the 60+ register")
        verbose_name_plural = _("60+ register")
