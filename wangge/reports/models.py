"""Public reports (群众报事): what a resident or enterprise reported on the public page (随手拍) or through
the 12345 hotline, each handled as a work order of kind public report; and the routing table."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.base import DomainModel
from wangge.core.constraints import UniqueUnless
from wangge.core.fields import EncryptedTextField
from wangge.core.models import Area, Department
from wangge.core.visibility import ScopingSpec
from wangge.places.models import RoadSegment
from wangge.workorders.choices import Satisfaction
from wangge.workorders.models import WorkOrder

from .choices import ReportCategory, ReportChannel


class ReportRoute(DomainModel):
    """The routing table of each town: which of its departments answers a category of public report."""

    town = models.ForeignKey(Area, verbose_name=_("town"), on_delete=models.CASCADE, related_name="report_routes",
                             limit_choices_to={"level": "town"})
    category = models.CharField(_("category"), max_length=24, choices=ReportCategory.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="report_routes",
                                   help_text=_("Empty: the report goes to the neighbourhood for assignment."))

    class Scoping(ScopingSpec):
        town = "town"

    class Meta:
        verbose_name = _("report route")
        verbose_name_plural = _("report routes")
        ordering = ["town_id", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "category"], name="report_route_once")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.department or '—'}"


class PublicReport(DomainModel):
    """One report by one person. Reports of the same place and category within the window share the first
    one's order (`duplicate_of` names that first report)."""

    PROTECTED_FIELDS = {"phone": "phone_masked"}
    # The photo's storage path says nothing to a reader (and a photo may show people): the trail notes it.
    AUDIT_WITHHELD = frozenset({"photo"})

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=ReportChannel.choices, default=ReportChannel.WEB)
    hotline_case = models.CharField(_("hotline case number"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=24, choices=ReportCategory.choices)
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    segment = models.ForeignKey(RoadSegment, verbose_name=_("road segment"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="public_reports")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="public_reports")
    photo = models.FileField(_("photo"), max_length=200, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    # Set by the service in the same transaction as the report (the order links back to the report).
    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="public_reports")
    duplicate_of = models.ForeignKey("self", verbose_name=_("same as report"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="duplicates")
    received_at = models.DateTimeField(_("received"))
    satisfaction = models.CharField(_("satisfaction"), max_length=24, choices=Satisfaction.choices, blank=True)
    rating_comment = models.CharField(_("reporter's comment"), max_length=500, blank=True)
    # The order's closing this answer was about: a reporter answers each closure once.
    rated_closure = models.DateTimeField(_("rated"), null=True, blank=True, editable=False)

    class Scoping(ScopingSpec):
        area = "grid"
        department = "order__department"
        owner = "order__assignee"

    class Meta:
        verbose_name = _("public report")
        verbose_name_plural = _("public reports")
        ordering = ["-received_at", "-id"]
        constraints = [UniqueUnless(fields=["hotline_case"], unless=("hotline_case", ""),
                                    name="publicreport_hotline_case")]
        indexes = [
            # The duplicate search: recent reports of one category in one grid.
            models.Index(fields=["grid", "category", "received_at"], name="publicreport_place"),
            models.Index(fields=["channel", "received_at"], name="publicreport_channel"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.phone_hash = crypto.keyed_hash(self.phone) if self.phone else ""
        self.phone_masked = crypto.mask_phone(self.phone) if self.phone else ""
        super().save(*args, **kwargs)
