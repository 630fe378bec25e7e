"""Planning (issue #6, point 3), look-back (6), summary (7) and checklist revisions (1)."""

import datetime
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from wangge.inspections import services
from wangge.inspections.checklists import revise_checklist
from wangge.inspections.choices import Shift, TaskReason, TaskState
from wangge.inspections.models import Campaign, Checklist, Inspection, Task, Team
from wangge.inspections.planning import plan_campaign
from wangge.inspections.summary import campaign_summary, coverage

from .helpers import COMPLIANT, campaign, submit

TODAY = timezone.localdate()


def test_every_premises_in_scope_gets_one_task_night_places_at_night(world):
    c = campaign(world)
    tasks = {t.premises_id: t for t in Task.objects.filter(campaign=c)}
    assert set(tasks) == {p.pk for p in world.premises.values()}
    assert tasks[world.premises["beihong2"].pk].shift == Shift.NIGHT  # the KTV, 20:00-02:00
    assert tasks[world.premises["beihong2"].pk].team.shift == Shift.NIGHT
    assert all(t.team is not None and c.starts_on <= t.planned_on <= c.ends_on for t in tasks.values())


def test_teams_need_two_people_and_an_enforcement_unit(world):
    c = campaign(world, plan=False)
    admin = world.users["admin"]
    with pytest.raises(ValidationError):
        services.save_team(admin, Team(campaign=c, name="独行", shift=Shift.DAY), [world.users["officer"]])
    with pytest.raises(ValidationError) as excinfo:
        services.save_team(admin, Team(campaign=c, name="无执法", shift=Shift.DAY),
                           [world.users["inspector"], world.users["gridworker"]])
    assert "members" in excinfo.value.message_dict
    assert not Team.objects.filter(name__in=["独行", "无执法"]).exists()


def test_replanning_keeps_finished_tasks_and_adds_new_premises(world):
    c = campaign(world)
    done = Task.objects.get(campaign=c, premises=world.premises["linquan1"])
    submit(world, done)
    done.refresh_from_db()
    before = (done.team_id, done.planned_on, done.inspection_id)
    from wangge.places.models import Premises

    new = Premises(name="新开面馆", category=world.premises["linquan1"].category, address="仙霞西路7号",
                   grid=world.grids["linquan1"])
    new.save()
    result = plan_campaign(world.users["admin"], c)
    assert result.created == 1 and result.kept == 1
    done.refresh_from_db()
    assert (done.team_id, done.planned_on, done.inspection_id, done.state) == (*before, TaskState.DONE)
    assert Task.objects.filter(campaign=c).count() == 5


def test_load_is_balanced_and_a_segment_goes_to_its_road_chiefs_team(world):
    c = campaign(world, plan=False)
    admin = world.users["admin"]
    # A second day team with the grid worker, who is road chief of 哈密路.
    services.save_team(admin, Team(campaign=c, name="二组", shift=Shift.DAY),
                       [world.users["gridworker"], world.users["officer"]])
    plan_campaign(admin, c)
    hami = Task.objects.get(campaign=c, premises=world.premises["beihong1"])
    assert hami.team.name == "二组"
    day_loads = [Task.objects.filter(campaign=c, team=t).count() for t in c.teams.filter(shift=Shift.DAY)]
    assert max(day_loads) - min(day_loads) <= 1


def test_planning_refuses_an_invalid_team(world):
    c = campaign(world, plan=False)
    team = c.teams.first()
    team.members.set([world.users["inspector"]])
    with pytest.raises(ValidationError):
        plan_campaign(world.users["admin"], c)
    assert not Task.objects.filter(campaign=c).exists()


def _run_round(world):
    c = campaign(world)
    tasks = {g: Task.objects.get(campaign=c, premises=world.premises[g]) for g in world.premises}
    submit(world, tasks["linquan1"], answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
           rectification_items="补建消杀台账", deadline=TODAY + datetime.timedelta(days=3), suspend=True)
    submit(world, tasks["linquan2"])
    submit(world, tasks["beihong1"])
    return c


def test_lookback_takes_findings_uninspected_and_a_reproducible_sample(world):
    c = _run_round(world)
    admin = world.users["admin"]
    kwargs = {"starts_on": TODAY + datetime.timedelta(days=10), "ends_on": TODAY + datetime.timedelta(days=12)}
    lb = services.create_lookback(admin, c, name="回头看", share=50, seed=7, **kwargs)
    reasons = dict(Task.objects.filter(campaign=lb).values_list("premises_id", "reason"))
    # The restaurant's rectification order is still open: the look-back re-inspects against it.
    follow = Task.objects.get(campaign=lb, premises=world.premises["linquan1"])
    assert follow.reason == TaskReason.REINSPECTION and follow.work_order.kind == "rectification"
    assert reasons[world.premises["beihong2"].pk] == TaskReason.NOT_INSPECTED
    sampled = {pid for pid, r in reasons.items() if r == TaskReason.SAMPLED}
    assert len(sampled) == 1  # half of the two compliant ones
    again = services.create_lookback(admin, c, name="回头看2", share=50, seed=7, **kwargs)
    assert {pid for pid, r in Task.objects.filter(campaign=again).values_list("premises_id", "reason")
            if r == TaskReason.SAMPLED} == sampled
    everything = services.create_lookback(admin, c, name="回头看3", share=100, **kwargs)
    assert Task.objects.filter(campaign=everything).count() == 4
    # Planned like any round; passing the look-back's re-inspection closes the order and drops the
    # first round's pending re-inspection.
    services.save_team(admin, Team(campaign=lb, name="回头看组", shift=Shift.DAY),
                       [world.users["inspector"], world.users["officer"]])
    plan_campaign(admin, lb, today=lb.starts_on)
    follow.refresh_from_db()
    assert follow.team is not None and follow.planned_on >= lb.starts_on
    submit(world, follow)
    assert follow.work_order.state == "closed"
    assert not Task.objects.filter(campaign=c, reason=TaskReason.REINSPECTION, state=TaskState.PLANNED).exists()


def test_summary_is_computed_from_the_inspections(world):
    c = _run_round(world)
    s = campaign_summary(c, world.users["admin"])
    assert (s["in_scope"], s["inspected"], s["not_yet"]) == (4, 3, 1)
    assert (s["compliant"], s["rectification_orders"], s["rectification_open"], s["suspended"]) == (2, 1, 1, 1)
    assert s["people_deployed"] == 2 and s["shutdowns"] == 0
    assert s["day_inspections"] + s["night_inspections"] == 3
    by_shift = {row["key"]: row for row in coverage(c, world.users["admin"], "shift")}
    assert by_shift["night"]["not_yet"] == 1 and by_shift["day"]["inspected"] == 3
    # A grid worker sees the figures of their own grid (and their road's premises) only.
    mine = campaign_summary(c, world.users["gridworker"])
    assert mine["in_scope"] == 2 and mine["inspected"] == 2


def test_revising_a_used_checklist_makes_a_new_revision(world):
    c = _run_round(world)
    old = c.checklist
    items = [{"code": i.code, "text": i.text, "kind": i.kind, "violation_values": i.violation_values,
              "at_least_item": i.at_least_item, "choices": i.choices} for i in old.items.all()]
    items.append({"code": "temperature", "text": "入口测温", "kind": "yes_no", "violation_values": ["no"]})
    new = revise_checklist(world.users["admin"], old, name=old.name, description="", items=items)
    old.refresh_from_db()
    assert new.pk != old.pk and new.revision == old.revision + 1 and new.is_current and not old.is_current
    assert old.items.count() == len(items) - 1 and new.items.count() == len(items)
    assert Inspection.objects.filter(checklist=old).count() == 3
    fire = Checklist.objects.get(code="fire", is_current=True)
    same = revise_checklist(world.users["admin"], fire, name="消防安全检查（修订）", description="",
                            items=[{"code": "exits_clear", "text": "安全出口畅通", "kind": "yes_no",
                                    "violation_values": ["no"]}])
    assert same.pk == fire.pk and same.items.count() == 1  # unused: edited in place
    with pytest.raises(ValidationError):
        revise_checklist(world.users["admin"], same, name="x", description="",
                         items=[{"code": "a", "text": "a", "kind": "choice", "choices": ["x"]}])


@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_the_same_moment_make_one_inspection(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    c = campaign(world)
    task = Task.objects.get(campaign=c, premises=world.premises["linquan1"])
    client_id = uuid.uuid4()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def send():
        try:
            barrier.wait()
            results.append(submit(world, task, client_id=client_id))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Inspection.objects.filter(client_id=client_id).count() == 1
    assert sorted(created for _i, created in results) == [False, True]
    assert len({i.pk for i, _c in results}) == 1
    assert Campaign.objects.count() == 1
