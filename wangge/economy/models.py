"""Parks (园区), enterprises, enterprise visits (走访) and the demand routing table.

A demand raised on a visit is a work order (kind demand) whose subject is the enterprise and whose
source is the visit: nothing here duplicates the order's state. See docs/ECONOMY.md for who sees what.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.base import DomainModel, DomainQuerySet
from wangge.core.fields import EncryptedTextField
from wangge.core.models import Area, Department
from wangge.core.roles import Scope
from wangge.core.visibility import ScopingSpec
from wangge.workorders.choices import Kind
from wangge.workorders.models import WorkOrder

from .choices import DemandCategory, EnterpriseStatus, Impact, ImpactArea, Industry, OperatingStatus, Size


class EnterpriseQuerySet(DomainQuerySet):
    def visible_to(self, user):
        """By grid (area roles) and by the park's managing department (department officers), plus, for a
        department officer, the enterprises with a demand routed to their department: answering it needs
        the enterprise."""
        base = super().visible_to(user)
        if user is None or not user.is_authenticated or not user.is_active:
            return base
        if Scope.DEPARTMENT not in user.scopes or not user.department_ids:
            return base
        routed = WorkOrder.objects.filter(
            kind=Kind.DEMAND, subject_type=ContentType.objects.get_for_model(self.model),
            department__in=user.department_ids).values("subject_id")
        return base | self.filter(pk__in=routed)


class ParkQuerySet(DomainQuerySet):
    def visible_to(self, user):
        """By the park's area and managing department, plus the parks of the enterprises the user sees."""
        base = super().visible_to(user)
        if user is None or not user.is_authenticated or not user.is_active:
            return base
        return base | self.filter(pk__in=Enterprise.objects.visible_to(user).filter(park__isnull=False)
                                  .values("park_id"))


class Park(DomainModel):
    name = models.CharField(_("park name"), max_length=100, unique=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="parks",
                             help_text=_("The neighbourhood or grid the park lies in."))
    department = models.ForeignKey(Department, verbose_name=_("managing department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="parks")
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ParkQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "area"
        department = "department"

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["name"]
        indexes = [models.Index(fields=["area"], name="park_area"),
                   models.Index(fields=["department"], name="park_department")]

    def __str__(self) -> str:
        return self.name


class Enterprise(DomainModel):
    PROTECTED_FIELDS = {"contact_phone": "contact_phone_masked"}
    AUDIT_WITHHELD = frozenset({"contact_name"})  # a person's name, purged later (docs/PRIVACY.md)

    name = models.CharField(_("enterprise name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices, default=Industry.OTHER)
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, default=Size.SMALL)
    address = models.CharField(_("address"), max_length=200)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="enterprises")
    park = models.ForeignKey(Park, verbose_name=_("park"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="enterprises")
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    contact_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    contact_phone_masked = models.CharField(_("contact phone"), max_length=16, blank=True, editable=False)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=EnterpriseStatus.choices,
                              default=EnterpriseStatus.ACTIVE)
    notes = models.TextField(_("notes"), blank=True)

    objects = EnterpriseQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "grid"
        department = "park__department"

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], name="enterprise_credit_code",
                                    violation_error_message=_("An enterprise with this credit code is already "
                                                              "registered.")),
        ]
        indexes = [
            models.Index(fields=["grid", "status", "name"], name="enterprise_grid_status"),
            models.Index(fields=["park", "name"], name="enterprise_park_name"),
            models.Index(fields=["name"], name="enterprise_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def derive(self) -> None:
        self.credit_code = (self.credit_code or "").strip().upper()
        self.contact_phone_hash = crypto.keyed_hash(self.contact_phone) if self.contact_phone else ""
        self.contact_phone_masked = crypto.mask_phone(self.contact_phone) if self.contact_phone else ""

    def clean(self):
        from wangge.core.validators import validate_credit_code

        self.derive()
        validate_credit_code(self.credit_code)

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)


class VisitQuerySet(DomainQuerySet):
    def visible_to(self, user):
        """A visit is seen by whoever sees its enterprise, and by the person who recorded it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(Q(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
                           | Q(recorded_by=user.pk))


class EnterpriseVisit(DomainModel):
    @classmethod
    def audit_choices(cls) -> dict:
        """The change record shows the labels of the codes kept in impact_areas (core/trail.py)."""
        return {"impact_areas": ImpactArea.choices}

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="visits")
    visited_on = models.DateField(_("date"))
    visitors = models.CharField(_("visitors"), max_length=200)
    operating_status = models.CharField(_("operating status"), max_length=16, choices=OperatingStatus.choices)
    staff_back_percent = models.PositiveSmallIntegerField(_("staff back at work (%)"), null=True, blank=True)
    impact = models.CharField(_("impact of the epidemic"), max_length=8, choices=Impact.choices)
    impact_areas = models.JSONField(_("where it hurts"), default=list, blank=True)
    problems = models.TextField(_("problems"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    # Generated by the client: a retried submission finds the visit it already made.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, editable=False)

    objects = VisitQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "enterprise__grid"
        department = "enterprise__park__department"
        owner = "recorded_by"

    class Meta:
        verbose_name = _("enterprise visit")
        verbose_name_plural = _("enterprise visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["client_id"], condition=Q(client_id__isnull=False),
                                    name="enterprise_visit_client_id"),
            models.CheckConstraint(condition=Q(staff_back_percent__lte=100), name="enterprise_visit_staff_percent",
                                   violation_error_message=_("The share of staff back is at most 100%.")),
        ]
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="enterprise_visit_date"),
                   models.Index(fields=["visited_on"], name="enterprise_visit_day")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise}"

    def impact_area_labels(self) -> list[str]:
        labels = dict(ImpactArea.choices)
        return [str(labels[a]) for a in self.impact_areas if a in labels]


class DemandRoute(DomainModel):
    """The routing table of each town: which of its departments answers a category of demand."""

    town = models.ForeignKey(Area, verbose_name=_("town"), on_delete=models.CASCADE, related_name="demand_routes",
                             limit_choices_to={"level": "town"})
    category = models.CharField(_("category"), max_length=24, choices=DemandCategory.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="demand_routes",
                                   help_text=_("Empty: the demand goes to the town level for assignment."))

    class Scoping(ScopingSpec):
        town = "town"

    class Meta:
        verbose_name = _("demand route")
        verbose_name_plural = _("demand routes")
        ordering = ["town_id", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "category"], name="demand_route_once")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.department or '—'}"
