"""API for compounds, likely duplicates, screening rounds, care visits and supplies (docs/API.md)."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.ids import Count, Days, Id, Ref, Refs, Version
from wangge.core.models import Area
from wangge.core.pagination import Pages
from wangge.core.privacy import reads_health_text
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from . import entry_control
from .choices import Condition, ScreeningStatus
from .models import (
    CareVisit,
    Compound,
    DuplicateSuggestion,
    Resident,
    ScreeningResult,
    ScreeningRound,
    Stock,
    SupplyItem,
    SupplyMovement,
    SupplySite,
)
from .services import care, screening, supplies
from .services import compounds as compound_services
from .services import duplicates as duplicate_services
from .views.duplicates import open_pairs

compounds_router = Router(tags=["compounds"])
duplicates_router = Router(tags=["residents"])
rounds_router = Router(tags=["screening"])
care_router = Router(tags=["care"])
supplies_router = Router(tags=["supplies"])


def _viewer(request):
    require(request.user, Perm.VIEW_RESIDENTS)
    return request.user


# --- compounds ------------------------------------------------------------------------------------

class CompoundOut(Schema):
    id: int
    name: str
    grid_id: int
    neighbourhood_id: int
    address: str
    buildings: int
    households: int
    population: int
    version: int


class CompoundIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    grid_id: Ref("core.area")
    address: str = Field("", max_length=200)
    buildings: Count = Field(0, ge=0)
    households: Count = Field(0, ge=0)
    population: Count = Field(0, ge=0)


class CompoundPatch(Schema):
    version: Version
    name: str | None = Field(None, min_length=1, max_length=100)
    grid_id: Ref("core.area") | None = None
    address: str | None = Field(None, max_length=200)
    buildings: Count | None = Field(None, ge=0)
    households: Count | None = Field(None, ge=0)
    population: Count | None = Field(None, ge=0)


def _grid(request, grid_id):
    grid = Area.objects.visible_to(request.user).filter(pk=grid_id).first()
    if grid is None:
        raise ValidationError({"grid_id": _("No such grid, or you do not manage it.")})
    return grid


@compounds_router.get("", response=list[CompoundOut], summary="Compounds in the user's scope")
@paginate(Pages, page_size=50)
def list_compounds(request, q: str = "", grid_id: Id | None = None):
    from .ledgers import CompoundKind

    return CompoundKind().filter(Compound.objects.visible_to(_viewer(request)), {"q": q, "grid": grid_id or ""})


@compounds_router.get("/{int:compound_id}", response=CompoundOut)
def get_compound(request, compound_id: Id):
    return get_visible_or_404(Compound, _viewer(request), pk=compound_id)


@compounds_router.post("", response={201: CompoundOut}, summary="Register a compound")
def create_compound(request, payload: CompoundIn):
    require(request.user, Perm.EDIT_RESIDENTS)
    data = payload.dict()
    compound = Compound(grid=_grid(request, data.pop("grid_id")), **data)
    return Status(201, compound_services.save_compound(request.user, compound))


@compounds_router.patch("/{int:compound_id}", response=CompoundOut, summary="Edit a compound (send the version)")
def update_compound(request, compound_id: Id, payload: CompoundPatch):
    compound = get_visible_or_404(Compound, _viewer(request), pk=compound_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "grid_id" in data:
        compound.grid = _grid(request, data.pop("grid_id"))
    for key, value in data.items():
        setattr(compound, key, value)
    return compound_services.save_compound(request.user, compound, version)


# --- likely duplicates ----------------------------------------------------------------------------

class SuggestionOut(Schema):
    id: int
    first_id: int
    second_id: int
    reason: str
    status: str


class DecisionIn(Schema):
    keep_id: Ref("community.resident") | None = Field(
        None, description="Merge into this record; empty: not the same person")


@duplicates_router.get("", response=list[SuggestionOut], summary="Open likely duplicates (both records visible)")
def list_duplicates(request):
    return list(open_pairs(_viewer(request))[:500])


@duplicates_router.post("/{int:suggestion_id}/decide", response=SuggestionOut, summary="Merge or dismiss a pair")
def decide_duplicate(request, suggestion_id: Id, payload: DecisionIn):
    suggestion = get_visible_or_404(DuplicateSuggestion, _viewer(request), pk=suggestion_id)
    if payload.keep_id:
        keep = get_visible_or_404(Resident, request.user, pk=payload.keep_id)
        duplicate_services.merge(request.user, suggestion, keep)
    else:
        duplicate_services.dismiss(request.user, suggestion)
    suggestion.refresh_from_db()
    return suggestion


# --- screening rounds -----------------------------------------------------------------------------

class RoundCoverageOut(Schema):
    compound_id: int
    compound: str
    on_roster: int
    should: int
    tested: int
    exempt: int
    away: int
    not_yet: int
    percent: float | None


class RoundOut(Schema):
    id: int
    name: str
    date: datetime.date
    area_id: int
    compound_ids: list[int]
    version: int

    @staticmethod
    def resolve_compound_ids(obj):
        return sorted(c.pk for c in obj.compounds.all())


class RoundDetailOut(RoundOut):
    coverage: list[RoundCoverageOut]
    total: RoundCoverageOut


class RoundIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    date: datetime.date
    compound_ids: Refs("community.compound") = Field(min_length=1)
    area_id: Ref("core.area") | None = Field(None, description="The organising area; it must hold every compound. "
                                                               "Empty: the smallest area that does")
    notes: str = ""


class NotYetOut(Schema):
    result_id: int
    resident_id: int | None = Field(description="Empty once the result is anonymised (PRIVACY.md)")
    name: str
    compound_id: int
    building: str
    room: str
    version: int


class ResultIn(Schema):
    status: ScreeningStatus
    exempt_reason: str = Field("", max_length=100)
    version: Version


class ResultOut(Schema):
    id: int
    resident_id: int | None
    status: str
    exempt_reason: str
    tested_at: datetime.datetime | None
    version: int


def _coverage(row):
    return {"compound_id": row.compound_id, "compound": str(row.compound), "on_roster": row.on_roster,
            "should": row.should, "tested": row.tested, "exempt": row.exempt, "away": row.away,
            "not_yet": row.not_yet, "percent": row.percent}


@rounds_router.get("", response=list[RoundOut], summary="Screening rounds the user sees")
@paginate(Pages, page_size=50)
def list_rounds(request):
    return ScreeningRound.objects.visible_to(_viewer(request)).prefetch_related("compounds")


def _round_detail(request, screening_round):
    rows = screening.coverage(screening_round, request.user)
    screening_round.coverage = [_coverage(r) for r in rows]
    screening_round.total = _coverage(screening.total(rows))
    return screening_round


@rounds_router.get("/{int:round_id}", response=RoundDetailOut, summary="A round with its coverage per compound")
def get_round(request, round_id: Id):
    return _round_detail(request, get_visible_or_404(ScreeningRound, _viewer(request), pk=round_id))


@rounds_router.post("", response={201: RoundDetailOut}, summary="Open a round over compounds")
def create_round(request, payload: RoundIn):
    require(request.user, Perm.EDIT_RESIDENTS)
    compounds = list(Compound.objects.visible_to(request.user).filter(pk__in=payload.compound_ids))
    if len(compounds) != len(set(payload.compound_ids)):
        raise ValidationError({"compound_ids": _("Choose compounds of your own grids.")})
    area = None
    if payload.area_id is not None:
        area = Area.objects.visible_to(request.user).filter(pk=payload.area_id).first()
        if area is None:
            raise ValidationError({"area_id": _("Not found, or outside your area.")})
    opened = screening.open_round(request.user, name=payload.name, date=payload.date, compounds=compounds,
                                  notes=payload.notes, area=area)
    return Status(201, _round_detail(request, opened))


@rounds_router.get("/{int:round_id}/not-yet", response=list[NotYetOut],
                   summary="The door-knocking list: not-yet residents by compound, building and room")
def round_not_yet(request, round_id: Id, compound_id: Id | None = None):
    screening_round = get_visible_or_404(ScreeningRound, _viewer(request), pk=round_id)
    return [{"result_id": r.pk, "resident_id": r.resident_id, "name": r.resident.name if r.resident else "",
             "compound_id": r.compound_id, "building": r.building, "room": r.resident.room if r.resident else "",
             "version": r.version}
            for r in screening.not_yet(screening_round, request.user, compound_id)]


@rounds_router.patch("/results/{int:result_id}", response=ResultOut, summary="Record a resident's result")
def record_result(request, result_id: Id, payload: ResultIn):
    result = get_visible_or_404(ScreeningResult, _viewer(request), pk=result_id)
    return screening.record_result(request.user, result, status=payload.status, exempt_reason=payload.exempt_reason,
                                   expected_version=payload.version)


# --- care visits ----------------------------------------------------------------------------------

class CareVisitOut(Schema):
    id: int
    resident_id: int
    visited_on: datetime.date
    visitors: str
    condition: str | None = Field(description="Only for roles that may reveal personal data")
    daily_life_need: str
    medical_need: str | None = Field(description="Only for roles that may reveal personal data or see health facts")
    supplies_need: str
    order_ids: list[int]

    @staticmethod
    def resolve_condition(obj, context):
        return obj.condition if context["request"].user.can(Perm.REVEAL_PERSONAL) else None

    @staticmethod
    def resolve_medical_need(obj, context):
        return obj.medical_need if reads_health_text(context["request"].user) else None

    @staticmethod
    def resolve_order_ids(obj, context):
        return list(care.need_orders(obj).visible_to(context["request"].user).values_list("pk", flat=True))


class CareVisitIn(Schema):
    resident_id: Ref("community.resident")
    visited_on: datetime.date
    visitors: str = Field(min_length=1, max_length=200)
    condition: Condition
    notes: str = ""
    daily_life_need: str = ""
    medical_need: str = ""
    supplies_need: str = ""
    client_id: uuid.UUID | None = None


class DueOut(Schema):
    id: int
    name: str
    grid_id: int
    compound_id: int | None
    age: int
    last_visit: datetime.date | None


@care_router.get("", response=list[CareVisitOut], summary="Care visits the user sees")
@paginate(Pages, page_size=50)
def list_care_visits(request, resident_id: Id | None = None):
    visits = CareVisit.objects.visible_to(_viewer(request))
    return visits.filter(resident_id=resident_id) if resident_id else visits


@care_router.get("/not-visited", response=list[DueOut], summary="Special groups not visited in N days")
@paginate(Pages, page_size=100)
def not_visited(request, days: Days = 7):
    return care.not_visited(Resident.objects.visible_to(_viewer(request)), min(max(days, 1), 3650), viewer=request.user)


@care_router.post("", response={201: CareVisitOut, 200: CareVisitOut},
                  summary="Record a care visit; each need raises a resident-need work order")
def create_care_visit(request, payload: CareVisitIn):
    require(request.user, Perm.EDIT_RESIDENTS)
    resident = get_visible_or_404(Resident, request.user, pk=payload.resident_id)
    visit, created = care.record_care_visit(
        request.user, resident, visited_on=payload.visited_on, visitors=payload.visitors, condition=payload.condition,
        notes=payload.notes, client_id=payload.client_id,
        needs={"daily_life": payload.daily_life_need, "medical": payload.medical_need,
               "supplies": payload.supplies_need})
    return Status(201 if created else 200, visit)


# --- supplies -------------------------------------------------------------------------------------

class StockOut(Schema):
    id: int
    site_id: int
    site: str
    item_id: int
    item: str
    unit: str
    quantity: Decimal
    low_level: Decimal
    is_low: bool
    version: int

    @staticmethod
    def resolve_site(obj):
        return obj.site.name

    @staticmethod
    def resolve_item(obj):
        return obj.item.name

    @staticmethod
    def resolve_unit(obj):
        return obj.item.unit


class MovementOut(Schema):
    id: int
    stock_id: int
    kind: str
    quantity: Decimal
    balance: Decimal
    on: datetime.date
    counterparty: str
    resident_id: int | None
    household: str


class ReceiptIn(Schema):
    site_id: Ref("community.supplysite")
    item_id: Ref("community.supplyitem")
    quantity: Decimal = Field(gt=0)
    on: datetime.date | None = None
    counterparty: str = Field("", max_length=100)
    note: str = Field("", max_length=200)


class IssueIn(Schema):
    quantity: Decimal = Field(gt=0)
    on: datetime.date | None = None
    counterparty: str = Field(min_length=1, max_length=100)
    note: str = Field("", max_length=200)


class DistributionIn(Schema):
    resident_ids: Refs("community.resident") = Field(min_length=1)
    quantity_each: Decimal = Field(gt=0)
    on: datetime.date | None = None
    note: str = Field("", max_length=200)


@supplies_router.get("/stock", response=list[StockOut], summary="Stock per site; low=true for warnings only")
def list_stock(request, low: bool = False):
    stocks = Stock.objects.visible_to(_viewer(request)).select_related("site", "item")
    return list(supplies.low_stock(stocks) if low else stocks)


@supplies_router.get("/movements", response=list[MovementOut], summary="The supplies ledger")
@paginate(Pages, page_size=100)
def list_movements(request, stock_id: Id | None = None):
    movements = SupplyMovement.objects.visible_to(_viewer(request))
    return movements.filter(stock_id=stock_id) if stock_id else movements


@supplies_router.post("/receipts", response={201: MovementOut}, summary="Stock received at a site")
def create_receipt(request, payload: ReceiptIn):
    require(request.user, Perm.EDIT_RESIDENTS)
    site = get_visible_or_404(SupplySite, request.user, pk=payload.site_id)
    item = get_visible_or_404(SupplyItem, request.user, pk=payload.item_id)
    return Status(201, supplies.receive(request.user, site, item, payload.quantity, on=payload.on,
                                        counterparty=payload.counterparty, note=payload.note))


@supplies_router.post("/stock/{int:stock_id}/issues", response={201: MovementOut}, summary="Stock issued elsewhere")
def create_issue(request, stock_id: Id, payload: IssueIn):
    stock = get_visible_or_404(Stock, _viewer(request), pk=stock_id)
    return Status(201, supplies.issue(request.user, stock, payload.quantity, on=payload.on,
                                      counterparty=payload.counterparty, note=payload.note))


@supplies_router.post("/stock/{int:stock_id}/distributions", response={201: list[MovementOut]},
                      summary="Distribute to residents (one ledger line each)")
def create_distribution(request, stock_id: Id, payload: DistributionIn):
    stock = get_visible_or_404(Stock, _viewer(request), pk=stock_id)
    residents = list(Resident.objects.visible_to(request.user).filter(pk__in=payload.resident_ids))
    if len(residents) != len(set(payload.resident_ids)):
        raise ValidationError({"resident_ids": _("Choose residents of your own grids who live here.")})
    return Status(201, supplies.distribute(request.user, stock, residents, payload.quantity_each, on=payload.on,
                                           note=payload.note))


# --- entry control --------------------------------------------------------------------------------

class EntryCheckIn(Schema):
    answers: dict[str, str] = Field(description="Answer per item code of the entry-control checklist")
    outcome: str = Field(description="compliant or fixed")
    fixed_description: str = ""
    notes: str = ""
    client_id: uuid.UUID


class EntryCheckOut(Schema):
    id: int
    inspected_at: datetime.datetime
    outcome: str
    violation_count: int


@compounds_router.get("/{int:compound_id}/entry-checks", response=list[EntryCheckOut],
                      summary="Entry-control checks of a compound")
def list_entry_checks(request, compound_id: Id):
    compound = get_visible_or_404(Compound, _viewer(request), pk=compound_id)
    return list(entry_control.checks_of(compound, request.user)[:100])


@compounds_router.post("/{int:compound_id}/entry-checks", response={201: EntryCheckOut, 200: EntryCheckOut},
                       summary="Record an entry-control check (an inspection of the compound)")
def create_entry_check(request, compound_id: Id, payload: EntryCheckIn):
    require(request.user, Perm.INSPECT)
    compound = get_visible_or_404(Compound, request.user, pk=compound_id)
    inspection, created = entry_control.record_check(
        request.user, compound, answers=payload.answers, outcome=payload.outcome,
        fixed_description=payload.fixed_description, notes=payload.notes, client_id=payload.client_id)
    return Status(201 if created else 200, inspection)
