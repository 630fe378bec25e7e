"""A campaign is its town's (docs/TOWNS.md, issue #21): read by the people of that town only, naming that
town's areas, units and people only, and reaching that town's premises only — the rule in the services, so
the pages, the API, a look-back and the planner agree. Oracles are the stored rows (SQL)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Role, Scope
from wangge.inspections import services
from wangge.inspections.choices import CampaignStatus, Shift
from wangge.inspections.models import Campaign, Team
from wangge.inspections.planning import plan_campaign
from wangge.places.models import Premises, PremisesCategory

from ..conftest import make_user
from ..core.test_towns import second  # noqa: F401  (the two-town fixture)
from .helpers import campaign, checklists


def works_in_town(person: User, town_id: int) -> bool:
    """The rule from the person's side, one person at a time (the oracle for services.town_people's query):
    an administrator anywhere, else whoever has the town among their towns."""
    return Scope.ALL in person.scopes or town_id in person.town_ids

TODAY = timezone.localdate()


def sql(query: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def counts() -> tuple:
    """Rows a refused save must leave as they were: campaigns, teams and every link of theirs."""
    return tuple(sql(f"SELECT count(*) FROM {table}")[0][0] for table in (  # noqa: S608
        "inspections_campaign", "inspections_team", "inspections_team_members", "inspections_campaign_areas",
        "inspections_campaign_departments", "inspections_campaign_members"))


def huayang_campaign(world, second, name="华阳夜查", **links):  # noqa: F811
    """A campaign of the second town made by its department officer, naming no town (their only one)."""
    return services.save_campaign(world.users["hy_officer"], Campaign(
        name=name, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=2), key_only=False,
        checklist=checklists()["epidemic"], status=CampaignStatus.ACTIVE), **links)


@pytest.fixture
def xinjing(world, second):  # noqa: F811
    """The first town's campaign (its teams planned), and a second grid of Huayang with a supermarket."""
    grid = Area.objects.create(code="310105103001002", name="华阳一居第2网格", level=AreaLevel.GRID,
                               parent=second["hood"])
    Premises.objects.create(name="华阳超市", category=PremisesCategory.objects.get(code="supermarket"), grid=grid,
                            address="华阳路9号")
    return campaign(world)


# --- who sees what --------------------------------------------------------------------------------

def test_the_other_towns_people_see_none_of_its_campaigns_or_teams(world, second, xinjing, login, client):  # noqa: F811
    hy = huayang_campaign(world, second)
    assert hy.town_id == second["town"].pk  # the creator's only town
    lookback = services.create_lookback(world.users["admin"], xinjing, name="新泾回头看", starts_on=TODAY,
                                        ends_on=TODAY)
    for username in ("hy_officer", "hy_admin", "hy_inspector"):
        user = world.users[username]
        assert set(Campaign.objects.visible_to(user)) == {hy}, username
        assert not Team.objects.visible_to(user).filter(campaign__town=world.town).exists(), username
    # The first town's people see its campaigns, never the second town's.
    for username in ("officer", "leader", "inspector", "gridworker"):
        assert set(Campaign.objects.visible_to(world.users[username])) == {xinjing, lookback}, username
    assert set(Campaign.objects.visible_to(world.users["admin"])) == {xinjing, lookback, hy}

    names = [xinjing.name, lookback.name, "夜查组"]
    hy_officer = login(world.users["hy_officer"])
    page = hy_officer.get(reverse("inspections:campaign_list")).content.decode()
    assert hy.name in page and not [n for n in names if n in page]
    team = xinjing.teams.first()
    for url in (reverse("inspections:campaign_detail", args=[xinjing.pk]),
                reverse("inspections:campaign_edit", args=[xinjing.pk]),
                reverse("inspections:task_list", args=[xinjing.pk]),
                reverse("inspections:team_create", args=[xinjing.pk]),
                reverse("inspections:team_edit", args=[xinjing.pk, team.pk]),
                reverse("inspections:lookback_create", args=[xinjing.pk]),
                reverse("inspections:lookback_compare", args=[lookback.pk])):
        assert hy_officer.get(url).status_code == 404, url
    assert hy_officer.post(reverse("inspections:team_delete", args=[xinjing.pk, team.pk])).status_code == 404
    for url in (reverse("inspections:inspection_list"), reverse("inspections:flag_list"), "/dashboard/data.json"):
        text = hy_officer.get(url).content.decode()
        assert not [n for n in names if n in text], url
    assert sql("SELECT count(*) FROM inspections_team WHERE id = %s", team.pk) == [(1,)]
    # The town administrator has no campaign pages at all; nothing of either town shows.
    hy_admin = login(world.users["hy_admin"])
    for url in (reverse("inspections:campaign_list"), reverse("inspections:campaign_detail", args=[xinjing.pk])):
        response = hy_admin.get(url)
        assert response.status_code in (403, 404) and xinjing.name not in response.content.decode()

    headers = {"Authorization": f"Bearer {world.token('hy_officer')}"}
    listed = client.get("/api/v1/campaigns", headers=headers).json()
    assert [c["id"] for c in listed["items"]] == [hy.pk] and listed["items"][0]["town_id"] == second["town"].pk
    for path in (f"/api/v1/campaigns/{xinjing.pk}", f"/api/v1/campaigns/{xinjing.pk}/teams",
                 f"/api/v1/campaigns/{xinjing.pk}/summary", f"/api/v1/campaigns/{lookback.pk}"):
        assert client.get(path, headers=headers).status_code == 404, path
    for path, body in ((f"/api/v1/campaigns/{xinjing.pk}/plan", None),
                       (f"/api/v1/campaigns/{xinjing.pk}/teams", {"name": "越界组", "shift": "day",
                                                                  "member_ids": [world.users["hy_inspector"].pk]})):
        response = client.post(path, body, content_type="application/json", headers=headers)
        assert response.status_code == 404, path
    assert sql("SELECT count(*) FROM inspections_team WHERE campaign_id = %s", xinjing.pk) == [(2,)]


def test_the_dashboard_offers_the_rounds_of_the_users_own_town(world, second, xinjing, login):  # noqa: F811
    hy = huayang_campaign(world, second)
    leader = make_user("hy_leader", Role.TOWN_LEADER, [second["town"]])
    rounds = login(leader).get("/dashboard/data.json").json()["rounds"]
    assert [c["id"] for c in rounds["choices"]] == [hy.pk] and rounds["chosen"] == hy.pk
    response = login(leader).get("/dashboard/data.json", {"campaign": xinjing.pk})
    assert response.status_code == 422 and xinjing.name not in response.content.decode()
    rounds = login(world.users["leader"]).get("/dashboard/data.json").json()["rounds"]
    assert [c["id"] for c in rounds["choices"]] == [xinjing.pk]


# --- what a campaign reaches ----------------------------------------------------------------------

def test_a_campaign_without_areas_plans_its_own_towns_premises_only(world, second, xinjing):  # noqa: F811
    c = services.save_campaign(world.users["admin"], Campaign(
        town=world.town, name="全镇排查", starts_on=TODAY, ends_on=TODAY, key_only=False,
        checklist=checklists()["epidemic"]))
    plan_campaign(world.users["admin"], c)
    town_premises = """SELECT count(*) FROM places_premises p JOIN core_area g ON g.id = p.grid_id
                       WHERE g.path LIKE %s AND p.status IN ('open', 'suspended')"""
    in_task = """SELECT count(*) FROM inspections_task t JOIN places_premises p ON p.id = t.premises_id
                 JOIN core_area g ON g.id = p.grid_id WHERE t.campaign_id = %s AND g.path LIKE %s"""
    total = sql("SELECT count(*) FROM inspections_task WHERE campaign_id = %s", c.pk)[0][0]
    assert total == sql(town_premises, world.town.path + "%")[0][0] == 4
    assert sql(in_task, c.pk, second["town"].path + "%") == [(0,)]
    # The second town's campaign, planned by its own officer: its two premises, none of the first town's.
    hy = huayang_campaign(world, second)
    plan_campaign(world.users["hy_officer"], hy)
    assert sql("SELECT count(*) FROM inspections_task WHERE campaign_id = %s", hy.pk) == [(2,)]
    assert sql(in_task, hy.pk, second["town"].path + "%") == [(2,)]
    assert sql(in_task, hy.pk, world.town.path + "%") == [(0,)]


def test_a_look_back_stays_in_its_first_rounds_town(world, second, xinjing):  # noqa: F811
    lookback = services.create_lookback(world.users["admin"], xinjing, name="回头看", starts_on=TODAY,
                                        ends_on=TODAY, share=100)
    assert sql("SELECT town_id FROM inspections_campaign WHERE id = %s", lookback.pk) == [(world.town.pk,)]
    outside = sql("""SELECT count(*) FROM inspections_task t JOIN places_premises p ON p.id = t.premises_id
                     JOIN core_area g ON g.id = p.grid_id WHERE t.campaign_id = %s AND g.path NOT LIKE %s""",
                  lookback.pk, world.town.path + "%")
    assert outside == [(0,)] and lookback.tasks.count() == 4
    # The other town's officer cannot make one of it.
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.create_lookback(world.users["hy_officer"], xinjing, name="越界回头看", starts_on=TODAY,
                                 ends_on=TODAY)
    assert "town" in refused.value.message_dict
    assert counts() == before


# --- naming another town's rows --------------------------------------------------------------------

def _xinjing_campaign(**fields):
    return Campaign(name="新泾专项", starts_on=TODAY, ends_on=TODAY, checklist=checklists()["epidemic"], **fields)


def test_another_towns_area_department_or_member_is_refused_and_nothing_changes(world, second, xinjing):  # noqa: F811
    admin = world.users["admin"]
    before = counts()
    refusals = [
        ("areas", "此区域不属于本次行动所在的镇。", {"areas": [world.grids["linquan1"], second["grid"]]}),
        ("departments", "此部门不属于本次行动所在的镇。", {"departments": [second["market"]]}),
        ("members", "此人不属于本次行动所在的镇。", {"members": [world.users["hy_inspector"]]}),
    ]
    for field, message, links in refusals:
        with pytest.raises(ValidationError) as refused:
            services.save_campaign(admin, _xinjing_campaign(town=world.town), **links)
        assert refused.value.message_dict[field] == [message], field
        # The same on an existing campaign: its links stay as they were.
        with pytest.raises(ValidationError) as refused:
            services.save_campaign(admin, Campaign.objects.get(pk=xinjing.pk), xinjing.version, **links)
        assert refused.value.message_dict[field] == [message], field
    with pytest.raises(ValidationError) as refused:  # a team of the first town's campaign
        services.save_team(admin, Team(campaign=xinjing, name="跨镇组", shift=Shift.DAY),
                           [world.users["hy_inspector"], world.users["officer"]])
    assert refused.value.message_dict["members"] == ["此人不属于本次行动所在的镇。"]
    assert counts() == before
    assert sql("SELECT version FROM inspections_campaign WHERE id = %s", xinjing.pk) == [(xinjing.version,)]


def test_the_town_is_one_of_the_creators_and_the_only_one_by_default(world, second):  # noqa: F811
    before = counts()
    with pytest.raises(ValidationError) as refused:  # an administrator of two towns says which
        services.save_campaign(world.users["admin"], _xinjing_campaign())
    assert refused.value.message_dict["town"] == ["请选择本次行动所在的镇。"]
    with pytest.raises(ValidationError) as refused:  # the second town's officer, the first town
        services.save_campaign(world.users["hy_officer"], _xinjing_campaign(town=world.town))
    assert refused.value.message_dict["town"] == ["请选择本镇。"]
    with pytest.raises(ValidationError) as refused:  # a grid is no town
        services.save_campaign(world.users["admin"], _xinjing_campaign(town=world.grids["linquan1"]))
    assert "town" in refused.value.message_dict
    assert counts() == before
    made = services.save_campaign(world.users["officer"], _xinjing_campaign())
    assert sql("SELECT town_id FROM inspections_campaign WHERE id = %s", made.pk) == [(world.town.pk,)]


def test_a_campaign_with_teams_keeps_its_town_and_one_that_moves_takes_only_its_rows(world, second, xinjing):  # noqa: F811
    moved = Campaign.objects.get(pk=xinjing.pk)
    moved.town = second["town"]
    with pytest.raises(ValidationError) as refused:
        services.save_campaign(world.users["admin"], moved, xinjing.version, areas=[], departments=[])
    assert "town" in refused.value.message_dict
    assert sql("SELECT town_id FROM inspections_campaign WHERE id = %s", xinjing.pk) == [(world.town.pk,)]
    # Without teams or tasks it may move, but the areas it keeps must lie in its new town.
    admin = world.users["admin"]
    draft = services.save_campaign(admin, _xinjing_campaign(town=world.town), areas=[world.grids["linquan1"]])
    draft.town = second["town"]
    with pytest.raises(ValidationError) as refused:
        services.save_campaign(admin, draft, draft.version)
    assert refused.value.message_dict["areas"] == ["此区域不属于本次行动所在的镇。"]
    assert sql("SELECT town_id FROM inspections_campaign WHERE id = %s", draft.pk) == [(world.town.pk,)]
    services.save_campaign(admin, draft, draft.version, areas=[second["grid"]])
    assert sql("SELECT town_id FROM inspections_campaign WHERE id = %s", draft.pk) == [(second["town"].pk,)]


# --- the form and the API --------------------------------------------------------------------------

def test_the_form_offers_a_town_only_to_someone_of_several_towns(world, second, login):  # noqa: F811
    url = reverse("inspections:campaign_create")
    page = login(world.users["officer"]).get(url).content.decode()
    assert 'name="town"' not in page and "华阳" not in page  # one town: set by itself, the other never named
    data = {"name": "林泉夜查", "starts_on": TODAY, "ends_on": TODAY, "checklist": checklists()["epidemic"].pk,
            "sample_share": 20, "sample_seed": 2022}
    assert login(world.users["officer"]).post(url, data).status_code == 302
    made = Campaign.objects.get(name="林泉夜查")
    assert made.town_id == world.town.pk
    admin = login(world.users["admin"])
    page = admin.get(url).content.decode()
    assert 'name="town"' in page and "华阳镇" in page and "新泾镇" in page
    before = counts()
    refused = admin.post(url, data | {"name": "跨镇", "town": world.town.pk, "areas": [second["grid"].pk]})
    assert refused.status_code == 200 and "此区域不属于本次行动所在的镇。" in refused.content.decode()
    missing = admin.post(url, data | {"name": "无镇"})
    assert missing.status_code == 200 and 'data-field="town"' in missing.content.decode()
    assert counts() == before


def test_the_team_form_offers_the_campaigns_own_towns_people(world, second, xinjing, login):  # noqa: F811
    page = login(world.users["admin"]).get(reverse("inspections:team_create", args=[xinjing.pk])).content.decode()
    assert "inspector" in page and "hy_inspector" not in page
    district = Area.objects.create(code="310105", name="长宁区", level=AreaLevel.DISTRICT)
    Area.objects.filter(pk__in=[world.town.pk, second["town"].pk]).update(parent=district)
    for town in (world.town, second["town"]):
        town.refresh_from_db()
        town.save()  # under the district now: its paths are rewritten
    make_user("district_leader", Role.TOWN_LEADER, [district])
    for town in (world.town, second["town"]):  # the picker's query and the service's rule agree
        admitted = {u.username for u in User.objects.all() if works_in_town(u, town.pk)}
        assert set(services.town_people(town.pk).values_list("username", flat=True)) == admitted
        assert "district_leader" in admitted and "admin" in admitted
    before = counts()
    response = login(world.users["admin"]).post(reverse("inspections:team_create", args=[xinjing.pk]), {
        "name": "跨镇组", "shift": "day", "members": [world.users["hy_inspector"].pk, world.users["officer"].pk]})
    assert response.status_code == 200 and counts() == before


def test_the_api_reads_and_takes_the_town(world, second, client):  # noqa: F811
    body = {"name": "接口专项", "starts_on": str(TODAY), "ends_on": str(TODAY),
            "checklist_id": checklists()["epidemic"].pk}
    officer = {"Authorization": f"Bearer {world.token('hy_officer')}"}
    admin = {"Authorization": f"Bearer {world.token('admin')}"}
    before = counts()
    response = client.post("/api/v1/campaigns", body | {"town_id": world.town.pk}, content_type="application/json",
                           headers=officer)
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == ["town_id"]
    response = client.post("/api/v1/campaigns", body | {"town_id": world.town.pk, "area_ids": [second["grid"].pk]},
                           content_type="application/json", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "areas", "message": "此区域不属于本次行动所在的镇。"}]
    response = client.post("/api/v1/campaigns", body | {"department_ids": [world.departments["market"].pk]},
                           content_type="application/json", headers=admin)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "town"
    assert counts() == before
    made = client.post("/api/v1/campaigns", body, content_type="application/json", headers=officer)
    assert made.status_code == 201 and made.json()["town_id"] == second["town"].pk
    made = client.post("/api/v1/campaigns", body | {"town_id": world.town.pk}, content_type="application/json",
                       headers=admin)
    assert made.status_code == 201 and made.json()["town_id"] == world.town.pk
