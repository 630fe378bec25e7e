"""PCR sampling sites (常态化核酸采样点): weekly hours, status, staffing and samples per shift, the queue."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core.base import DomainModel
from wangge.core.models import Area
from wangge.core.visibility import ScopingSpec

from .choices import ShiftName, SiteStatus, SiteType, Weekday
from .hours import Period


class SamplingSite(DomainModel):
    code = models.CharField(_("site code"), max_length=32, unique=True)
    name = models.CharField(_("site name"), max_length=100, unique=True)
    address = models.CharField(_("address"), max_length=200)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="sampling_sites")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    site_type = models.CharField(_("site type"), max_length=16, choices=SiteType.choices, default=SiteType.ROUTINE)
    status = models.CharField(_("status"), max_length=16, choices=SiteStatus.choices, default=SiteStatus.OPEN,
                              editable=False)
    status_reason = models.CharField(_("reason for the status"), max_length=200, blank=True, editable=False)
    capacity_per_hour = models.PositiveIntegerField(_("capacity per hour"), default=0)
    heat_measures = models.TextField(_("heat-protection measures"), blank=True)
    # The queue: set with one tap by the site's staff; who set it is kept for the staff, never shown publicly.
    wait_minutes = models.PositiveSmallIntegerField(_("waiting time (minutes)"), null=True, blank=True,
                                                    editable=False)
    wait_set_at = models.DateTimeField(_("waiting time set at"), null=True, blank=True, editable=False)
    wait_set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("waiting time set by"), null=True,
                                    blank=True, editable=False, on_delete=models.SET_NULL, related_name="+")

    class Scoping(ScopingSpec):
        area = "grid"

    class Meta:
        verbose_name = _("sampling site")
        verbose_name_plural = _("sampling sites")
        ordering = ["name"]
        indexes = [models.Index(fields=["grid", "name"], name="sampling_site_grid_name"),
                   models.Index(fields=["status", "name"], name="sampling_site_status_name")]
        constraints = [
            models.CheckConstraint(condition=Q(wait_minutes__isnull=True) | Q(wait_minutes__lte=600),
                                   name="sampling_site_wait_range",
                                   violation_error_message=_("A waiting time is at most 600 minutes.")),
            models.CheckConstraint(condition=Q(status="open") | ~Q(status_reason=""),
                                   name="sampling_site_reason_when_not_open",
                                   violation_error_message=_("Give a reason when a site is paused or closed.")),
        ]

    def __str__(self) -> str:
        return self.name

    def derive(self) -> None:
        """Coordinates to six decimals, whatever form they came in."""
        for field in ("latitude", "longitude"):
            value = getattr(self, field)
            if value is not None:
                setattr(self, field, Decimal(str(value)).quantize(Decimal("0.000001")))

    def clean_fields(self, exclude=None):
        self.derive()
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def periods(self) -> list[Period]:
        """The weekly hours as pure values (uses prefetched `hours` when present)."""
        return [Period(h.weekday, h.opens, h.closes) for h in self.hours.all()]


class OpeningHours(DomainModel):
    """One opening period of a weekday; several per day make a lunch break. Closing at or before the
    opening time means the period runs past midnight."""

    site = models.ForeignKey(SamplingSite, verbose_name=_("sampling site"), on_delete=models.CASCADE,
                             related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("At or before the opening time means past midnight."))

    class Scoping(ScopingSpec):
        area = "site__grid"

    class Meta:
        verbose_name = pgettext_lazy("sampling", "opening hours")
        verbose_name_plural = pgettext_lazy("sampling", "opening hours")
        ordering = ["site", "weekday", "opens"]
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday", "opens"], name="sampling_hours_unique_start",
                                    violation_error_message=_("Two periods of one day cannot open at the same time.")),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="sampling_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class SiteShift(DomainModel):
    """One shift of one day at a site: how many staff and volunteers worked it, how many samples were taken."""

    site = models.ForeignKey(SamplingSite, verbose_name=_("sampling site"), on_delete=models.CASCADE,
                             related_name="shifts")
    date = models.DateField(_("date"))
    shift = models.CharField(pgettext_lazy("sampling", "shift"), max_length=16, choices=ShiftName.choices)
    staff_count = models.PositiveIntegerField(pgettext_lazy("sampling", "staff"), default=0)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), default=0)
    samples = models.PositiveIntegerField(_("samples taken"), default=0)

    class Scoping(ScopingSpec):
        area = "site__grid"

    class Meta:
        verbose_name = pgettext_lazy("sampling", "shift")
        verbose_name_plural = _("shifts")
        ordering = ["-date", "site", "shift"]
        constraints = [
            models.UniqueConstraint(fields=["site", "date", "shift"], name="sampling_shift_unique",
                                    violation_error_message=_("This shift of this day is already recorded.")),
        ]
        indexes = [models.Index(fields=["date", "site"], name="sampling_shift_date_site")]

    def __str__(self) -> str:
        return f"{self.site} {self.date} {self.get_shift_display()}"
