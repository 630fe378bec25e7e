from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wangge.core.base import DomainModel
from wangge.core.models import Area
from wangge.core.visibility import ScopingSpec

from .choices import BriefKind


class Brief(DomainModel):
    """A kept daily brief or review: its two files in the file storage (names in it) and what they speak for.
    The figures are those `made_for` sees; a brief for an area (the scheduled job's) is seen by everyone
    whose areas cover it, a brief someone made for themselves only by them (and administrators)."""

    kind = models.CharField(_("kind"), max_length=8, choices=BriefKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    made_for = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("figures as seen by"),
                                 on_delete=models.PROTECT, related_name="briefs")
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    docx_file = models.CharField(_("Word file"), max_length=200)
    pdf_file = models.CharField(_("PDF file"), max_length=200)

    class Scoping(ScopingSpec):
        area = "area"
        owner = "made_for"

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")
        ordering = ["-ends_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="brief_period_order",
                                   violation_error_message=_("The first day must not be after the last day.")),
            models.UniqueConstraint(fields=["kind", "starts_on", "ends_on", "made_for", "area"],
                                    name="brief_one_per_period",
                                    violation_error_message=_("This brief has been made already.")),
        ]
        indexes = [models.Index(fields=["made_for", "-ends_on"], name="brief_made_for_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"
