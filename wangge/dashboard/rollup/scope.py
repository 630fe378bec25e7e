"""Whether a user's dashboard may be summed from the roll-up, and over which grids.

The roll-up counts rows by grid, so it answers exactly for users who see whole grids: everything (Scope.ALL)
or their areas (Scope.AREA) — unless they also see rows outside their areas as their maker, road chief,
assignee or team member, which is checked here row-free (a few indexed EXISTS). Anyone else (department
officers, family doctors, mixed roles) gets the direct counts."""

from django.db.models import Q

from wangge.core.models import Area
from wangge.core.roles import Scope
from wangge.inspections.models import Inspection, Task
from wangge.places.models import Premises
from wangge.workorders.models import WorkOrder

from .refresh import enabled

# Models whose figures come from the roll-up and whose Scoping has owners or members.
CHECKED = (Premises, Task, Inspection, WorkOrder)


class AllGrids:
    """Scope.ALL: every grid, and rows without one (grid 0)."""

    def filter(self, queryset):
        return queryset


class SomeGrids:
    def __init__(self, paths: list[str]):
        self.paths = paths
        inside = Q()
        for path in paths:
            inside |= Q(path__startswith=path)
        # Areas covering the whole map (a district's leader): every grid, no list of 1,000 ids to match.
        self.ids = Area.objects.filter(inside).values("pk") if Area.objects.exclude(inside).exists() else None

    def filter(self, queryset):
        return queryset.filter(grid__gt=0) if self.ids is None else queryset.filter(grid__in=self.ids)


def _owned(model, path: str, pk: int) -> Q:
    """Q(path=pk), resolved hop by hop from the user's end (`premises__segment__chief`: the user's segments,
    their premises, then the rows): each step an index look-up, where one join lets the planner scan."""
    first, _, rest = path.partition("__")
    if not rest:
        return Q(**{path: pk})
    related = model._meta.get_field(first).related_model
    ids = list(related._base_manager.filter(_owned(related, rest, pk)).values_list("pk", flat=True))
    return Q(**{f"{first}__in": ids})


def _outside(model, user, paths: list[str]) -> bool:
    spec = model.Scoping
    inside = Q()
    for path in paths:
        inside |= Q(path__startswith=path)
    # NOT IN a subquery rather than a join on the areas: the planner then starts from the owner's index.
    rows = model._base_manager.exclude(**{f"{spec.area}__in": Area.objects.filter(inside).values("pk")}) \
        if spec.area else model._base_manager.all()
    owners = (spec.owner,) if isinstance(spec.owner, str) else spec.owner or ()
    conditions = [_owned(model, owner, user.pk) for owner in owners]
    if spec.members:
        # Hop by hop too (the user's teams, then their tasks): as a subquery of rows joined to the members, the
        # planner walked every task of a district (220 ms on PostgreSQL for a cadre, measured).
        conditions.append(_owned(model, spec.members, user.pk))
    # One EXISTS per condition: each can use its own index, an OR of them could not.
    return any(rows.filter(condition).exists() for condition in conditions)


def grid_scope(user):
    """AllGrids, SomeGrids or None (count directly). Kept on the user object for the request."""
    if hasattr(user, "_rollup_scope"):
        return user._rollup_scope
    scope = None
    if enabled() and user is not None and user.is_authenticated and user.is_active:
        scopes = user.scopes
        if scopes == {Scope.ALL}:
            scope = AllGrids()
        elif scopes == {Scope.AREA} and (paths := user.area_paths) and \
                not any(_outside(model, user, paths) for model in CHECKED):
            scope = SomeGrids(paths)
    user._rollup_scope = scope
    return scope
