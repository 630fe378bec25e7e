"""Supplies: sites, stock, receipts, issues and distributions. Every movement changes its stock row in
the same transaction, under a row lock, so two issues at once never take the stock below zero."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..choices import MovementKind, ResidentStatus, SiteKind
from ..models import Compound, Resident, Stock, SupplyItem, SupplyMovement, SupplySite
from .care import special_groups


@transaction.atomic
def save_item(actor: User, item: SupplyItem, expected_version: int | None = None) -> SupplyItem:
    require(actor, Perm.EDIT_RESIDENTS)
    item.name, item.unit = item.name.strip(), item.unit.strip()
    return save_versioned(item, expected_version)


@transaction.atomic
def open_site(actor: User, *, office_of: Area | None = None, compound: Compound | None = None) -> SupplySite:
    """The supply site of a neighbourhood office or of a compound (made once, found afterwards)."""
    require(actor, Perm.EDIT_RESIDENTS)
    if compound is not None:
        if not Compound.objects.visible_to(actor).filter(pk=compound.pk).exists():
            raise ValidationError({"compound": _("Not found, or outside your area.")})
        site = SupplySite.objects.filter(compound=compound).first()
        return site or save_versioned(SupplySite(name=compound.name, kind=SiteKind.COMPOUND, area=compound.grid,
                                                 compound=compound), None)
    if office_of is None or office_of.level != AreaLevel.NEIGHBOURHOOD or not Area.objects.visible_to(
            actor).filter(pk=office_of.pk).exists():
        raise ValidationError({"area": _("Choose a neighbourhood of your own.")})
    site = SupplySite.objects.filter(kind=SiteKind.OFFICE, area=office_of).first()
    return site or save_versioned(SupplySite(name=_("%(name)s neighbourhood office") % {"name": office_of.name},
                                             kind=SiteKind.OFFICE, area=office_of), None)


def _site_in_scope(actor: User, site: SupplySite) -> None:
    if not SupplySite.objects.visible_to(actor).filter(pk=site.pk).exists():
        raise ValidationError({"site": _("Not found, or outside your area.")})


def _quantity(value) -> Decimal:
    try:
        quantity = Decimal(str(value))
    except (ArithmeticError, ValueError):
        quantity = Decimal(0)
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": _("A quantity greater than zero.")})
    return quantity


def _move(actor, stock: Stock, kind: str, quantity: Decimal, on, **fields) -> SupplyMovement:
    stock = Stock.objects.select_for_update().get(pk=stock.pk)
    sign = 1 if kind == MovementKind.RECEIPT else -1
    if stock.quantity + sign * quantity < 0:
        raise ValidationError({"quantity": _("Not enough in stock: %(left)s %(unit)s left.") % {
            "left": stock.quantity.normalize(), "unit": stock.item.unit}})
    stock.quantity += sign * quantity
    save_versioned(stock, stock.version)
    return save_versioned(SupplyMovement(stock=stock, kind=kind, quantity=quantity, on=on, balance=stock.quantity,
                                         recorded_by=actor, **fields), None)


@transaction.atomic
def receive(actor: User, site: SupplySite, item: SupplyItem, quantity, *, on: datetime.date | None = None,
            counterparty: str = "", note: str = "") -> SupplyMovement:
    require(actor, Perm.EDIT_RESIDENTS)
    _site_in_scope(actor, site)
    quantity = _quantity(quantity)
    stock = Stock.objects.filter(site=site, item=item).first() or save_versioned(Stock(site=site, item=item), None)
    return _move(actor, stock, MovementKind.RECEIPT, quantity, on or timezone.localdate(),
                 counterparty=counterparty.strip()[:100], note=note.strip()[:200])


@transaction.atomic
def issue(actor: User, stock: Stock, quantity, *, on: datetime.date | None = None, counterparty: str = "",
          note: str = "") -> SupplyMovement:
    """Stock leaving the site for somewhere else (another site, a team): say where."""
    require(actor, Perm.EDIT_RESIDENTS)
    _site_in_scope(actor, stock.site)
    if not counterparty.strip():
        raise ValidationError({"counterparty": _("Say who receives it.")})
    return _move(actor, stock, MovementKind.ISSUE, _quantity(quantity), on or timezone.localdate(),
                 counterparty=counterparty.strip()[:100], note=note.strip()[:200])


@transaction.atomic
def distribute(actor: User, stock: Stock, residents: list[Resident], quantity_each, *,
               on: datetime.date | None = None, note: str = "") -> list[SupplyMovement]:
    """Hand supplies to residents (one ledger line each, with their household); all or none."""
    require(actor, Perm.EDIT_RESIDENTS)
    _site_in_scope(actor, stock.site)
    if not residents:
        raise ValidationError({"residents": _("Choose who receives it.")})
    ids = {r.pk for r in residents}
    visible = Resident.objects.visible_to(actor).filter(pk__in=ids, merged_into__isnull=True,
                                                        status=ResidentStatus.LIVING)
    if visible.count() != len(ids):
        raise ValidationError({"residents": _("Choose residents of your own grids who live here.")})
    quantity = _quantity(quantity_each)
    on = on or timezone.localdate()
    return [_move(actor, stock, MovementKind.DISTRIBUTION, quantity, on, resident=r, household=r.household,
                  counterparty=r.name, note=note.strip()[:200]) for r in visible.order_by("compound_id", "building",
                                                                                          "room", "name")]


@transaction.atomic
def set_low_level(actor: User, stock: Stock, low_level, expected_version: int) -> Stock:
    require(actor, Perm.EDIT_RESIDENTS)
    _site_in_scope(actor, stock.site)
    try:
        level = Decimal(str(low_level))
    except (ArithmeticError, ValueError):
        level = Decimal(-1)
    if not level.is_finite() or level < 0:
        raise ValidationError({"low_level": _("Zero or more.")})
    stock.low_level = level
    return save_versioned(stock, expected_version)


def recipients(site: SupplySite, user: User, today: datetime.date | None = None):
    """Who a site's supplies go to, special groups first: a compound's residents, or an office's
    neighbourhood's."""
    residents = Resident.objects.visible_to(user).filter(status=ResidentStatus.LIVING, merged_into__isnull=True)
    residents = residents.filter(compound=site.compound) if site.compound_id else residents.filter(
        grid__path__startswith=site.area.path)
    special = special_groups(Resident.objects.all(), today).values("pk")
    return residents.annotate(priority=Case(When(pk__in=special, then=Value(0)), default=Value(1),
                                            output_field=IntegerField())).order_by(
        "priority", "compound__name", "building", "room", "name")


def low_stock(queryset):
    return queryset.filter(quantity__lt=F("low_level"))
