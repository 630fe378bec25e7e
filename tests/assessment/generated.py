"""Random activity over the test world for one month (March 2025) and the days around it: inspection
tasks with and without their inspection, work orders with deadlines, closings, satisfaction and their
start / verify / reopen events, special-group residents and care visits. Seeded, so a failure repeats."""

import datetime
import random
import uuid
from unittest import mock

from django.utils import timezone

from tests.conftest import id_number, make_user
from tests.inspections.helpers import campaign
from wangge.community.models import CareVisit, Resident
from wangge.core.roles import Role
from wangge.inspections.choices import Shift, TaskReason, TaskState
from wangge.inspections.models import Inspection, Task, Team
from wangge.places.models import Premises, PremisesCategory
from wangge.workorders.choices import Kind, Satisfaction, State, Verb
from wangge.workorders.models import WorkOrder, WorkOrderEvent

START, END = datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)


def moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour % 24)))


def around(rng, margin: int = 6) -> datetime.date:
    return START + datetime.timedelta(days=rng.randrange(-margin, (END - START).days + margin))


def generate(world, seed: int = 27) -> dict:
    rng = random.Random(seed)
    workers = [world.users["gridworker"], *(make_user(f"gw{n}", Role.GRID_WORKER, [world.grids[g]])
                                            for n, g in enumerate(["linquan2", "beihong1", "beihong2"]))]
    people = [*workers, world.users["inspector"], make_user("inspector2", Role.INSPECTOR, [world.town])]
    grids = list(world.grids.values())
    departments = list(world.departments.values())
    # Inspection tasks: a campaign over 40 premises, three teams mixing the people.
    c = campaign(world, plan=False)
    teams = list(Team.objects.filter(campaign=c))
    extra = Team.objects.create(campaign=c, name="网格组", shift=Shift.DAY)
    extra.members.set(rng.sample(people, 3))
    teams.append(extra)
    teams[0].members.add(workers[0])
    category = PremisesCategory.objects.get(code="restaurant")
    for n in range(40):
        grid = rng.choice(grids)
        p = Premises(name=f"生成场所{n}", category=category, address=f"生成路{n + 1}号", grid=grid)
        p.save()
        reason = rng.choice([TaskReason.SCOPE, TaskReason.SCOPE, TaskReason.FINDING, TaskReason.REINSPECTION])
        planned = around(rng)
        task = Task.objects.create(campaign=c, premises=p, shift=Shift.DAY, planned_on=planned, reason=reason,
                                   team=rng.choice(teams + [None]))
        if rng.random() < 0.7:
            at = moment(planned + datetime.timedelta(days=rng.choice([-1, 0, 0, 0, 1, 3])), rng.choice([1, 9, 23]))
            i = Inspection.objects.create(client_id=uuid.UUID(int=rng.getrandbits(128)), campaign=c, premises=p,
                                          task=task, grid=grid, subject_label=p.name, checklist=c.checklist,
                                          inspected_at=at, shift=Shift.DAY, outcome="compliant")
            Task.objects.filter(pk=task.pk).update(state=TaskState.DONE, inspection=i)
    # Work orders with their events.
    for n in range(90):
        created = moment(around(rng, 20), rng.randrange(24))
        deadline = created.date() + datetime.timedelta(days=rng.randrange(1, 20))
        kind = rng.choice([Kind.OTHER, Kind.DEMAND, Kind.PUBLIC_REPORT, Kind.RECTIFICATION])
        order = WorkOrder.objects.create(kind=kind, title=f"生成工单{n}", grid=rng.choice(grids), deadline=deadline,
                                         department=rng.choice(departments + [None]),
                                         assignee=rng.choice(people + [None]))
        changes = {"created_at": created}
        events = []
        if rng.random() < 0.8:
            events.append((Verb.START, created + datetime.timedelta(hours=rng.randrange(1, 80))))
        if rng.random() < 0.6:
            closed = moment(deadline + datetime.timedelta(days=rng.randrange(-5, 4)), rng.randrange(24))
            closed = max(closed, created + datetime.timedelta(hours=1))
            changes.update(state=State.CLOSED, closed_at=closed)
            events.append((Verb.VERIFY, closed))
            if kind in (Kind.DEMAND, Kind.PUBLIC_REPORT) and rng.random() < 0.8:
                changes["satisfaction"] = rng.choice(Satisfaction.values)
            if rng.random() < 0.25:
                events.append((Verb.REOPEN, closed + datetime.timedelta(days=rng.randrange(0, 10))))
        WorkOrder.objects.filter(pk=order.pk).update(**changes)
        for verb, at in events:
            with mock.patch("django.utils.timezone.now", return_value=at):  # the event's own time
                WorkOrderEvent.objects.create(order=order, verb=verb, from_state=State.ASSIGNED, to_state=State.CLOSED)
    # Special groups and care visits.
    for n in range(24):
        r = Resident(name=f"居民{n}", id_number=id_number("19400101", 100 + n), grid=rng.choice(grids),
                     low_income=rng.random() < 0.7, disabled=rng.random() < 0.3)
        r.save()
        registered = END + datetime.timedelta(days=3) if n == 0 else START - datetime.timedelta(days=30)
        Resident.objects.filter(pk=r.pk).update(created_at=moment(registered, 10))  # n == 0: after the month
        for _visit in range(rng.choice([0, 0, 1, 2])):
            CareVisit.objects.create(resident=r, visited_on=around(rng, 10), visitors="网格员", condition="good")
    return {"people": people}
