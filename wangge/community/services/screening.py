"""Screening rounds: open a round over compounds, record each resident's result, figure coverage.

Coverage (应检尽检) of a compound = tested / should be tested, where should be tested = everyone on the
round's roster except the exempt and the away. The door-knocking list is exactly the not-yet rows, so
for every compound: not yet = should be tested − tested.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.bulk import insert_audited
from wangge.core.models import Area, User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..choices import ResidentStatus, ScreeningStatus
from ..models import Compound, Resident, ScreeningResult, ScreeningRound


def _organiser(compounds: list[Compound]) -> Area:
    """The smallest area holding every compound in scope (their neighbourhood, else the town)."""
    paths = [c.grid.path for c in compounds]
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[:common.rstrip("/").rfind("/") + 1]
    return Area.objects.filter(path=common).first() or compounds[0].grid


def _check_organiser(actor: User, area: Area, compounds: list[Compound]) -> str | None:
    """A requested organiser must be the actor's own and hold every compound of the round."""
    if not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        return _("Not found, or outside your area.")
    if any(not c.grid.path.startswith(area.path) for c in compounds):
        return _("The organising area must hold every compound of the round.")
    return None


@transaction.atomic
def open_round(actor: User, *, name: str, date: datetime.date, compounds, notes: str = "",
               area: Area | None = None) -> ScreeningRound:
    """Open a round; its organiser is `area` when one is named (it must hold every compound), else the
    smallest area holding them all."""
    require(actor, Perm.EDIT_RESIDENTS)
    ids = {c.pk for c in compounds}
    chosen = list(Compound.objects.visible_to(actor).filter(pk__in=ids).select_related("grid"))
    errors = {}
    if not ids:
        errors["compounds"] = _("Choose at least one compound.")
    elif len(chosen) != len(ids):
        errors["compounds"] = _("Choose compounds of your own grids.")
    if not (name or "").strip():
        errors["name"] = _("Name the round.")
    if date is None:
        errors["date"] = _("Give the date of the round.")
    if area is not None and chosen and "compounds" not in errors:
        problem = _check_organiser(actor, area, chosen)
        if problem:
            errors["area"] = problem
    if errors:
        raise ValidationError(errors)
    # The organiser is never a grid the actor does not manage: a neighbourhood or the town when the
    # compounds span several grids, the grid itself otherwise.
    screening = save_versioned(ScreeningRound(name=name.strip(), date=date, area=area or _organiser(chosen),
                                              notes=notes.strip()), None)
    screening.compounds.set(chosen)
    add_to_round(actor, screening)
    return screening


def _roster(compound_ids) -> list[Resident]:
    # With the name: each new result's trail label names its resident (a deferred name was one query a person).
    return list(Resident.objects.filter(compound_id__in=compound_ids, status=ResidentStatus.LIVING,
                                        merged_into__isnull=True).only("pk", "name", "compound_id", "building"))


@transaction.atomic
def add_to_round(actor: User, screening: ScreeningRound) -> int:
    """Put everyone now living in the round's compounds (and the actor's scope) on its roster; return how
    many were added. Residents already on it are left as they are."""
    require(actor, Perm.EDIT_RESIDENTS)
    if screening.results.filter(resident__isnull=True).exists():  # the roster of a purged round is final
        raise ValidationError({"round": _("This round's results were anonymised after its retention period.")})
    compound_ids = Compound.objects.visible_to(actor).filter(rounds=screening).values_list("pk", flat=True)
    known = set(screening.results.values_list("resident_id", flat=True))
    new = [ScreeningResult(round=screening, resident=r, compound_id=r.compound_id, building=r.building)
           for r in _roster(list(compound_ids)) if r.pk not in known]
    insert_audited(new)
    return len(new)


@transaction.atomic
def record_result(actor: User, result: ScreeningResult, *, status: str, exempt_reason: str = "",
                  tested_at: datetime.datetime | None = None, expected_version: int | None = None) -> ScreeningResult:
    require(actor, Perm.EDIT_RESIDENTS)
    if not ScreeningResult.objects.visible_to(actor).filter(pk=result.pk).exists():
        raise ValidationError({"result": _("Not found, or outside your area.")})
    if status not in ScreeningStatus.values:
        raise ValidationError({"status": _("Unknown result.")})
    if result.resident_id is None:
        raise ValidationError({"result": _("This result was anonymised after its retention period.")})
    exempt_reason = (exempt_reason or "").strip()
    if status == ScreeningStatus.EXEMPT and not exempt_reason:
        raise ValidationError({"exempt_reason": _("Give the reason for the exemption.")})
    result.status = status
    result.exempt_reason = exempt_reason if status == ScreeningStatus.EXEMPT else ""
    result.tested_at = (tested_at or timezone.now()) if status == ScreeningStatus.TESTED else None
    result.recorded_by = actor
    return save_versioned(result, expected_version)


@dataclass
class Coverage:
    compound_id: int
    compound: str
    on_roster: int
    tested: int
    exempt: int
    away: int
    not_yet: int

    @property
    def should(self) -> int:
        return self.on_roster - self.exempt - self.away

    @property
    def percent(self) -> float | None:
        return round(100 * self.tested / self.should, 1) if self.should else None


def coverage(screening: ScreeningRound, user: User) -> list[Coverage]:
    """Per compound the user sees, in one query."""
    S = ScreeningStatus
    rows = (ScreeningResult.objects.visible_to(user).filter(round=screening)
            .values("compound_id", "compound__name").order_by("compound__name")
            .annotate(on_roster=Count("pk"), tested=Count("pk", filter=Q(status=S.TESTED)),
                      exempt=Count("pk", filter=Q(status=S.EXEMPT)), away=Count("pk", filter=Q(status=S.AWAY)),
                      not_yet=Count("pk", filter=Q(status=S.NOT_YET))))
    return [Coverage(r["compound_id"], r["compound__name"], r["on_roster"], r["tested"], r["exempt"], r["away"],
                     r["not_yet"]) for r in rows]


def total(rows: list[Coverage]) -> Coverage:
    return Coverage(0, _("Total"), *(sum(getattr(r, f) for r in rows)
                                     for f in ("on_roster", "tested", "exempt", "away", "not_yet")))


def not_yet(screening: ScreeningRound, user: User, compound_id: int | None = None):
    """The door-knocking list: not-yet residents by compound, building and room."""
    rows = ScreeningResult.objects.visible_to(user).filter(round=screening, status=ScreeningStatus.NOT_YET)
    if compound_id:
        rows = rows.filter(compound_id=compound_id)
    return rows.select_related("resident", "compound").order_by("compound__name", "building", "resident__room",
                                                                 "resident__name")
