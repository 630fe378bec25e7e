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


class GridFigure(models.Model):
    """One per-grid count the dashboard sums (docs/DASHBOARD.md, "Roll-ups"): `key` names the figure
    (e.g. `task:12:done`), `day` the day it counts for when it is a daily figure, `part` a sub-key when
    the figure is counted distinct across grids (a person, a premises) or by a second date. Derived
    data rewritten by `rollup.refresh`, never edited and not audited. `grid` 0: rows with no grid."""

    grid = models.BigIntegerField()
    key = models.CharField(max_length=80)
    day = models.DateField(null=True)
    part = models.BigIntegerField(default=0)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grid", "key", "day", "part"], name="gridfigure_once"),
            # NULL days are distinct in a unique index: a second one for the figures without a day.
            models.UniqueConstraint(fields=["grid", "key", "part"], condition=Q(day__isnull=True),
                                    name="gridfigure_once_undated"),
        ]
        # The read: figures by key prefix (and day) over a set of grids (a district or a cadre's), covering.
        # PostgreSQL needs the pattern class for LIKE 'prefix%'; SQLite reads a key range (rollup/read.py).
        indexes = [models.Index(fields=["key", "day", "grid", "part", "value"], name="gridfigure_key_grid",
                                opclasses=["varchar_pattern_ops", "", "", "", ""])]

    def __str__(self) -> str:
        return f"{self.grid} {self.key} {self.day or ''} {self.part or ''} = {self.value}"


class StaleGrid(models.Model):
    """A grid whose GridFigure rows must be recomputed: written by database triggers on every table a
    figure counts (migration 0003_rollups), claimed and deleted by `rollup.refresh`."""

    grid = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.grid} since {self.marked_at}"
