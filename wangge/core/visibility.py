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

NOTHING = Q(pk__in=[])


class ScopingSpec:
    area: str | None = None  # lookup path to an Area ("grid", "compound__grid"); "self" for Area
    department: str | tuple[str, ...] | None = None  # lookup path(s) to a Department
    doctor: str | None = None  # lookup path to the family doctor (a User)
    # (path to a grid, path to the family doctor): a family doctor also sees the rows of residents who
    # signed with no doctor and live in the doctor's areas (vaccination outreach, docs/VACCINATION.md).
    doctor_area: tuple[str, str] | None = None
    everyone: bool = False  # reference data every signed-in user may read
    owner: str | tuple[str, ...] | None = None  # path(s) to users who always see the row (maker, road chief)
    members: str | None = None  # lookup path to many users who take part (a team): they see the row too


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        spec = getattr(self.model, "Scoping", ScopingSpec)
        scopes = user.scopes
        if Scope.ALL in scopes or spec.everyone:
            return self.all()
        condition = NOTHING
        for owner in (spec.owner,) if isinstance(spec.owner, str) else spec.owner or ():
            condition |= Q(**{owner: user.pk})
        if spec.members:
            # A subquery, not a join: joining a many-valued path would repeat rows.
            condition |= Q(pk__in=self.model._base_manager.filter(**{spec.members: user.pk}).values("pk"))
        if Scope.AREA in scopes and spec.area:
            prefix = "path" if spec.area == "self" else f"{spec.area}__path"
            for path in user.area_paths:
                condition |= Q(**{f"{prefix}__startswith": path})
        if Scope.DEPARTMENT in scopes and spec.department and user.department_ids:
            paths = (spec.department,) if isinstance(spec.department, str) else spec.department
            for path in paths:
                condition |= Q(**{f"{path}__in": user.department_ids})
        if Scope.DOCTOR in scopes and spec.doctor:
            condition |= Q(**{f"{spec.doctor}": user.pk})
        if Scope.DOCTOR in scopes and spec.doctor_area:
            grid, doctor = spec.doctor_area
            for path in user.area_paths:
                condition |= Q(**{f"{grid}__path__startswith": path, f"{doctor}__isnull": True})
        if condition == NOTHING:
            return self.none()
        return self.filter(condition)


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
