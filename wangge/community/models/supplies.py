"""Supplies (物资保障): items, stock per site, and every receipt, issue and distribution."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core.base import DomainModel
from wangge.core.models import Area
from wangge.core.visibility import ScopingSpec

from ..choices import MovementKind, SiteKind
from .compounds import Compound
from .residents import Resident


class SupplyItem(DomainModel):
    name = models.CharField(pgettext_lazy("supplies", "item"), max_length=50, unique=True)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. 箱, 袋, 盒"))

    class Scoping(ScopingSpec):
        everyone = True  # a catalogue, no personal data

    class Meta:
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SupplySite(DomainModel):
    """Where stock is kept: a neighbourhood office (area = the neighbourhood) or a compound (area = its grid)."""

    name = models.CharField(_("site"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=SiteKind.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    compound = models.OneToOneField(Compound, verbose_name=_("compound"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="supply_site")

    class Scoping(ScopingSpec):
        area = "area"

    class Meta:
        verbose_name = _("supply site")
        verbose_name_plural = _("supply sites")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind=SiteKind.OFFICE, compound__isnull=True)
                                   | Q(kind=SiteKind.COMPOUND, compound__isnull=False), name="supply_site_kind"),
            models.UniqueConstraint(fields=["area"], condition=Q(kind=SiteKind.OFFICE), name="supply_office_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Stock(DomainModel):
    site = models.ForeignKey(SupplySite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="stocks")
    item = models.ForeignKey(SupplyItem, verbose_name=pgettext_lazy("supplies", "item"),
                             on_delete=models.PROTECT, related_name="stocks")
    quantity = models.DecimalField(_("in stock"), max_digits=12, decimal_places=2, default=Decimal(0))
    low_level = models.DecimalField(_("warn below"), max_digits=12, decimal_places=2, default=Decimal(0))

    class Scoping(ScopingSpec):
        area = "site__area"

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        ordering = ["site_id", "item__name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "item"], name="stock_once_per_site"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_not_negative",
                                   violation_error_message=_("Not enough in stock.")),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.item}"

    @property
    def is_low(self) -> bool:
        return self.quantity < self.low_level


class SupplyMovement(DomainModel):
    """One line of the supplies ledger; the stock row changes in the same transaction."""

    stock = models.ForeignKey(Stock, verbose_name=_("stock"), on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=12, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    on = models.DateField(_("date"))
    counterparty = models.CharField(_("from / to"), max_length=100, blank=True,
                                    help_text=_("Supplier of a receipt, receiver of an issue."))
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="supply_movements")
    household = models.CharField(_("household"), max_length=30, blank=True)
    balance = models.DecimalField(_("balance after"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Scoping(ScopingSpec):
        area = "stock__site__area"

    class Meta:
        verbose_name = _("supply movement")
        verbose_name_plural = _("supply movements")
        ordering = ["-on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_movement_positive")]
        indexes = [models.Index(fields=["stock", "on"], name="supply_movement_stock_date"),
                   models.Index(fields=["resident"], name="supply_movement_resident")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.stock.item} {self.quantity}"
