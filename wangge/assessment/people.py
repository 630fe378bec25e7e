"""Whom a user is assessed as: themselves (a grid worker, an inspector), their departments (an officer),
their neighbourhoods (a cadre). They may see these figures and the records behind them."""

from wangge.core.models import AreaLevel, User
from wangge.core.roles import Perm, Role, Scope

from .choices import SubjectKind


def identities(user) -> list[tuple[str, int, str]]:
    """[(kind, subject id, name)]"""
    out = []
    name = user.full_name or user.username
    for role, kind in ((Role.GRID_WORKER, SubjectKind.GRID_WORKER), (Role.INSPECTOR, SubjectKind.INSPECTOR)):
        if role in user.roles:
            out.append((kind, user.pk, name))
    if Role.DEPARTMENT_OFFICER in user.roles:
        out += [(SubjectKind.DEPARTMENT, d.pk, d.name) for d in user.departments.order_by("code")]
    if Role.NEIGHBOURHOOD_CADRE in user.roles:
        out += [(SubjectKind.NEIGHBOURHOOD, a.pk, a.name)
                for a in user.areas.filter(level=AreaLevel.NEIGHBOURHOOD).order_by("code")]
    return out


def may_see(user, kind: str, subject_id: int) -> bool:
    if user.can(Perm.VIEW_ASSESSMENT):
        scope = in_scope(user, kind)
        if scope is None or subject_id in scope:
            return True
    return any(k == kind and s == subject_id for k, s, _n in identities(user))


def in_scope(user, kind: str) -> set[int] | None:
    """The subjects of `kind` a user who assesses others may rank: everyone for whoever sees the whole
    tree (an administrator, the town's leaders), else those inside their areas (their departments)."""
    if Scope.ALL in user.scopes or user.sees_every_area:
        return None
    below = set(user.area_ids_below)
    if kind == SubjectKind.DEPARTMENT:
        return set(user.department_ids)
    if kind == SubjectKind.NEIGHBOURHOOD:
        return below
    return set(User.objects.filter(areas__in=below).values_list("pk", flat=True))
