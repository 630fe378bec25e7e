"""Planning a campaign: one task per premises in scope, given to a day or night team by road segment
(with the segment's road chief where a team has them), the load balanced across teams and days.
Re-planning keeps every finished task and every re-inspection where it is."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import Area, User
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.places.choices import PremisesStatus
from wangge.places.models import Premises

from . import risk
from .choices import CampaignKind, Shift, TaskReason, TaskState
from .models import Campaign, ScanCompliance, Task, Team
from .services import check_campaign_scope, check_team


@dataclass
class PlanResult:
    created: int = 0
    removed: int = 0
    assigned: int = 0
    kept: int = 0
    unassigned: dict[str, int] = field(default_factory=dict)  # shift -> tasks without a team


def in_town(campaign: Campaign, path: str = "grid"):
    """`path` (to a grid) lies in the campaign's town: a campaign only ever reaches its own town's premises
    (docs/TOWNS.md), whatever its areas say."""
    town = Area.objects.filter(pk=campaign.town_id).values_list("path", flat=True).get()
    return Q(**{f"{path}__path__startswith": town})


def premises_in_areas(campaign: Campaign):
    """Open or suspended premises of the campaign's town in its areas (all the town when it names none)."""
    qs = Premises.objects.filter(in_town(campaign), status__in=[PremisesStatus.OPEN, PremisesStatus.SUSPENDED])
    paths = list(campaign.areas.values_list("path", flat=True))
    if paths:
        condition = Q()
        for path in paths:
            condition |= Q(grid__path__startswith=path)
        qs = qs.filter(condition)
    return qs


def premises_in_scope(campaign: Campaign):
    qs = premises_in_areas(campaign)
    if campaign.key_only:
        qs = qs.filter(is_key=True)
    category_ids = list(campaign.categories.values_list("pk", flat=True))
    if category_ids:
        qs = qs.filter(category_id__in=category_ids)
    return qs


def _shift_for(premises_shift: str, load: dict[str, int]) -> str:
    """Night-only places at night, day-only by day; open both: whichever shift has less work per team."""
    if premises_shift in (Shift.DAY, Shift.NIGHT):
        return premises_shift
    return min((Shift.DAY, Shift.NIGHT), key=lambda s: load[s])


def _days(campaign: Campaign, today: datetime.date) -> list[datetime.date]:
    first = max(campaign.starts_on, today)
    if first > campaign.ends_on:
        first = campaign.ends_on
    return [first + datetime.timedelta(days=n) for n in range((campaign.ends_on - first).days + 1)]


@transaction.atomic
def plan_campaign(actor: User, campaign: Campaign, today: datetime.date | None = None) -> PlanResult:
    require(actor, Perm.MANAGE_CAMPAIGNS)
    today = today or timezone.localdate()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_campaign_scope(actor, campaign)
    teams = list(campaign.teams.prefetch_related("members__departments"))
    for team in teams:
        try:
            check_team(list(team.members.all()))
        except ValidationError as exc:
            raise ValidationError(_("Team “%(team)s”: %(error)s") % {"team": team.name,
                                                                    "error": exc.messages[0]}) from exc
    result = PlanResult()
    if campaign.kind == CampaignKind.ROUND:
        wanted, flagged, have, stale = _scope_change(campaign)
        result.removed = stale.count()
        stale.delete()
        Task.objects.bulk_create([
            Task(campaign=campaign, premises_id=pid, shift=Shift.DAY,
                 reason=TaskReason.SCAN_FLAG if pid in flagged else TaskReason.SCOPE, note=flagged.get(pid, "")[:200])
            for pid in sorted(wanted - have)])
        result.created = len(wanted - have)
    result.kept = campaign.tasks.filter(state=TaskState.DONE).count()
    pending = list(_replanned(campaign).select_related("premises__segment"))
    before = {t.pk: (t.team_id, t.shift, t.planned_on, t.risk) for t in pending}
    scores = risk.refresh({t.premises_id for t in pending}, today)  # fresh: deadlines may have passed
    for task in pending:
        task.risk = min(scores.get(task.premises_id, 0), 32767)
    _assign(pending, teams, _days(campaign, today), result)
    now = timezone.now()
    for task in pending:
        if before[task.pk] != (task.team_id, task.shift, task.planned_on, task.risk):
            task.updated_at = now  # bulk_update skips auto_now; the field app syncs by it
    Task.objects.bulk_update(pending, ["team", "shift", "planned_on", "risk", "updated_at"], batch_size=500)
    return result


def _scope_change(campaign: Campaign):
    """A round's premises wanted now, those flagged by the scan check, those with a routine task, and the
    unfinished routine tasks that leave the scope."""
    routine = campaign.tasks.exclude(reason=TaskReason.REINSPECTION)
    wanted = set(premises_in_scope(campaign).values_list("pk", flat=True))
    # "Posted but not scanned" places in the campaign's areas join the round, with the reason.
    flagged = {c.premises_id: c.explanation for c in ScanCompliance.objects.filter(
        flagged=True, premises__in=premises_in_areas(campaign))}
    wanted |= set(flagged)
    have = set(routine.values_list("premises_id", flat=True))
    stale = routine.filter(state=TaskState.PLANNED).exclude(premises_id__in=wanted)
    return wanted, flagged, have, stale


def _replanned(campaign: Campaign):
    # Routine tasks, and re-inspections nobody holds yet (a look-back's); scheduled ones keep their team.
    return campaign.tasks.filter(state=TaskState.PLANNED).filter(
        ~Q(reason=TaskReason.REINSPECTION) | Q(team__isnull=True))


def preview_plan(actor: User, campaign: Campaign) -> PlanResult:
    """What `plan_campaign` would do now, changing nothing: the confirmation step's numbers. `assigned` is
    how many unfinished tasks (kept ones included) get their team and day given again."""
    require(actor, Perm.MANAGE_CAMPAIGNS)
    check_campaign_scope(actor, campaign)
    result = PlanResult(kept=campaign.tasks.filter(state=TaskState.DONE).count())
    stale_ids: set[int] = set()
    if campaign.kind == CampaignKind.ROUND:
        wanted, _flagged, have, stale = _scope_change(campaign)
        stale_ids = set(stale.values_list("pk", flat=True))
        result.removed, result.created = len(stale_ids), len(wanted - have)
    result.assigned = _replanned(campaign).exclude(pk__in=stale_ids).count() + result.created
    return result


def _assign(tasks: list[Task], teams: list[Team], days: list[datetime.date], result: PlanResult) -> None:
    by_shift: dict[str, list[Team]] = defaultdict(list)
    for team in teams:
        by_shift[team.shift].append(team)
    # Groups that go to one team together: a road segment, or (no segment) a grid.
    groups: dict[tuple, list[Task]] = defaultdict(list)
    for task in tasks:
        p = task.premises
        groups[("segment", p.segment_id) if p.segment_id else ("grid", p.grid_id)].append(task)
    # Work per team in each shift, to send "both" premises where the load is lighter.
    per_team = {s: 0 for s in (Shift.DAY, Shift.NIGHT)}
    load: dict[int, int] = {t.pk: t.tasks.filter(state=TaskState.PLANNED, reason=TaskReason.REINSPECTION).count()
                            for t in teams}
    members = {t.pk: {m.pk for m in t.members.all()} for t in teams}
    team_segments: dict[int, set[int]] = defaultdict(set)
    for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):
        group = sorted(groups[key], key=lambda t: (t.premises.address_number or 0, t.premises_id))
        chief = group[0].premises.segment.chief_id if key[0] == "segment" and group[0].premises.segment else None
        balance = _per_team_load(per_team, by_shift)
        shifts = {t.pk: _shift_for(t.premises.shift, balance) for t in group}
        for shift in sorted(set(shifts.values())):
            part = [t for t in group if shifts[t.pk] == shift]
            candidates = by_shift.get(shift, [])
            if not candidates:
                for t in part:
                    t.team, t.shift, t.planned_on = None, shift, None
                result.unassigned[shift] = result.unassigned.get(shift, 0) + len(part)
                continue
            lightest = min(load[t.pk] for t in candidates)
            # The road chief's team takes its segment unless that would unbalance the load.
            with_chief = [t for t in candidates if chief in members[t.pk] and load[t.pk] <= lightest + len(part)]
            team = min(with_chief or candidates, key=lambda t: (load[t.pk], t.name))
            for t in part:
                t.team, t.shift = team, shift
            load[team.pk] += len(part)
            per_team[shift] += len(part)
            result.assigned += len(part)
            if key[0] == "segment":
                team_segments[team.pk].add(key[1])
    _spread_over_days(tasks, days)
    for team in teams:
        team.segments.set(team_segments.get(team.pk, set()))


def _per_team_load(per_team: dict[str, int], by_shift: dict[str, list[Team]]) -> dict[str, float]:
    return {s: (per_team[s] / len(by_shift[s])) if by_shift.get(s) else float("inf") for s in per_team}


def _spread_over_days(tasks: list[Task], days: list[datetime.date]) -> None:
    """Each team's tasks, riskiest first and then in segment order, cut into as many equal runs as
    there are days: the places most likely to be in breach are seen soonest."""
    by_team: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        if task.team is not None:
            by_team[task.team.pk].append(task)
    for team_tasks in by_team.values():
        team_tasks.sort(key=lambda t: (-t.risk, t.premises.segment_id or 0, t.premises.address_number or 0,
                                       t.premises_id))
        per_day = -(-len(team_tasks) // len(days))
        for n, task in enumerate(team_tasks):
            task.planned_on = days[min(n // per_day, len(days) - 1)]
