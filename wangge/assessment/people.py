"""Whom a user is assessed as: themselves (a grid worker, an inspector), their departments (an officer),
their neighbourhoods (a cadre). They may see these figures and the records behind them."""

from wangge.core.models import AreaLevel
from wangge.core.roles import Perm, Role

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
    return user.can(Perm.VIEW_ASSESSMENT) or any(k == kind and s == subject_id for k, s, _n in identities(user))
