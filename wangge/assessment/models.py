"""The assessment scheme (考核方案), the district's report definitions and the period reports sent up
(数据上报), and the reviews (复盘). A report and a review freeze their figures when submitted; a town
leader other than the preparer approves them, and they are locked from then on."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wangge.core.base import DomainModel
from wangge.core.constraints import UniqueUnless
from wangge.core.models import Area
from wangge.core.visibility import ScopingSpec

from .choices import DocStatus, PeriodKind


class Scheme(DomainModel):
    """What counts and how much: a weight per indicator (indicators.py) for a period. Town leaders edit it;
    everyone assessed reads it."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    weights = models.JSONField(_("weights"), default=dict)  # {indicator key: weight 0..100}

    class Scoping(ScopingSpec):
        everyone = True

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-ends_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=Q(starts_on__lte=F("ends_on")), name="scheme_period_order",
            violation_error_message=_("The first day must not be after the last day."))]
        indexes = [models.Index(fields=["-ends_on"], name="scheme_latest_idx")]

    def __str__(self):
        return self.name


class ReportDefinition(DomainModel):
    """The district's template: which figures, for which kind of period, with a row per which areas."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH)
    figures = models.JSONField(_("figures"), default=list)  # ["inspections.inspected", ...] (dashboard keys)
    indicators = models.JSONField(_("indicators per area"), default=list)  # indicator keys, a column each
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="+")

    class Scoping(ScopingSpec):
        everyone = True

    class Meta:
        verbose_name = _("report definition")
        verbose_name_plural = _("report definitions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Approvable(DomainModel):
    """Prepared by one person, approved by another (a town leader), then locked; the figures are frozen
    (stored, never recomputed) from the moment it is submitted."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=DocStatus.choices, default=DocStatus.DRAFT,
                              editable=False)
    frozen = models.JSONField(_("figures"), default=dict, editable=False)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"),
                                    on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    return_note = models.CharField(_("reason returned"), max_length=300, blank=True, editable=False)

    # The frozen figures are kept on the row itself; the trail records that they were set, not a second copy.
    AUDIT_WITHHELD = frozenset({"frozen", "differences"})

    class Scoping(ScopingSpec):
        area = "area"
        owner = "prepared_by"

    class Meta:
        abstract = True


def _two_people(name: str):
    return models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                                  name=name, violation_error_message=_("The preparer cannot approve it."))


class PeriodReport(Approvable):
    definition = models.ForeignKey(ReportDefinition, verbose_name=_("report definition"),
                                   on_delete=models.PROTECT, related_name="reports")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    number = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField("self", verbose_name=_("corrects"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="correction", editable=False)
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    differences = models.JSONField(_("differences"), default=list, editable=False)

    class Meta:
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        ordering = ["-ends_on", "definition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "starts_on", "ends_on", "number"],
                                    name="report_version_once",
                                    violation_error_message=_("This version of the report exists already.")),
            UniqueUnless(fields=["definition", "starts_on", "ends_on"], unless=("status", "approved"),
                         name="report_one_open_version",
                                    violation_error_message=_("A version of this report is still open.")),
            _two_people("report_two_people"),
        ]
        indexes = [models.Index(fields=["status", "-submitted_at"], name="report_status_idx")]

    def __str__(self):
        return gettext("%(name)s %(start)s to %(end)s, version %(n)s") % {
            "name": self.definition.name, "start": f"{self.starts_on:%Y-%m-%d}", "end": f"{self.ends_on:%Y-%m-%d}",
            "n": self.number}


class Review(Approvable):
    """复盘: a period's or a campaign's figures as of its end, compared, with the notable items, then
    the text a person writes; numbered (文号) when approved."""

    title = models.CharField(_("title"), max_length=100)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    campaign = models.ForeignKey("inspections.Campaign", verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True, editable=False)
    doc_number = models.CharField(_("document number"), max_length=60, null=True, blank=True, unique=True,
                                  editable=False)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-ends_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="review_period_order",
                                   violation_error_message=_("The first day must not be after the last day.")),
            models.UniqueConstraint(fields=["year", "sequence"], name="review_number_once"),
            _two_people("review_two_people"),
        ]
        indexes = [models.Index(fields=["status", "-ends_on"], name="review_status_idx")]

    def __str__(self):
        return self.doc_number or self.title


class ReviewCounter(models.Model):
    """The last review number given in a year (bumped under a row lock: core/numbering.py)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("review number counter")

    def __str__(self):
        return f"{self.year}={self.last}"
