"""Verbs on parks, enterprises, visits and the demand routing table.

A demand is a work order (kind demand): `record_visit` raises one per demand through
`workorders.services.raise_order`, routed by `DemandRoute`; its loop (assign, answer, verify with the
enterprise's satisfaction) is the work-order engine's.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wangge.core import towns
from wangge.core.models import Area, AreaLevel, Department, User
from wangge.core.roles import Perm, Scope
from wangge.core.services import require, save_versioned
from wangge.workorders import services as orders
from wangge.workorders.choices import Kind
from wangge.workorders.models import WorkOrder

from .choices import DemandCategory, Impact, ImpactArea, OperatingStatus
from .models import DemandRoute, Enterprise, EnterpriseVisit, Park

ENTERPRISE_FIELDS = ("name", "credit_code", "industry", "size", "address", "grid", "park", "contact_name",
                     "contact_phone", "employees", "status", "notes")


# --- scope ------------------------------------------------------------------------------------

def _in_areas(actor: User, area: Area | None) -> bool:
    return area is not None and any(area.path.startswith(p) for p in actor.area_paths)


def may_manage(actor: User, *, area: Area | None, department_id: int | None) -> bool:
    """Edit rights on a park or enterprise: administrators; area roles inside their areas; department
    officers for the parks their department manages (and those parks' enterprises)."""
    scopes = actor.scopes
    if Scope.ALL in scopes:
        return True
    if Scope.AREA in scopes and _in_areas(actor, area):
        return True
    return Scope.DEPARTMENT in scopes and department_id is not None and department_id in actor.department_ids


# --- parks and enterprises --------------------------------------------------------------------

@transaction.atomic
def save_park(actor: User, park: Park, expected_version: int | None = None) -> Park:
    require(actor, Perm.EDIT_ENTERPRISES)
    before = [Park.objects.select_related("area").get(pk=park.pk)] if park.pk else []
    for row in [*before, park]:
        if not may_manage(actor, area=row.area if row.area_id else None, department_id=row.department_id):
            raise ValidationError({"area": _("You do not manage this area.")})
    return save_versioned(park, expected_version)


def _check_enterprise(actor: User, enterprise: Enterprise) -> None:
    if enterprise.grid_id is None or enterprise.grid.level != AreaLevel.GRID:
        raise ValidationError({"grid": _("Choose a grid.")})
    park = enterprise.park
    if park is not None and not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise ValidationError({"park": _("Not found, or outside your area.")})
    if not may_manage(actor, area=enterprise.grid, department_id=park.department_id if park else None):
        raise ValidationError({"grid": _("You do not manage this grid.")})


@transaction.atomic
def save_enterprise(actor: User, enterprise: Enterprise, expected_version: int | None = None) -> Enterprise:
    """Register or edit an enterprise: the actor must manage it where it was and where it goes."""
    require(actor, Perm.EDIT_ENTERPRISES)
    if enterprise.pk:
        _check_enterprise(actor, Enterprise.objects.select_related("grid", "park").get(pk=enterprise.pk))
    _check_enterprise(actor, enterprise)
    return save_versioned(enterprise, expected_version)


# --- routing ----------------------------------------------------------------------------------

def route_of(category: str, grid_id: int | None) -> Department | None:
    """The department the town of the grid sends this category of demand to (docs/TOWNS.md)."""
    return towns.routed_department(DemandRoute, grid_id, category)


def may_edit_routes(actor: User) -> bool:
    return actor.can(Perm.EDIT_ENTERPRISES) and bool({Scope.ALL, Scope.DEPARTMENT} & actor.scopes)


@transaction.atomic
def save_route(actor: User, route: DemandRoute, expected_version: int | None = None) -> DemandRoute:
    """Administrators and department officers (who edit enterprises) keep their towns' routing tables (a town
    administrator keeps them on the town's settings page, core/route_views.py)."""
    if not may_edit_routes(actor):
        raise PermissionDenied
    return towns.save_route(actor, route, expected_version)


# --- visits and their demands -----------------------------------------------------------------

@dataclass
class Demand:
    category: str
    text: str


def _clean_visit(visited_on, operating_status, staff_back_percent, impact, impact_areas, demands,
                 today: datetime.date) -> list[str]:
    errors = {}
    if visited_on is None:
        errors["visited_on"] = _("Give the date of the visit.")
    elif visited_on > today:
        errors["visited_on"] = _("The date of a visit cannot be in the future.")
    if operating_status not in OperatingStatus.values:
        errors["operating_status"] = _("Choose the operating status.")
    if staff_back_percent is not None and not 0 <= staff_back_percent <= 100:
        errors["staff_back_percent"] = _("A share between 0 and 100.")
    if impact not in Impact.values:
        errors["impact"] = _("Choose the impact of the epidemic.")
    unknown = [a for a in impact_areas if a not in ImpactArea.values]
    if unknown:
        errors["impact_areas"] = _("Unknown choice.")
    for n, demand in enumerate(demands):
        if demand.category not in DemandCategory.values:
            errors[f"demands.{n}.category"] = _("Choose a category.")
        if not (demand.text or "").strip():
            errors[f"demands.{n}.text"] = _("Describe the demand.")
    if errors:
        raise ValidationError(errors)
    # Keep the choices' order, once each.
    return [a for a in ImpactArea.values if a in impact_areas]


def demand_orders(visit: EnterpriseVisit):
    from django.contrib.contenttypes.models import ContentType

    return WorkOrder.objects.filter(kind=Kind.DEMAND, source_type=ContentType.objects.get_for_model(visit),
                                    source_id=visit.pk)


def _existing(actor: User, client_id: uuid.UUID | None) -> EnterpriseVisit | None:
    if client_id is None:
        return None
    visit = EnterpriseVisit.objects.filter(client_id=client_id).first()
    if visit is not None and visit.recorded_by_id != actor.pk:
        # Someone else's id: never reveal their visit.
        raise ValidationError({"client_id": _("This client id is already used.")})
    return visit


def record_visit(actor: User, enterprise: Enterprise, *, visited_on: datetime.date, visitors: str,
                 operating_status: str, impact: str, staff_back_percent: int | None = None,
                 impact_areas: list[str] | None = None, problems: str = "", demands: list[Demand] | None = None,
                 client_id: uuid.UUID | None = None, today: datetime.date | None = None
                 ) -> tuple[EnterpriseVisit, bool]:
    """Record a visit and raise one enterprise-demand work order per demand, routed by category.

    Returns (visit, created). A repeated `client_id` from the same user returns the visit it made.
    Who may record the visit (VISIT_ENTERPRISES and an enterprise the actor sees) may raise any demand
    on it: each goes to the department the routing table names (or the town level), whatever the
    visitor's own department, and that department's officers are told (workorders.notify).
    """
    from django.utils import timezone

    require(actor, Perm.VISIT_ENTERPRISES)
    existing = _existing(actor, client_id)
    if existing is not None:
        return existing, False
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("Not found, or outside your area.")})
    demands = demands or []
    today = today or timezone.localdate()
    areas = _clean_visit(visited_on, operating_status, staff_back_percent, impact, impact_areas or [], demands,
                         today)
    routed = [(demand, route_of(demand.category, enterprise.grid_id)) for demand in demands]
    try:
        with transaction.atomic():
            visit = save_versioned(EnterpriseVisit(
                enterprise=enterprise, visited_on=visited_on, visitors=(visitors or "").strip()[:200],
                operating_status=operating_status, staff_back_percent=staff_back_percent, impact=impact,
                impact_areas=areas, problems=problems.strip(), recorded_by=actor, client_id=client_id), None)
            for demand, department in routed:
                _raise_demand(actor, enterprise, visit, demand, department)
    except IntegrityError:
        # The same client id arrived twice at once: the other request made the visit.
        again = _existing(actor, client_id)
        if again is None:
            raise
        return again, False
    return visit, True


def _raise_demand(actor: User, enterprise: Enterprise, visit: EnterpriseVisit, demand: Demand,
                  department: Department | None) -> WorkOrder:
    """Open the demand's order. `record_visit` authorised the visit, and the visit authorises its
    demands: the order goes to the routed department even when the visitor could not raise orders
    for it (the engine's own `raise_order` scope rule is for orders raised by hand)."""
    label = DemandCategory(demand.category).label
    text = demand.text.strip()
    return orders.open_order(
        actor, kind=Kind.DEMAND, title=f"{enterprise.name}：{label}"[:200], grid=enterprise.grid,
        department=department, category=demand.category, subject=enterprise, source_object=visit,
        source=_("Enterprise visit on %(date)s") % {"date": visit.visited_on.isoformat()},
        requester_name=enterprise.contact_name or enterprise.name, requester_unit=enterprise.name,
        description=text, today=visit.visited_on)
