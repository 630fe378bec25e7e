"""Campaigns, their tasks and inspections (a few answers each), and work orders — the rectification
orders of the inspections that ordered one, and orders of the other kinds. Each round is one campaign per
town (a campaign is its town's, docs/TOWNS.md), with the tasks and inspections of that town's premises."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from wangge.core.bulk import insert_audited
from wangge.core.models import Department
from wangge.inspections.choices import CampaignStatus, InspectionKind, Outcome, Shift, TaskReason, TaskState
from wangge.inspections.models import Answer, Campaign, Checklist, ChecklistItem, Inspection, Task
from wangge.inspections.seed import ensure_checklists
from wangge.places.models import CategoryRoute, Premises, PremisesCategory
from wangge.workorders.choices import Kind, OverdueLevel, Priority, State
from wangge.workorders.models import WorkOrder

from .writer import insert_plain, reserve

BATCH = 20_000
FIRST_ROUND = datetime.date(2022, 3, 7)
ROUND_EVERY, ROUND_DAYS = 28, 12
DONE_SHARE = 0.9  # of the latest round's tasks
# Outcome of a routine inspection, out of 100.
OUTCOMES = [Outcome.COMPLIANT] * 85 + [Outcome.FIXED] * 8 + [Outcome.RECTIFICATION] * 5 + [Outcome.SHUTDOWN] * 2
OPEN_STATES = [State.NEW, State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_VERIFICATION, State.RETURNED,
               State.REOPENED, State.ESCALATED]
OTHER_KINDS = [Kind.DEMAND, Kind.RESIDENT_NEED, Kind.INSTRUCTION, Kind.OTHER]


def make_campaigns(scale, admin, towns) -> list[dict[int, Campaign]]:
    """The rounds, oldest first: each town's campaign of the round, by town id."""
    ensure_checklists(Checklist, ChecklistItem, PremisesCategory)
    checklist = Checklist.objects.get(code="epidemic", is_current=True)
    rounds = []
    for r in range(scale.campaigns):
        starts = FIRST_ROUND + datetime.timedelta(days=r * ROUND_EVERY)
        latest = r == scale.campaigns - 1
        rounds.append({town.pk: Campaign.objects.create(
            town=town, name=f"{town.name}重点场所排查第{r + 1}轮", starts_on=starts,
            ends_on=starts + datetime.timedelta(days=ROUND_DAYS - 1),
            checklist=checklist, status=CampaignStatus.ACTIVE if latest else CampaignStatus.CLOSED, created_by=admin)
            for town in towns})
    return rounds


class Activity:
    def __init__(self, rng, scale, areas, staff, campaigns):
        self.rng, self.scale, self.campaigns = rng, scale, campaigns
        self.grids = areas["grids"]
        self.departments = {town: list(units.values()) for town, units in staff["departments_of_town"].items()}
        self.inspectors = staff["inspectors"]
        self.town_of_grid = {g.pk: g.parent.parent_id for g in self.grids}
        self.inspector_of_town = {i.areas.first().pk: i for i in self.inspectors}
        self.items = list(next(iter(campaigns[0].values())).checklist.items.order_by("order")[:2])
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.orders = 0
        self.today = timezone.localdate()

    def premises_rows(self):
        """(id, grid, regulating department in the premises' town, name) of every premises."""
        regulator = {(town, category): department for town, category, department in CategoryRoute.objects.filter(
            town__in=self.departments).values_list("town_id", "category_id", "department_id")}
        return [(pk, grid, regulator.get((self.town_of_grid[grid], category)), name) for pk, grid, category, name
                in Premises.objects.filter(grid__in=self.grids).order_by("pk").values_list(
                    "pk", "grid_id", "category_id", "name")]

    def _of(self, campaigns: dict[int, Campaign], premises) -> Campaign:
        """The round's campaign of the premises' town."""
        return campaigns[self.town_of_grid[premises[1]]]

    def _unit(self, grid_id: int) -> Department:
        """A department of the grid's own town, in turn."""
        units = self.departments[self.town_of_grid[grid_id]]
        return units[self.orders % len(units)]

    def _order(self, kind, grid_id, department_id, title, created: datetime.date) -> WorkOrder:
        rng = self.rng
        closed = rng.random() < 0.6
        deadline = created + datetime.timedelta(days=rng.choice([5, 7, 10, 15]))
        state = State.CLOSED if closed else rng.choice(OPEN_STATES)
        overdue = OverdueLevel.NONE if closed or deadline >= self.today else rng.choice(
            [OverdueLevel.DEPARTMENT, OverdueLevel.LEADER])
        when = datetime.datetime.combine(deadline - datetime.timedelta(days=rng.randrange(0, 4)), datetime.time(16),
                                         self.zone)
        self.orders += 1
        return WorkOrder(kind=kind, state=state, title=title[:200], grid_id=grid_id,
                         department_id=department_id or self._unit(grid_id).pk,
                         priority=Priority.NORMAL, deadline=deadline, closed_at=when if closed else None,
                         overdue_level=overdue, subject_label=title[:200])

    def _inspection(self, campaign, premises, n, task_id=None) -> Inspection:
        rng = self.rng
        pk, grid_id, _department, name = premises
        day = campaign.starts_on + datetime.timedelta(days=n % ROUND_DAYS)
        night = rng.random() < 0.3
        at = datetime.datetime.combine(day, datetime.time(21 if night else 10, rng.randrange(60)), self.zone)
        outcome = OUTCOMES[rng.randrange(100)]
        inspector = self.inspector_of_town[self.town_of_grid[grid_id]]
        return Inspection(client_id=uuid.UUID(int=rng.getrandbits(128)), kind=InspectionKind.ROUTINE,
                          campaign=campaign, task_id=task_id, premises_id=pk, grid_id=grid_id, subject_label=name[:200],
                          checklist_id=campaign.checklist_id,
                          inspected_at=at, shift=Shift.NIGHT if night else Shift.DAY, submitted_by=inspector,
                          outcome=outcome, violation_count=0 if outcome == Outcome.COMPLIANT else 1,
                          deadline=day + datetime.timedelta(days=7) if outcome == Outcome.RECTIFICATION else None,
                          rectification_items="整改消杀台账" if outcome == Outcome.RECTIFICATION else "",
                          suspended=outcome == Outcome.RECTIFICATION and rng.random() < 0.5,
                          legal_reason="《传染病防治法》第三十九条" if outcome == Outcome.SHUTDOWN else "")

    def _write(self, inspections: list[Inspection], tasks: list[Task] | None = None, inspectors=False) -> None:
        """Orders for the inspections that ordered rectification, then tasks, inspections, answers."""
        ordered = [i for i in inspections if i.outcome == Outcome.RECTIFICATION]
        orders = [self._order(Kind.RECTIFICATION, self.grid_of[i.premises_id], self.department_of[i.premises_id],
                              f"整改：{self.name_of[i.premises_id]}", i.inspected_at.date()) for i in ordered]
        insert_audited(orders)
        for inspection, order in zip(ordered, orders, strict=True):
            inspection.work_order_id = order.pk
        if tasks:
            by_inspection = {t.inspection_id: t for t in tasks}
            for inspection, order in zip(ordered, orders, strict=True):
                by_inspection[inspection.pk].work_order_id = order.pk
            insert_plain(tasks)
        insert_plain(inspections)
        answers = [Answer(inspection_id=i.pk, item_id=item.pk, value="no" if i.violation_count and k == 0 else "yes",
                          is_violation=bool(i.violation_count) and k == 0)
                   for i in inspections for k, item in enumerate(self.items)]
        insert_plain(answers)
        if inspectors:
            through = Inspection.inspectors.through
            insert_plain([through(inspection_id=i.pk, user_id=i.submitted_by_id) for i in inspections])

    def run(self) -> dict:
        premises = self.premises_rows()
        self.grid_of = {p[0]: p[1] for p in premises}
        self.department_of = {p[0]: p[2] for p in premises}
        self.name_of = {p[0]: p[3] for p in premises}
        latest, older = self.campaigns[-1], self.campaigns[:-1]
        done = int(len(premises) * DONE_SHARE)
        rest = max(0, self.scale.inspections - done)
        written = 0
        # The latest round: a task per premises, the first 90% inspected.
        for start in range(0, len(premises), BATCH):
            chunk = premises[start:start + BATCH]
            task_ids = reserve(Task, len(chunk))
            inspected = [(n, p) for n, p in enumerate(chunk, start=start) if n < done]
            inspection_ids = reserve(Inspection, len(inspected)) if inspected else []
            tasks = [Task(pk=task_ids[k], campaign=self._of(latest, p), premises_id=p[0], shift=Shift.DAY,
                          planned_on=self._of(latest, p).starts_on + datetime.timedelta(days=(start + k) % ROUND_DAYS),
                          state=TaskState.PLANNED, reason=TaskReason.SCOPE) for k, p in enumerate(chunk)]
            inspections = []
            for (n, p), pk in zip(inspected, inspection_ids, strict=True):
                task = tasks[n - start]
                inspection = self._inspection(task.campaign, p, n, task_id=task.pk)
                inspection.pk = pk
                task.state, task.inspection_id, task.shift = TaskState.DONE, pk, inspection.shift
                inspections.append(inspection)
            self._write(inspections, tasks, inspectors=True)
            written += len(inspections)
        # Earlier rounds: their inspections only (their tasks are long done and not needed for the figures).
        for r, campaigns in enumerate(older):
            count = rest // len(older) + (1 if r < rest % len(older) else 0)
            for start in range(0, count, BATCH):
                inspections = [self._inspection(self._of(campaigns, premises[n % len(premises)]),
                                                premises[n % len(premises)], n)
                               for n in range(start, min(start + BATCH, count))]
                self._write(inspections)
                written += len(inspections)
        # The other kinds of work order, up to the scale's total.
        other = max(0, self.scale.work_orders - self.orders)
        for start in range(0, other, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, other)):
                p = premises[(n * 7919) % len(premises)]
                kind = OTHER_KINDS[n % len(OTHER_KINDS)]
                created = FIRST_ROUND + datetime.timedelta(days=n % 150)
                batch.append(self._order(kind, p[1], None, f"{Kind(kind).label}：{p[3]}", created))
            insert_audited(batch)
        return {"inspections": written, "work_orders": self.orders, "tasks": len(premises)}
