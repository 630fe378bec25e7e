"""The dashboard's roll-up (docs/DASHBOARD.md, "Roll-ups"): on generated data, after random changes made
through the services, through queryset.update()/delete() and through bulk_create, every figure data.json and
screen.json give the district's leader and a neighbourhood cadre equals the plain-SQL count of
rollup_oracle.py; the incremental roll-up equals one counted from scratch; queries per request stay
constant; the big screen is shared from the cache; users who see more than whole grids are counted directly."""

import datetime
import io
import random
import re
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wangge.community.models import Resident
from wangge.core.models import Area, AreaLevel, User, UserRole
from wangge.core.roles import Role
from wangge.dashboard.generate.scales import SCALES, Scale
from wangge.dashboard.models import GridFigure, StaleGrid
from wangge.dashboard.rollup.compute import compute
from wangge.dashboard.rollup.refresh import WORKER_KEY, refresh
from wangge.dashboard.rollup.scope import AllGrids, grid_scope
from wangge.dashboard.tasks import rollup as rollup_task
from wangge.inspections.models import Inspection, RiskScore, ScanCompliance, Task
from wangge.places.models import Premises
from wangge.vaccination.models import CensusAnswer, Dose
from wangge.vaccination.services.status import recompute
from wangge.workorders.models import WorkOrder, WorkOrderEvent
from wangge.workorders.services import raise_order

from . import rollup_oracle as oracle

pytestmark = pytest.mark.django_db
TINY = Scale(towns=2, neighbourhoods_per_town=2, grids_per_neighbourhood=3, premises=240, inspections=800,
             residents=300, work_orders=120)


@pytest.fixture
def district(monkeypatch):
    monkeypatch.setitem(SCALES, "town", TINY)
    call_command("generate", "--scale", "town", stdout=io.StringIO())
    call_command("rollup", stdout=io.StringIO())
    assert not StaleGrid.objects.exists()
    cache.clear()  # as if no worker ran: requests bring the roll-up up to date themselves
    return {"leader": User.objects.get(username="gen_leader"), "cadre": User.objects.get(username="gen_cadre")}


def _now_minus(rng, days=10):
    return timezone.now() - datetime.timedelta(days=rng.randrange(days), hours=rng.randrange(24))


def change_at_random(rng: random.Random, leader: User) -> None:
    """A mix of everything that moves a figure, most of it behind the services' backs."""
    grids = list(Area.objects.filter(level=AreaLevel.GRID).order_by("pk"))
    premises = list(Premises.objects.order_by("pk"))
    inspections = list(Inspection.objects.order_by("pk").values_list("pk", flat=True))
    tasks = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    orders = list(WorkOrder.objects.order_by("pk").values_list("pk", flat=True))
    residents = list(Resident.objects.order_by("pk"))
    inspectors = list(User.objects.filter(username__startswith="gen_inspector"))
    sample = lambda rows, n: rng.sample(rows, min(n, len(rows)))  # noqa: E731
    # queryset.update()
    Inspection.objects.filter(pk__in=sample(inspections, 15)).update(flag_review="voided")
    Inspection.objects.filter(pk__in=sample(inspections, 10)).update(outcome="shutdown")
    Inspection.objects.filter(pk__in=sample(inspections, 10)).update(shift="night")
    Task.objects.filter(pk__in=sample(tasks, 20)).update(state="planned")
    Task.objects.filter(pk__in=sample(tasks, 10)).update(state="done")
    WorkOrder.objects.filter(pk__in=sample(orders, 10)).update(state="closed", closed_at=timezone.now())
    WorkOrder.objects.filter(pk__in=sample(orders, 10)).exclude(state="closed").update(overdue_level=1)
    WorkOrder.objects.filter(pk__in=sample(orders, 5)).update(grid=rng.choice(grids))
    Premises.objects.filter(pk__in=[p.pk for p in sample(premises, 10)]).update(status="suspended")
    Premises.objects.filter(pk__in=[p.pk for p in sample(premises, 10)]).update(is_key=False)
    for p in sample(premises, 4):  # a premises moved to another grid takes its tasks along
        Premises.objects.filter(pk=p.pk).update(grid=rng.choice(grids))
    # queryset.delete()
    unused = Resident.objects.filter(pk__in=[r.pk for r in sample(residents, 6)])
    unused.filter(doses__isnull=True, census_answers__isnull=True).delete()
    Inspection.inspectors.through.objects.filter(inspection_id__in=sample(inspections, 10)).delete()
    # bulk_create
    campaign = Task.objects.order_by("-campaign_id").first().campaign
    fresh = []
    for _n in range(12):
        p = rng.choice(premises)
        p.refresh_from_db()
        fresh.append(Inspection(client_id=uuid.UUID(int=rng.getrandbits(128)), campaign=campaign, premises=p,
                                grid_id=p.grid_id, subject_label=p.name[:200], checklist_id=campaign.checklist_id,
                                kind=rng.choice(["routine", "reinspection"]),
                                outcome=rng.choice(["compliant", "fixed", "rectification", "shutdown"]),
                                shift=rng.choice(["day", "night"]), inspected_at=_now_minus(rng),
                                submitted_by=rng.choice(inspectors), work_order_id=rng.choice(orders + [None] * 5),
                                deadline=timezone.localdate()))
    Inspection.objects.bulk_create(fresh)
    for i in fresh:
        i.inspectors.add(*sample(inspectors, 2))
    scored = set(RiskScore.objects.values_list("premises_id", flat=True))
    RiskScore.objects.bulk_create([RiskScore(premises=p, band=rng.choice(["low", "medium", "high"]), score=n)
                                   for n, p in enumerate(sample(premises, 30)) if p.pk not in scored])
    checked = set(ScanCompliance.objects.values_list("premises_id", flat=True))
    ScanCompliance.objects.bulk_create([ScanCompliance(premises=p, expected=5, flagged=rng.random() < 0.7)
                                        for p in sample(premises, 15) if p.pk not in checked])
    RiskScore.objects.filter(premises_id__in=sample(sorted(scored), 5)).update(band="high")
    closing = sample(orders, 6)
    WorkOrderEvent.objects.bulk_create([WorkOrderEvent(order_id=pk, verb="verify", from_state="awaiting_verification",
                                                       to_state="closed") for pk in closing])
    # Vaccination: doses and census answers, the status rows rewritten by the service.
    elders = [r for r in residents if r.birth_date and r.birth_date.year < 1960 and Resident.objects.filter(
        pk=r.pk).exists()]
    touched = sample(elders, 12)
    today = timezone.localdate()
    for r in touched:
        kind = rng.choice(["dose", "census"])
        if kind == "dose":
            Dose.objects.bulk_create([Dose(resident=r, number=n, vaccine_type="inactivated",
                                           given_on=today - datetime.timedelta(days=rng.randrange(40) + 30 * (3 - n)))
                                      for n in range(1, rng.randrange(1, 4) + 1)])
        else:
            reason = rng.choice(["permanent", "temporary", "hesitant"])
            CensusAnswer.objects.create(resident=r, reason=reason, asked_on=today,
                                        until=today + datetime.timedelta(days=rng.choice([-5, 20]))
                                        if reason == "temporary" else None)
    recompute([r.pk for r in touched])
    # Through the services.
    for _ in range(3):
        raise_order(leader, kind="other", title="随机工单", grid=rng.choice(grids))


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def check_data(client, user: User, path: str | None = None, as_of: datetime.date | None = None) -> None:
    path = path or user.areas.get().path
    client.force_login(user)
    data = client.get("/dashboard/data.json").json()
    sections = {s["key"]: s for s in data["sections"]}
    fig = lambda key: {f["key"]: f["value"] for f in sections[key]["figures"]}  # noqa: E731
    # The inspection round
    inspections = sections["inspections"]
    want = oracle.campaign(data["rounds"]["chosen"], path)
    got = fig("inspections")
    for key in ("in_scope", "inspected", "not_yet", "fixed_on_the_spot", "rectification_orders", "shutdowns",
                "reinspections"):
        assert got[key] == want[key], key
    assert _numbers(inspections["note"]) == [want["day"], want["night"], want["people"]]
    table = {row[0]["value"]: (row[1]["value"], row[2]["value"]) for row in inspections["tables"][0]["rows"]}
    assert table == {name: (n, done) for name, (n, done) in want["by_grid"].items()}
    # Work orders
    want = oracle.orders(path)
    by_kind, by_department = (sections["workorders"]["tables"][0]["rows"], sections["workorders"]["tables"][1]["rows"])
    assert sorted((r[1]["value"], r[2]["value"]) for r in by_kind) == sorted(v[:2] for v in want["by_kind"].values())
    assert {r[0]["value"]: (r[1]["value"], r[2]["value"]) for r in by_department} == \
        {k: v[:2] for k, v in want["by_department"].items()}
    assert fig("workorders") == {"open": sum(v[0] for v in want["by_kind"].values()),
                                 "overdue": sum(v[1] for v in want["by_kind"].values())}
    # Premises, risk, residents
    want = oracle.premises(path)
    assert fig("places") == {"premises": sum(want["status"].values()), "suspended": want["status"].get("suspended", 0),
                             "shut": want["status"].get("shut", 0)}
    risk = fig("risk")
    assert {b: risk[f"risk_{b}"] for b in ("low", "medium", "high")} == \
        {b: want["bands"].get(b, 0) for b in ("low", "medium", "high")}
    assert risk["flagged_by_scans"] == want["flagged"]
    assert fig("residents")["residents"] == want["residents"]
    # Vaccination
    want = oracle.vaccination(path, as_of or timezone.localdate())
    got = fig("vaccination")
    assert {k: got[k] for k in ("population", "full", "boosted", "not_full", "census")} == \
        {k: want[k] for k in ("population", "full", "boosted", "not_full", "census")}
    eligible = want["population"] - want["contraindicated"]
    assert got["full_rate_eligible"] == (round(100 * want["full"] / eligible, 1) if eligible else None)


def check_screen(client, user: User) -> None:
    path = user.areas.get().path
    client.force_login(user)
    data = client.get("/dashboard/screen.json").json()
    days = [datetime.date.fromisoformat(d) for d in data["dates"]] if "dates" in data else \
        [datetime.date.fromisoformat(d) for d in data["trends"]["dates"]]
    want = oracle.trends(path, days)
    assert {s["key"]: s["data"] for s in data["trends"]["series"]} == want
    orders = oracle.orders(path)
    for table, rankings in ((orders["rank_grid"], data["rankings"]["grids"]),
                            (orders["rank_department"], data["rankings"]["departments"])):
        assert len(rankings) == min(8, len(table))
        for row in rankings:
            open_, overdue, closed, on_time = table[row["name"]]
            assert (row["open"], row["overdue"], row["closed"]) == (open_, overdue, closed), row["name"]
            assert row["on_time_rate"] == (round(100 * on_time / closed, 1) if closed else None)


def test_every_figure_equals_the_direct_count_after_random_changes(district, client):
    leader, cadre = district["leader"], district["cadre"]
    assert grid_scope(leader) is not None and grid_scope(cadre) is not None
    for seed in (1, 2):
        change_at_random(random.Random(seed), leader)
        assert ScanCompliance.objects.filter(flagged=True).exists() and RiskScore.objects.exists()
        assert Dose.objects.exists() and CensusAnswer.objects.exists()
        assert StaleGrid.objects.exists()
        for user in (leader, cadre):
            check_data(client, user)
            cache.clear()
            check_screen(client, user)
        assert not StaleGrid.objects.exists()  # the requests recomputed the stale grids themselves
    admin = User.objects.create(username="gen_admin", is_superuser=False)
    UserRole.objects.create(user=admin, role=Role.ADMIN)
    assert isinstance(grid_scope(admin), AllGrids)
    check_data(client, admin, "/")


def test_a_reference_date_outside_the_birth_window_is_counted_directly(district, client, settings):
    settings.VACCINATION_REFERENCE_DATE = "2000-03-01"
    change_at_random(random.Random(6), district["leader"])
    check_data(client, district["cadre"], as_of=datetime.date(2000, 3, 1))


def test_the_incremental_roll_up_equals_one_counted_from_scratch(district):
    change_at_random(random.Random(3), district["leader"])
    marked = set(StaleGrid.objects.values_list("grid", flat=True))
    assert refresh() == len(marked)
    kept = {(g, k, d, p): v for g, k, d, p, v in GridFigure.objects.values_list("grid", "key", "day", "part", "value")}
    assert kept == compute(None)
    call_command("rollup", "--rebuild", stdout=io.StringIO())
    assert GridFigure.objects.count() == len(kept) and not StaleGrid.objects.exists()


def test_triggers_mark_both_grids_of_a_move_whatever_the_code_path(district):
    first, second = Area.objects.filter(level=AreaLevel.GRID).order_by("pk")[:2]
    p = Premises.objects.filter(grid=first).first()
    Premises.objects.filter(pk=p.pk).update(grid=second)
    assert set(StaleGrid.objects.values_list("grid", flat=True)) == {first.pk, second.pk}
    StaleGrid.objects.all().delete()
    Inspection.inspectors.through.objects.filter(inspection__grid=first).delete()
    assert set(StaleGrid.objects.values_list("grid", flat=True)) == {first.pk}


def test_queries_per_request_do_not_grow_with_the_data(district, client):
    client.force_login(district["leader"])
    client.get("/dashboard/data.json")  # warm the per-process caches (content types), not data-dependent
    counts = []
    for seed in (4, 5):  # (changed first: some closed demand orders add the median's query)
        change_at_random(random.Random(seed), district["leader"])
        refresh()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/dashboard/data.json").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    # None of them counts over the big source tables: those figures come from the roll-up.
    counting = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] or "SUM(" in q["sql"]]
    for table in ("inspections_task", "inspections_inspection", "community_resident", "places_premises"):
        assert not [sql for sql in counting if f'"{table}"' in sql], table


def test_a_worker_seen_lately_leaves_the_recomputing_to_it(district, client):
    assert rollup_task() == 0 and cache.get(WORKER_KEY)
    Premises.objects.filter(pk=Premises.objects.first().pk).update(status="shut")
    client.force_login(district["leader"])
    client.get("/dashboard/data.json")
    assert StaleGrid.objects.count() == 1  # left for the worker
    assert rollup_task() == 1 and not StaleGrid.objects.exists()


def test_the_big_screen_is_shared_from_the_cache_per_scope(district, client):
    leader, cadre = district["leader"], district["cadre"]
    client.force_login(leader)
    first = client.get("/dashboard/screen.json").content
    Resident.objects.filter(pk=Resident.objects.first().pk).delete()
    assert client.get("/dashboard/screen.json").content == first  # within 30 s: the same answer
    client.force_login(cadre)
    assert client.get("/dashboard/screen.json").content != first  # another scope, its own answer
    cache.clear()
    client.force_login(leader)
    assert client.get("/dashboard/screen.json").content != first


def test_users_who_see_more_than_whole_grids_are_counted_directly(district, client):
    cadre, officer = district["cadre"], User.objects.get(username="gen_officer")
    assert grid_scope(officer) is None  # a department's rows are not a set of grids
    outside = WorkOrder.objects.exclude(grid__path__startswith=cadre.areas.get().path).first()
    WorkOrder.objects.filter(pk=outside.pk).update(assignee=cadre)
    cadre = User.objects.get(pk=cadre.pk)
    assert grid_scope(cadre) is None
    client.force_login(cadre)
    sections = {s["key"]: s for s in client.get("/dashboard/data.json").json()["sections"]}
    open_now = {f["key"]: f["value"] for f in sections["workorders"]["figures"]}["open"]
    visible = WorkOrder.objects.visible_to(cadre).exclude(state="closed").count()
    assert open_now == visible


def test_a_team_member_or_inspector_outside_the_area_is_counted_directly(district):
    """The team and inspector checks (resolved hop by hop: the user's teams, then their tasks) decide as the
    rows do: a team whose tasks lie inside the cadre's area keeps the roll-up, a team with a task outside does not."""
    from wangge.inspections.models import Team

    cadre = district["cadre"]
    path = cadre.areas.get().path
    inside = Task.objects.filter(premises__grid__path__startswith=path).first()
    outside = Task.objects.exclude(premises__grid__path__startswith=path).first()
    team_in = Team.objects.create(campaign=inside.campaign, name="里组", shift="day")
    team_out = Team.objects.create(campaign=outside.campaign, name="外组", shift="day")
    Task.objects.filter(pk=inside.pk).update(team=team_in)
    Task.objects.filter(pk=outside.pk).update(team=team_out)

    def scope():
        return grid_scope(User.objects.get(pk=cadre.pk))  # a fresh user: the scope is kept per request

    team_in.members.add(cadre)
    assert scope() is not None
    team_out.members.add(cadre)
    assert scope() is None
    team_out.members.remove(cadre)
    assert scope() is not None
    Inspection.objects.exclude(grid__path__startswith=path).first().inspectors.add(cadre)
    assert scope() is None
