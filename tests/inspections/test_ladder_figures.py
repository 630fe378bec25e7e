"""The escalation step an inspection records follows from what it decided, and the risk figures equal
a direct SQL count of the ladder rows (like the coverage figures)."""

import datetime
import uuid

from django.db import connection
from django.utils import timezone

from wangge.inspections import services
from wangge.inspections.models import LadderEntry

from .helpers import COMPLIANT, checklists

JULY = timezone.make_aware(datetime.datetime(2022, 7, 6, 10, 0))


def inspect(world, premises, answers, outcome, **kw):
    return services.submit_inspection(world.users["inspector"], client_id=uuid.uuid4(), premises=premises,
                                      answers=answers, outcome=outcome, inspectors=[world.users["officer"]], **kw)[0]


def direct_counts(where="", params=()) -> dict:
    sql = ("SELECT l.step, COUNT(*), COUNT(DISTINCT l.premises_id) FROM inspections_ladderentry l "
           "JOIN places_premises p ON p.id = l.premises_id LEFT JOIN places_roadsegment s ON s.id = p.segment_id")
    if where:
        sql += " WHERE " + where
    with connection.cursor() as cursor:
        cursor.execute(sql + " GROUP BY l.step", params)
        return {step: (n, p) for step, n, p in cursor.fetchall()}


def test_the_step_follows_the_decision_and_the_figures_equal_a_direct_count(world, client):
    checklists()
    two_problems = dict(COMPLIANT, venue_code_applied="no", disinfection="no")
    suspended = inspect(world, world.premises["linquan1"], two_problems, "rectification", suspend=True,
                        rectification_items="申领场所码，补做消毒", deadline=datetime.date(2022, 7, 9),
                        inspected_at=JULY)
    shut = inspect(world, world.premises["beihong2"], dict(COMPLIANT, staff_tested="1"), "shutdown",
                   legal_reason="无证经营，依《无证无照经营查处办法》第十三条", inspected_at=JULY)
    warned = inspect(world, world.premises["beihong1"], dict(COMPLIANT, disinfection="no"), "fixed",
                     fixed_description="当场补做消毒记录")
    steps = lambda i: set(LadderEntry.objects.filter(inspection=i).values_list("step", flat=True))  # noqa: E731
    assert steps(suspended) == {"suspension"} and LadderEntry.objects.filter(inspection=suspended).count() == 2
    assert steps(shut) == {"case_filed"} and steps(warned) == {"reminder"}
    assert LadderEntry.objects.get(inspection=shut).reason.startswith("无证经营")
    # The API's figures (steps from July 2022 included) equal the direct count, for the town and a grid.
    # The grid worker: their grid, and the road they chair (哈密路, 北虹超市).
    gw = ("p.grid_id = %s OR s.chief_id = %s", [world.grids["linquan1"].pk, world.users["gridworker"].pk])
    for username, scope in (("leader", ("", ())), ("gridworker", gw)):
        figures = client.get("/api/v1/risk/figures", headers={"Authorization": f"Bearer {world.token(username)}"})
        got = {s["step"]: (s["count"], s["premises"]) for s in figures.json()["ladder_steps"] if s["count"]}
        assert got == direct_counts(*scope), username
    leader = {"Authorization": f"Bearer {world.token('leader')}"}
    got = client.get("/api/v1/risk/figures?days=30", headers=leader).json()
    assert {s["step"]: s["count"] for s in got["ladder_steps"] if s["count"]} == {"reminder": 1}
    assert client.get("/api/v1/risk/figures?days=0", headers=leader).status_code == 422
