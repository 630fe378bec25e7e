"""Who is assessed, and the ranking: each subject's figures under a scheme, weighted into one score.

An indicator a subject has no records for is left out of its score (its weight with it), so a grid
with no enterprise demands is neither rewarded nor punished for them."""

from dataclasses import dataclass, field

from wangge.core.models import Area, AreaLevel, Department, User
from wangge.core.roles import Role

from .choices import SubjectKind
from .indicators import INDICATORS, Bounds, compute

_ROLE = {SubjectKind.GRID_WORKER: Role.GRID_WORKER, SubjectKind.INSPECTOR: Role.INSPECTOR}


def subjects(kind: str) -> dict[int, str]:
    """{id: name} of everyone of a kind who is assessed."""
    if kind in _ROLE:
        people = User.objects.filter(is_active=True, role_assignments__role=_ROLE[kind]).distinct().order_by("pk")
        return {u.pk: u.full_name or u.username for u in people}
    if kind == SubjectKind.DEPARTMENT:
        return dict(Department.objects.filter(is_active=True).order_by("code").values_list("pk", "name"))
    return dict(Area.objects.filter(level=AreaLevel.NEIGHBOURHOOD).order_by("code").values_list("pk", "name"))


def scheme_indicators(weights: dict) -> list:
    return [i for i in INDICATORS if weights.get(i.key, 0) > 0]


def total(values: dict, weights: dict) -> float | None:
    counted = [(weights[key], v.score) for key, v in values.items() if v.score is not None and weights.get(key)]
    weight = sum(w for w, _score in counted)
    return round(sum(w * s for w, s in counted) / weight, 1) if weight else None


@dataclass
class Row:
    subject_id: int
    name: str
    values: dict = field(default_factory=dict)  # indicator key -> Value (absent: no records)
    score: float | None = None
    rank: int | None = None


def figures(kind: str, bounds: Bounds, weights: dict, only: set[int] | None = None) -> list[Row]:
    """Every subject of `kind` (or those in `only`), ranked by score, best first; no score last."""
    names = subjects(kind)
    if only is not None:
        names = {k: v for k, v in names.items() if k in only}
    rows = {pk: Row(pk, name) for pk, name in names.items()}
    for indicator in scheme_indicators(weights):
        for subject, value in compute(indicator, kind, bounds).items():
            if subject in rows:
                rows[subject].values[indicator.key] = value
    for row in rows.values():
        row.score = total(row.values, weights)
    ranked = sorted(rows.values(), key=lambda r: (r.score is None, -(r.score or 0), r.name))
    for n, row in enumerate(ranked, start=1):
        row.rank = n if row.score is not None else None
    return ranked

