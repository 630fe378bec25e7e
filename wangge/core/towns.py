"""Several towns in one deployment (docs/TOWNS.md): which town a row is in, and the one check that a user
may act on a town's own configuration (its departments, routes and staff)."""

from django.core.exceptions import PermissionDenied

from .models import Area, AreaLevel, ancestors
from .roles import Scope


def town_id_of(area_id: int | None) -> int | None:
    """The town of an area named by its id, in one query."""
    if area_id is None:
        return None
    path = Area.objects.filter(pk=area_id).values_list("path", flat=True).first()
    if path is None:
        return None
    return Area.objects.filter(level=AreaLevel.TOWN, path__in=[*ancestors(path), path]).values_list(
        "pk", flat=True).first()


def may_configure(actor, town_id: int | None) -> bool:
    """An administrator configures every town; anyone else only a town of their own."""
    if Scope.ALL in actor.scopes:
        return True
    return town_id is not None and town_id in actor.town_ids


def require_town(actor, town_id: int | None) -> None:
    if not may_configure(actor, town_id):
        raise PermissionDenied


def choosable_towns(actor):
    """The towns the actor may place a town's own work in (a campaign, a department): every town for an
    administrator, their own towns for anyone else."""
    towns = Area.objects.filter(level=AreaLevel.TOWN).order_by("path")
    return towns if Scope.ALL in actor.scopes else towns.filter(pk__in=actor.town_ids)


def only_town(actor) -> Area | None:
    """The actor's town when they may choose exactly one, else None (they must say which)."""
    towns = list(choosable_towns(actor)[:2])
    return towns[0] if len(towns) == 1 else None


# --- per-town routing tables ----------------------------------------------------------------------
# Each app with a routing table (town, category) -> department registers it here, so that every town has
# one row per category from the day it is created (empty: assigned by hand) and every service looks up
# the route of the record's own town the same way.
_ROUTE_TABLES: list = []


def register_routes(model, categories) -> None:
    """`categories()` gives the values (or rows) of the table's `category` field."""
    if model not in [m for m, _c in _ROUTE_TABLES]:
        _ROUTE_TABLES.append((model, categories))


def route_tables() -> list:
    return [model for model, _c in _ROUTE_TABLES]


def route_table(label: str):
    """The registered routing table called `app_label.modelname`, or None."""
    return next((m for m in route_tables() if m._meta.label_lower == label), None)


def ensure_routes(town: Area) -> None:
    """One row per category of every routing table for the town; rows already there are kept."""
    for model, categories in _ROUTE_TABLES:
        model.objects.bulk_create([model(town=town, category=c) for c in categories()], ignore_conflicts=True)


def town_created(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw and instance.level == AreaLevel.TOWN:
        ensure_routes(instance)


def routed_department(model, area_id: int | None, category):
    """The active department a routing table sends `category` to in the town of the area, or None (the
    town assigns by hand)."""
    route = model.objects.select_related("department").filter(town_id=town_id_of(area_id), category=category).first()
    return route.department if route and route.department and route.department.is_active else None


def save_route(actor, route, expected_version: int | None = None):
    """Set a route's department: only in a town the actor may configure, only to that town's department."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .services import save_versioned

    require_town(actor, route.town_id)
    if route.department_id and route.department.town_id != route.town_id:
        raise ValidationError({"department": _("Choose a department of this town.")})
    return save_versioned(route, expected_version)


def set_route(actor, route, department, expected_version: int | None = None):
    """The town settings page's verb: whoever manages a town's staff keeps its routing tables too."""
    from .roles import Perm
    from .services import require

    require(actor, Perm.MANAGE_STAFF)
    route.department = department
    return save_route(actor, route, expected_version)
