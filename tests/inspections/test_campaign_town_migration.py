"""Migration inspections 0009 (docs/TOWNS.md, "Upgrading a one-town deployment"): an existing campaign goes to
the town its areas lie in, else to the one town there is; when neither answers, it stops with a message and
changes nothing, and goes through once the campaign is given areas of its town. Run for real: the schema is
taken back to 0008, rows are written with the models of that time, then migrated forward."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("inspections", "0008_photos_off_the_request")]
TOWN_MIGRATION = ("inspections", "0009_campaign_town")


def _forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old():
    """The models of inspections 0008 (campaigns without a town), on a schema taken back to it; the schema is
    migrated to the latest again afterwards, whatever the test did."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE).apps
    finally:
        _forward()


def _estate(apps, towns: int) -> dict:
    """`towns` towns with a grid each, and two campaigns naming no area."""
    area, checklist, campaign = (apps.get_model("core", "Area"), apps.get_model("inspections", "Checklist"),
                                 apps.get_model("inspections", "Campaign"))
    made = {"towns": [], "grids": []}
    for n in range(towns):
        code = f"31010510{n + 2}"
        made["towns"].append(area.objects.create(code=code, name=f"第{n + 1}镇", level="town", path=f"/{code}/"))
        made["grids"].append(area.objects.create(code=f"{code}001", name=f"第{n + 1}镇第1网格", level="grid",
                                                 path=f"/{code}/{code}001/", depth=1))
    listed = checklist.objects.create(code="mig", name="迁移检查表")
    day = datetime.date(2022, 7, 4)
    made["campaigns"] = {name: campaign.objects.create(name=name, starts_on=day, ends_on=day, checklist=listed)
                         for name in ("大排查", "夜查")}
    return made


def _towns_of_campaigns() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, town_id FROM inspections_campaign ORDER BY id")
        return cursor.fetchall()


def _applied() -> bool:
    return TOWN_MIGRATION in MigrationExecutor(connection).loader.applied_migrations


def test_campaigns_of_a_one_town_deployment_go_to_that_town(old):
    town = _estate(old, towns=1)["towns"][0]
    _forward()
    assert _towns_of_campaigns() == [("大排查", town.pk), ("夜查", town.pk)]


def test_with_several_towns_a_campaign_goes_to_the_town_of_its_areas_or_the_migration_stops(old):
    made = _estate(old, towns=2)
    first, second = made["towns"]
    made["campaigns"]["大排查"].areas.set([made["grids"][1]])  # its areas lie in the second town
    with pytest.raises(RuntimeError, match="夜查"):  # no areas, two towns: a person must say which
        _forward()
    assert not _applied()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inspections_campaign")
        assert cursor.fetchone() == (2,)
    made["campaigns"]["夜查"].areas.set([made["grids"][0], first])  # given areas of the first town
    _forward()
    assert _applied()
    assert _towns_of_campaigns() == [("大排查", second.pk), ("夜查", first.pk)]
