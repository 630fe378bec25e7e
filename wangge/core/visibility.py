"""The one place that decides which rows a user may see.

Every subject model declares, in an inner class `Scoping`, the lookup paths that tie a row to an
area, a department and a family doctor. `Model.objects.visible_to(user)` turns the user's roles
into one filter. Views, API, exports, dashboards and jobs get rows only through it; a row outside
scope is a 404 (see `get_visible_or_404`).
"""

from django.db import models
from django.db.models import Q
from django.http import Http404

from .roles import Scope


class ScopingSpec:
    area: str | None = None  # lookup path to an Area ("grid", "compound__grid"); "self" for Area
    department: str | tuple[str, ...] | None = None  # lookup path(s) to a Department
    doctor: str | None = None  # lookup path to the family doctor (a User)
    # (path to a grid, path to the family doctor): a family doctor also sees the rows of residents who
    # signed with no doctor and live in the doctor's areas (vaccination outreach, docs/VACCINATION.md).
    doctor_area: tuple[str, str] | None = None
    everyone: bool = False  # reference data every signed-in user may read
    # Lookup path to the town whose configuration the row is (a department, a route): everyone of that
    # town reads it, nobody of another town (docs/TOWNS.md).
    town: str | None = None
    # Lookup path to an area: reference data of that area's town (a vaccination point), read by everyone
    # of the town and nobody of another.
    town_area: str | None = None
    # Staff records (areas, users): a town administrator (Scope.TOWN) sees those of their towns.
    administered: bool = False
    owner: str | tuple[str, ...] | None = None  # path(s) to users who always see the row (maker, road chief)
    members: str | None = None  # lookup path to many users who take part (a team): they see the row too


# A branch whose ids number at most this is written as a literal list, which the planner can combine
# with the others through their indexes; a larger one stays a subquery.
LITERAL_IDS = 1000


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        spec = getattr(self.model, "Scoping", ScopingSpec)
        scopes = user.scopes
        if Scope.ALL in scopes or spec.everyone:
            return self.all()
        if spec.town:
            return self.filter(**{f"{spec.town}__in": user.town_ids})
        if spec.town_area:
            return self.filter(**{f"{spec.town_area}__in": user.town_area_ids})
        branches = Branches(self.model, user)
        if Scope.TOWN in scopes and spec.administered:
            town_branches(branches, spec, user)
        if Scope.AREA in scopes and spec.area and user.area_paths:
            if spec.area == "self":
                for path in user.area_paths:
                    branches.add(Q(path__startswith=path))
            elif user.sees_every_area:
                # The user's areas hold the whole tree (a district's leader): every row with an area.
                if not nullable(self.model, spec.area):
                    return self.all()
                branches.add(Q(**{f"{spec.area}__isnull": False}))
            else:
                # `grid_id IN (ids under the user's areas)`: an index look-up, where `grid.path LIKE …`
                # was a join the planner could only run over every row.
                branches.path(spec.area, user.area_ids_below, "in")
        for owner in (spec.owner,) if isinstance(spec.owner, str) else spec.owner or ():
            branches.path(owner, user.pk)
        if spec.members:
            # Never a join: joining a many-valued path would repeat rows.
            branches.ids("pk", self.model._base_manager.filter(**{spec.members: user.pk}).values("pk"))
        if Scope.DEPARTMENT in scopes and spec.department and user.department_ids:
            branches.add(department_branch(self.model, spec, user))
        if Scope.DOCTOR in scopes and spec.doctor:
            branches.path(spec.doctor, user.pk)
        if Scope.DOCTOR in scopes and spec.doctor_area:
            grid, doctor = spec.doctor_area
            for path in user.area_paths:
                branches.add(Q(**{f"{grid}__path__startswith": path, f"{doctor}__isnull": True}))
        if branches.condition is None:
            return self.none()
        return self.filter(branches.condition)


def department_branch(model, spec, user) -> Q:
    """What the user's departments own or are assigned, within the departments' towns: a department
    serves its own town only (a category's regulating department is set per town, docs/TOWNS.md)."""
    own = Branches(model, user)
    paths = (spec.department,) if isinstance(spec.department, str) else spec.department
    for path in paths:
        own.path(path, tuple(user.department_ids), "in")
    if own.condition is None:
        return Q(pk__in=[])
    if not spec.area or spec.area == "self":
        return own.condition
    in_town = Branches(model, user)
    in_town.path(spec.area, user.town_area_ids, "in")
    if nullable(model, spec.area):
        in_town.add(without_area(model, spec.area))
    return own.condition & in_town.condition if in_town.condition is not None else Q(pk__in=[])


def without_area(model, path: str) -> Q:
    """Rows with no end of the path; a many-valued path as `pk IN (…)`, so rows never repeat."""
    first = model._meta.get_field(path.split("__")[0])
    if first.many_to_many or not first.concrete:
        return Q(pk__in=model._base_manager.filter(**{f"{path}__isnull": True}).values("pk"))
    return Q(**{f"{path}__isnull": True})


def town_branches(branches: "Branches", spec, user) -> None:
    """A town administrator's staff records: the areas of their towns, the staff placed in them or in
    their departments."""
    from django.apps import apps

    area, department = apps.get_model("core", "Area"), apps.get_model("core", "Department")
    if spec.area == "self":
        for path in area.objects.filter(pk__in=user.town_ids).values_list("path", flat=True):
            branches.add(Q(path__startswith=path))
        return
    branches.path(spec.area, user.town_area_ids, "in")
    if spec.department:
        branches.path(spec.department, list(department.objects.filter(town__in=user.town_ids).values_list(
            "pk", flat=True)), "in")


class Branches:
    """The OR of a user's ways to see rows, each written on the row's own columns so that the database
    can answer it from an index (docs/PERFORMANCE.md, "Lists at district scale"):

    - a one-step path as it is (`assignee_id = 5`);
    - a longer path as its first foreign key in the ids it may take (`segment_id IN (3, 8)` for
      `segment__chief = 5`), read first (one small query) and written as a literal list when short,
      left out when empty (most people are no road chief), a subquery when long;
    - a many-valued path as `pk IN (…)`, so rows never repeat.

    The same rows as the joins (a NULL key matches neither), without an OR across joined tables, which
    the planner can only evaluate by reading every row."""

    def __init__(self, model, user):
        self.model, self.user, self.condition = model, user, None

    def add(self, q: Q) -> None:
        self.condition = q if self.condition is None else self.condition | q

    def path(self, path: str, value, lookup: str = "exact") -> None:
        condition = self._on(self.model, path, value, lookup)
        if condition is not None:
            self.add(condition)

    def ids(self, column: str, subquery) -> None:
        condition = self._in(column, subquery)
        if condition is not None:
            self.add(condition)

    def _on(self, model, path: str, value, lookup: str) -> Q | None:
        """`path__lookup=value` on `model`'s own columns; None when no row can match."""
        first, _, rest = path.partition("__")
        if not rest:
            return Q(**{f"{first}__{lookup}": value})
        field = model._meta.get_field(first)
        if field.concrete and (field.many_to_one or field.one_to_one):
            related = field.related_model
            inner = self._on(related, rest, value, lookup)  # innermost first: a road chief's segments
            if inner is None:
                return None
            return self._in(first, related._base_manager.filter(inner).values("pk"))
        return self._in("pk", model._base_manager.filter(**{f"{path}__{lookup}": value}).values("pk"))

    def _in(self, column: str, subquery) -> Q | None:
        found = resolved(subquery)
        if found is None:
            return Q(**{f"{column}__in": subquery})
        return Q(**{f"{column}__in": found}) if found else None


def nullable(model, path: str) -> bool:
    """Whether a row may have no end of the path (a NULL or many-valued step on the way)."""
    for step in path.split("__"):
        field = model._meta.get_field(step)
        if not field.concrete or field.many_to_many or field.null:
            return True
        model = field.related_model
    return False


def resolved(subquery) -> list | None:
    """The ids a subquery returns, if at most LITERAL_IDS; None when more. Read at each call, never
    kept: they are rows (segments, inspections taken part in) that change while a user object lives."""
    found = list(subquery.values_list("pk", flat=True)[:LITERAL_IDS + 1])
    return found if len(found) <= LITERAL_IDS else None


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one row the user may see; anything else, existing or not, is the same 404."""
    qs = queryset_or_model if isinstance(queryset_or_model, models.QuerySet) else queryset_or_model.objects
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_visible_by_label(user, label: str, pk):
    """The row `app_label.model` / `pk` that the user may see — a work order's or an inspection's
    subject named in a URL or a request. Unknown models, models without scoping and rows out of
    scope are the same 404."""
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not hasattr(getattr(model, "objects", None), "visible_to") or not str(pk).isdecimal():
        raise Http404
    return get_visible_or_404(model, user, pk=int(pk))
