"""`wangge generate`: the counts of its scale, deterministic, encrypted personal data, refuses a real
database, does nothing twice; the dashboard reads what it made. A tiny scale keeps the test quick."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from wangge.community.models import Resident
from wangge.dashboard.generate.scales import SCALES, Scale
from wangge.inspections.models import Answer, Inspection, Task
from wangge.places.models import Premises
from wangge.workorders.models import WorkOrder

pytestmark = pytest.mark.django_db
TINY = Scale(towns=2, neighbourhoods_per_town=2, grids_per_neighbourhood=2, premises=200, inspections=700,
             residents=150, work_orders=90)


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setitem(SCALES, "town", TINY)


def _generate(*args):
    out = io.StringIO()
    call_command("generate", "--scale", "town", *args, stdout=out)
    return out.getvalue()


def _fingerprint():
    return (list(Premises.objects.order_by("pk").values_list("name", "grid__code", "status")[:50]),
            list(Inspection.objects.order_by("pk").values_list("premises__name", "outcome", "inspected_at")[:50]))


def test_generates_the_scale_and_the_dashboard_reads_it(tiny, client):
    _generate()
    assert Premises.objects.count() == 200 and Resident.objects.count() == 150
    assert Inspection.objects.count() == 700 and Answer.objects.count() == 1400
    assert WorkOrder.objects.count() == 90 and Task.objects.count() == 200
    assert not Inspection.objects.filter(outcome="rectification", work_order__isnull=True).exists()
    with connection.cursor() as cursor:  # ID numbers are stored encrypted, like every resident's
        cursor.execute("SELECT id_number FROM community_resident LIMIT 1")
        stored = cursor.fetchone()[0]
    resident = Resident.objects.first()
    assert stored != resident.id_number and resident.id_number_masked.count("*") == 8
    from wangge.core.models import User

    client.force_login(User.objects.get(username="gen_leader"))
    answer = client.get("/dashboard/data.json").json()
    sections = {s["key"]: s for s in answer["sections"]}
    figures = {f["key"]: f["value"] for f in sections["inspections"]["figures"]}
    # Each round is one campaign per town: the dashboard shows the largest of the latest round's.
    chosen = answer["rounds"]["chosen"]
    assert len(answer["rounds"]["choices"]) == TINY.towns
    assert figures["in_scope"] == Task.objects.filter(campaign=chosen).count()
    assert figures["inspected"] == Task.objects.filter(campaign=chosen, state="done").count()
    assert sum(Task.objects.filter(campaign=c["id"]).count() for c in answer["rounds"]["choices"]) == 200
    assert len(client.get("/dashboard/map.json").json()["geo"]["features"]) == 8


def _generated(seed: str):
    """Generate, read the fingerprint, roll it all back."""
    with transaction.atomic():
        _generate("--seed", seed)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


def test_same_seed_same_data(tiny):
    first = _generated("7")
    assert not Premises.objects.exists()
    assert _generated("7") == first
    assert _generated("8") != first


def test_refuses_a_database_with_real_data_and_does_nothing_twice(tiny, world):
    with pytest.raises(CommandError, match="--force"):
        _generate()
    assert not Inspection.objects.exists() and Premises.objects.count() == 4
    _generate("--force")
    assert Premises.objects.count() == 204
    assert "nothing to do" in _generate("--force")
    assert Premises.objects.count() == 204


def test_each_generated_town_has_its_own_departments_and_routes(tiny):
    _generate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT t.code, count(*) FROM core_department d JOIN core_area t ON t.id = d.town_id "
                       "WHERE d.code = 'SJS' AND d.short_name = '市场监管所' GROUP BY t.code ORDER BY t.code")
        assert [n for _code, n in cursor.fetchall()] == [1, 1]  # the same unit, once in each of the two towns
        for table in ("places_categoryroute", "economy_demandroute", "reports_reportroute"):
            # Every route names a department of its own town, and some do.
            cursor.execute(f"SELECT count(*), sum(CASE WHEN d.town_id = r.town_id THEN 1 ELSE 0 END) FROM {table} r "  # noqa: S608
                           "JOIN core_department d ON d.id = r.department_id")
            routed, own = cursor.fetchone()
            assert routed > 0 and routed == own, table
        # Every generated work order goes to a department of its grid's own town.
        cursor.execute("SELECT count(*) FROM workorders_workorder w JOIN core_area g ON g.id = w.grid_id "
                       "JOIN core_department d ON d.id = w.department_id JOIN core_area t ON t.id = d.town_id "
                       "WHERE g.path NOT LIKE t.path || '%%'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM core_userrole WHERE role = 'town_admin'")
        assert cursor.fetchone()[0] == 2
        # Every round is one campaign per town, and a campaign's tasks and inspections are its town's premises.
        cursor.execute("SELECT count(*), count(DISTINCT town_id) FROM inspections_campaign")
        assert cursor.fetchone() == (TINY.campaigns * TINY.towns, TINY.towns)
        for table in ("inspections_task", "inspections_inspection"):
            cursor.execute(f"SELECT count(*) FROM {table} r JOIN inspections_campaign c ON c.id = r.campaign_id "  # noqa: S608
                           "JOIN core_area t ON t.id = c.town_id JOIN places_premises p ON p.id = r.premises_id "
                           "JOIN core_area g ON g.id = p.grid_id WHERE g.path NOT LIKE t.path || '%%'")
            assert cursor.fetchone()[0] == 0, table
    assert SCALES["district"].towns == 10 and SCALES["district"].grids == 1000
