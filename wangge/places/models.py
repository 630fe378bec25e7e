"""Premises (场所), their categories, and road segments with their road chiefs (路长)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.base import DomainModel
from wangge.core.constraints import UniqueUnless
from wangge.core.fields import EncryptedTextField
from wangge.core.models import Area, Department
from wangge.core.visibility import ScopingSpec

from .choices import PremisesStatus, Shift, Side, VenueCodeStatus
from .hours import shift_of


class PremisesCategory(DomainModel):
    """A configurable kind of premises; each town names the department that regulates it (CategoryRoute)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    key_by_default = models.BooleanField(_("key premises by default"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Scoping(ScopingSpec):
        everyone = True

    class Meta:
        verbose_name = _("premises category")
        verbose_name_plural = _("premises categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CategoryRoute(DomainModel):
    """The regulating department of a premises category in one town (docs/TOWNS.md)."""

    town = models.ForeignKey(Area, verbose_name=_("town"), on_delete=models.CASCADE, related_name="category_routes",
                             limit_choices_to={"level": "town"})
    category = models.ForeignKey(PremisesCategory, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="routes")
    department = models.ForeignKey(Department, verbose_name=_("regulating department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="regulated_categories")

    class Scoping(ScopingSpec):
        town = "town"

    class Meta:
        verbose_name = _("regulating department")
        verbose_name_plural = _("regulating departments")
        ordering = ["town_id", "category__sort_order", "category__code"]
        constraints = [models.UniqueConstraint(fields=["town", "category"], name="category_route_once")]

    def __str__(self) -> str:
        return f"{self.category} → {self.department or '—'}"


class RoadSegment(DomainModel):
    """A stretch of one road by house numbers, in one grid, with the road chief who answers for it."""

    road = models.CharField(_("road"), max_length=50)
    from_number = models.PositiveIntegerField(_("from number"))
    to_number = models.PositiveIntegerField(_("to number"))
    side = models.CharField(_("side"), max_length=8, choices=Side.choices, default=Side.BOTH)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="road_segments")
    chief = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("road chief"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="road_segments")
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    # The stretch on the map: a GeoJSON LineString in WGS-84 (docs/MAPS.md); empty until drawn or imported.
    geometry = models.JSONField(_("line on the map (GeoJSON)"), null=True, blank=True)

    class Scoping(ScopingSpec):
        area = "grid"
        owner = "chief"

    class Meta:
        verbose_name = _("road segment")
        verbose_name_plural = _("road segments")
        ordering = ["road", "from_number", "side"]
        indexes = [models.Index(fields=["road", "from_number", "to_number"], name="segment_road_numbers"),
                   models.Index(fields=["grid", "road"], name="segment_grid_road")]
        constraints = [
            models.CheckConstraint(condition=Q(from_number__lte=models.F("to_number")), name="segment_range_order",
                                   violation_error_message=_("The first house number must not exceed the last.")),
            models.UniqueConstraint(fields=["road", "from_number", "to_number", "side"], name="segment_unique",
                                    violation_error_message=_("This stretch of road is already a segment.")),
        ]

    def __str__(self) -> str:
        side = "" if self.side == Side.BOTH else f"（{self.get_side_display()}）"
        return f"{self.road} {self.from_number}–{self.to_number}号{side}"

    def covers(self, number: int) -> bool:
        if not self.from_number <= number <= self.to_number:
            return False
        return self.side == Side.BOTH or (number % 2 == 1) == (self.side == Side.ODD)


class Premises(DomainModel):
    PROTECTED_FIELDS = {"contact_phone": "contact_phone_masked"}

    name = models.CharField(_("premises name"), max_length=100)
    # grid and category: no index of their own, the composite indexes below lead with them (every index
    # is written on each of an import's 100,000 rows).
    category = models.ForeignKey(PremisesCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="premises", db_index=False)
    is_key = models.BooleanField(_("key premises"), default=True)
    address = models.CharField(_("address"), max_length=200)
    address_road = models.CharField(_("road"), max_length=50, blank=True, editable=False)
    address_number = models.PositiveIntegerField(_("house number"), null=True, blank=True, editable=False)
    address_key = models.CharField(max_length=300, editable=False, db_index=True)  # normalised name + address
    segment = models.ForeignKey(RoadSegment, verbose_name=_("road segment"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="premises")
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="premises",
                             db_index=False)
    building = models.ForeignKey("self", verbose_name=_("office building"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="tenants")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    contact_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    contact_phone_masked = models.CharField(_("contact phone"), max_length=16, blank=True, editable=False)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True,
                                 help_text=_("Earlier than the opening time means open past midnight."))
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices, editable=False, default=Shift.BOTH)
    venue_code_status = models.CharField(_("venue code"), max_length=16, choices=VenueCodeStatus.choices,
                                         default=VenueCodeStatus.NOT_APPLIED)
    venue_code_number = models.CharField(_("venue code number"), max_length=50, blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    status = models.CharField(_("operating status"), max_length=16, choices=PremisesStatus.choices,
                              default=PremisesStatus.OPEN, editable=False)
    status_basis = models.CharField(_("status basis"), max_length=200, blank=True, editable=False,
                                    help_text=_("The legal basis, decision or re-inspection behind the status."))
    status_changed_at = models.DateTimeField(_("status since"), null=True, blank=True, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Scoping(ScopingSpec):
        area = "grid"
        department = "category__routes__department"
        owner = "segment__chief"

    class Meta:
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        ordering = ["name", "id"]
        constraints = [
            UniqueUnless(
                fields=["credit_code"], unless=("credit_code", ""), name="premises_credit_code",
                violation_error_message=_("Premises with this credit code are already registered.")),
        ]
        indexes = [
            models.Index(fields=["grid", "status", "name"], name="premises_grid_status"),
            models.Index(fields=["category", "status"], name="premises_category_status"),
            # A status filter in the list's order, with the address: the search's count and page read
            # the index alone instead of every open premises' row.
            models.Index(fields=["status", "name", "id", "address"], name="premises_status_name_address"),
            models.Index(fields=["venue_code_status"], name="premises_venue_code"),
            models.Index(fields=["address_road", "address_number"], name="premises_road_number"),
            # The list's order; with the id, a page's ids come from the index alone (PostgreSQL too).
            models.Index(fields=["name", "id"], name="premises_name_id"),
            # Premises within a radius: a bounding box on latitude, then longitude (places/geo.py::within).
            models.Index(fields=["latitude", "longitude"], name="premises_lat_lng"),
        ]

    def __str__(self) -> str:
        return self.name

    def derive(self) -> None:
        """Columns that follow from others: parsed address, dedup key, shift, protected phone."""
        from wangge.core.validators import normalise, parse_address

        parsed = parse_address(self.address)
        self.address = parsed.raw or normalise(self.address)
        self.address_road = parsed.road
        # On a 弄 address the lane's number is the one on the road (剑河路599弄55号 is at 599).
        road_number = parsed.lane or parsed.number
        self.address_number = int(road_number) if road_number.isdecimal() else None
        self.address_key = address_key(self.name, self.address)
        self.shift = shift_of(self.opens_at, self.closes_at)
        for field in ("latitude", "longitude"):
            value = getattr(self, field)
            if value is not None and not isinstance(value, Decimal):
                setattr(self, field, Decimal(str(value)).quantize(Decimal("0.000001")))
        self.contact_phone_hash = crypto.keyed_hash(self.contact_phone) if self.contact_phone else ""
        self.contact_phone_masked = crypto.mask_phone(self.contact_phone) if self.contact_phone else ""

    def clean(self):
        self.derive()

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)


def address_key(name: str, address: str) -> str:
    """Normalised name + address: how the same shop is recognised without a credit code."""
    from wangge.core.validators import normalise

    return (normalise(name) + "@" + normalise(address)).lower()[:300]
