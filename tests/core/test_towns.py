"""Several towns in one deployment (docs/TOWNS.md): departments per town, each town's own routes, and the
town administrator who manages one town's staff and settings only — checked in the services, so the page,
the API and the command refuse alike. Oracles are the stored rows (SQL), not the services' answers."""

import contextlib
import datetime
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from wangge.core import services, towns
from wangge.core.models import Area, AreaLevel, Department, User
from wangge.core.roles import Role
from wangge.economy import services as economy
from wangge.economy.models import DemandRoute, Enterprise
from wangge.inspections import services as inspections
from wangge.inspections.models import Checklist
from wangge.places.models import CategoryRoute, Premises, PremisesCategory
from wangge.places.regulators import regulator_of
from wangge.reports import services as reports
from wangge.reports.models import ReportRoute

from ..conftest import make_user
from ..economy.conftest import credit_code
from ..inspections.helpers import COMPLIANT, checklists


def sql(query: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


@pytest.fixture
def second(world):
    """A second town, Huayang, with a grid, its own 市场监督管理所 (same code and name as the first town's),
    its routes pointed at it, a restaurant, an inspector, and each town's administrator."""
    town = Area.objects.create(code="310105103", name="华阳镇", level=AreaLevel.TOWN)
    hood = Area.objects.create(code="310105103001", name="华阳一居", level=AreaLevel.NEIGHBOURHOOD, parent=town)
    grid = Area.objects.create(code="310105103001001", name="华阳一居第1网格", level=AreaLevel.GRID, parent=hood)
    market = Department.objects.create(town=town, code="SJS", name="市场监督管理所", is_enforcement=True)
    restaurant = PremisesCategory.objects.get(code="restaurant")
    CategoryRoute.objects.filter(town=town, category=restaurant).update(department=market)
    DemandRoute.objects.filter(town=town, category="permits").update(department=market)
    ReportRoute.objects.filter(town=town, category="food").update(department=market)
    ReportRoute.objects.filter(town=world.town, category="food").update(department=world.departments["market"])
    DemandRoute.objects.filter(town=world.town, category="permits").update(department=world.departments["market"])
    premises = Premises.objects.create(name="华阳面馆", category=restaurant, grid=grid, address="华阳路1号")
    world.users["hy_admin"] = make_user("hy_admin", Role.TOWN_ADMIN, [town])
    world.users["xj_admin"] = make_user("xj_admin", Role.TOWN_ADMIN, [world.town])
    world.users["hy_inspector"] = make_user("hy_inspector", Role.INSPECTOR, [town], [market])
    world.users["hy_officer"] = make_user("hy_officer", Role.DEPARTMENT_OFFICER, [], [market])
    return {"town": town, "hood": hood, "grid": grid, "market": market, "premises": premises}


# --- departments ----------------------------------------------------------------------------------

def test_department_code_and_name_are_unique_per_town_only(world, second):
    rows = sql("SELECT t.code FROM core_department d JOIN core_area t ON t.id = d.town_id "
               "WHERE d.code = 'SJS' AND d.name = '市场监督管理所' ORDER BY t.code")
    assert rows == [("310105102",), ("310105103",)]
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(town=second["town"], code="SJS", name="另一个所")
    with pytest.raises(ValidationError) as refused:
        services.save_department(world.users["admin"], Department(town=second["town"], code="X1",
                                                                  name="市场监督管理所"))
    assert "name" in refused.value.message_dict or "__all__" in refused.value.message_dict
    assert sql("SELECT count(*) FROM core_department WHERE town_id = %s", second["town"].pk) == [(1,)]


def test_a_department_belongs_to_a_town_not_a_grid(world, second):
    with pytest.raises(ValidationError) as refused:
        services.save_department(world.users["admin"], Department(town=second["grid"], code="X2", name="网格所"))
    assert "town" in refused.value.message_dict


def test_people_name_the_departments_of_their_own_town_only(world, second):
    cadre, hy_inspector = world.users["cadre"], world.users["hy_inspector"]
    assert set(Department.objects.choosable_by(cadre)) == set(world.departments.values())
    assert list(Department.objects.choosable_by(hy_inspector)) == [second["market"]]
    assert set(Department.objects.choosable_by(world.users["admin"])) == {*world.departments.values(),
                                                                          second["market"]}
    # A department officer names the areas and people of their own town, not another's.
    officer = world.users["hy_officer"]
    assert not Area.objects.choosable_by(officer).filter(pk=world.grids["linquan1"].pk).exists()
    assert Area.objects.choosable_by(officer).filter(pk=second["grid"].pk).exists()
    assert not User.objects.choosable_by(officer).filter(pk=world.users["cadre"].pk).exists()
    assert User.objects.choosable_by(officer).filter(pk=hy_inspector.pk).exists()


# --- routes: the same category in two towns goes to each town's own department --------------------

def test_the_regulating_department_of_a_category_is_the_towns_own(world, second):
    assert regulator_of(world.premises["linquan1"]) == world.departments["market"]
    assert regulator_of(second["premises"]) == second["market"]
    # Department officers see the premises their department regulates in their own town only.
    assert set(Premises.objects.visible_to(world.users["hy_officer"])) == {second["premises"]}
    assert not Premises.objects.visible_to(world.users["officer"]).filter(pk=second["premises"].pk).exists()


def test_a_rectification_goes_to_the_premises_towns_unit(world, second):
    lists = checklists()
    # The checklist names the first town's unit: it counts in that town only; here the category's unit.
    Checklist.objects.filter(pk=lists["epidemic"].pk).update(department=world.departments["health"])
    inspection, _new = inspections.submit_inspection(
        world.users["hy_inspector"], client_id=uuid.uuid4(), premises=second["premises"],
        checklist=Checklist.objects.get(pk=lists["epidemic"].pk), answers=dict(COMPLIANT, disinfection="no"),
        outcome="rectification",
        inspectors=[world.users["hy_officer"]], rectification_items="整改",
        deadline=timezone.localdate() + datetime.timedelta(days=5))
    rows = sql("SELECT w.department_id FROM workorders_workorder w JOIN inspections_inspection i "
               "ON i.work_order_id = w.id WHERE i.id = %s", inspection.pk)
    assert rows == [(second["market"].pk,)]


def test_a_demand_goes_to_the_enterprises_towns_department(world, second):
    admin = world.users["admin"]
    enterprise = economy.save_enterprise(admin, Enterprise(name="华阳贸易公司", credit_code=credit_code(9),
                                                           address="华阳路2号", grid=second["grid"]))
    visit, _new = economy.record_visit(admin, enterprise, demands=[economy.Demand("permits", "办证")],
                                       visited_on=timezone.localdate(), visitors="经发办",
                                       operating_status="normal", impact="slight")
    rows = sql("SELECT department_id FROM workorders_workorder WHERE source_id = %s AND kind = 'demand'", visit.pk)
    assert rows == [(second["market"].pk,)]
    assert economy.route_of("permits", world.grids["linquan1"].pk) == world.departments["market"]


def test_a_public_report_goes_to_its_towns_department(world, second):
    assert reports.route_of("food", second["grid"].pk) == second["market"]
    assert reports.route_of("food", world.grids["linquan1"].pk) == world.departments["market"]
    assert reports.route_of("noise", second["grid"].pk) is None  # nobody named: the town assigns by hand


def test_every_town_gets_a_row_per_category_when_it_is_made(world, second):
    categories = PremisesCategory.objects.count()
    for table, count in (("places_categoryroute", categories), ("economy_demandroute", 10),
                         ("reports_reportroute", 9)):
        assert sql(f"SELECT count(*) FROM {table} WHERE town_id = %s", second["town"].pk) == [(count,)]  # noqa: S608


def test_a_route_names_a_department_of_its_own_town(world, second):
    route = DemandRoute.objects.get(town=second["town"], category="tax")
    route.department = world.departments["market"]
    with pytest.raises(ValidationError):
        towns.save_route(world.users["admin"], route, route.version)
    assert sql("SELECT department_id FROM economy_demandroute WHERE id = %s", route.pk) == [(None,)]


# --- the town administrator ------------------------------------------------------------------------

def test_a_town_administrator_sees_the_staff_and_settings_of_their_town_only(world, second, login):
    hy_admin = world.users["hy_admin"]
    users = set(User.objects.visible_to(hy_admin).values_list("username", flat=True))
    assert users == {"hy_admin", "hy_inspector", "hy_officer"}
    assert set(Department.objects.visible_to(hy_admin)) == {second["market"]}
    assert set(Area.objects.visible_to(hy_admin)) == {second["town"], second["hood"], second["grid"]}
    assert set(DemandRoute.objects.visible_to(hy_admin).values_list("town_id", flat=True)) == {second["town"].pk}
    client = login(hy_admin)
    page = client.get(reverse("core:user_list")).content.decode()
    assert "hy_inspector" in page and "gridworker" not in page
    routes = client.get(reverse("core:route_list")).content.decode()
    assert "华阳镇" not in routes or "新泾镇" not in routes
    for name, pk in (("core:user_edit", world.users["cadre"].pk), ("core:department_edit",
                                                                   world.departments["market"].pk),
                     ("core:area_edit", world.grids["linquan1"].pk)):
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404
    route = DemandRoute.objects.get(town=world.town, category="tax")
    response = client.post(reverse("core:route_edit", kwargs={"table": "economy.demandroute", "pk": route.pk}),
                           {"department": second["market"].pk, "version": route.version})
    assert response.status_code == 404
    api = client.get("/api/v1/users").json()
    assert {u["username"] for u in api["items"]} == users


def test_a_town_administrator_manages_their_own_towns_staff(world, second):
    hy_admin = world.users["hy_admin"]
    made = services.save_user(hy_admin, User(username="hy_grid", full_name="华阳网格员"),
                              roles=[Role.GRID_WORKER], areas=[second["grid"]], departments=[],
                              password="Huayang-2026-grid")
    assert sql("SELECT role FROM core_userrole WHERE user_id = %s", made.pk) == [(Role.GRID_WORKER,)]
    services.set_active(hy_admin, made, False)
    assert sql("SELECT is_active FROM core_user WHERE id = %s", made.pk) in ([(False,)], [(0,)])
    services.reset_password(hy_admin, made, "Huayang-2026-new")
    services.save_department(hy_admin, Department(town=second["town"], code="CY", name="城运中心"))
    services.save_area(hy_admin, Area(code="310105103001002", name="华阳一居第2网格", level=AreaLevel.GRID,
                                      parent=second["hood"]))
    route = DemandRoute.objects.get(town=second["town"], category="tax")
    towns.set_route(hy_admin, route, second["market"], route.version)
    assert sql("SELECT department_id FROM economy_demandroute WHERE id = %s", route.pk) == [(second["market"].pk,)]


def test_a_town_administrator_cannot_reach_another_town(world, second):
    hy_admin, cadre = world.users["hy_admin"], world.users["cadre"]
    before = sql("SELECT count(*) FROM core_user")[0][0], sql("SELECT count(*) FROM core_department")[0][0]
    for verb in (lambda: services.set_active(hy_admin, cadre, False),
                 lambda: services.reset_password(hy_admin, cadre, "Huayang-2026-bad"),
                 lambda: services.save_user(hy_admin, cadre, roles=[Role.GRID_WORKER], areas=[second["grid"]],
                                            departments=[]),
                 lambda: services.save_department(hy_admin, world.departments["market"]),
                 lambda: services.save_area(hy_admin, world.grids["linquan1"]),
                 lambda: services.save_area(hy_admin, Area(code="310105104", name="新镇", level=AreaLevel.TOWN)),
                 lambda: towns.set_route(hy_admin, DemandRoute.objects.get(town=world.town, category="tax"), None)):
        with pytest.raises(PermissionDenied):
            verb()
    refusals = [
        ("areas", dict(roles=[Role.GRID_WORKER], areas=[world.grids["linquan1"]], departments=[])),
        ("departments", dict(roles=[Role.DEPARTMENT_OFFICER], areas=[], departments=[world.departments["market"]])),
        ("roles", dict(roles=[Role.ADMIN], areas=[second["grid"]], departments=[])),
        ("areas", dict(roles=[Role.GRID_WORKER], areas=[], departments=[])),
    ]
    for field, links in refusals:
        with pytest.raises(ValidationError) as refused:
            services.save_user(hy_admin, User(username="hy_new", full_name="新人"), password="Huayang-2026-x",
                               **links)
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.save_department(hy_admin, Department(town=world.town, code="NEW", name="新所"))
    assert "town" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.save_area(hy_admin, Area(code="310105102022009", name="林泉第9网格", level=AreaLevel.GRID,
                                          parent=world.hoods["linquan"]))
    assert "parent" in refused.value.message_dict
    cadre.refresh_from_db()
    assert cadre.is_active
    assert (sql("SELECT count(*) FROM core_user")[0][0], sql("SELECT count(*) FROM core_department")[0][0]) == before


def test_a_town_administrator_never_acts_on_an_administrator(world, second):
    boss = make_user("hy_boss", Role.ADMIN, [second["town"]])
    with pytest.raises(PermissionDenied):
        services.set_active(world.users["hy_admin"], boss, False)


def test_the_staff_import_refuses_another_towns_area_for_a_town_administrator(world, second, tmp_path):
    out = io.StringIO()
    sheet = tmp_path / "staff.csv"
    sheet.write_text("账号,姓名,角色,负责区域\nhy_import,华阳新人,网格员,310105102022001\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "users", str(sheet), "--user", "hy_admin", stdout=out)
    assert "310105102022001" in out.getvalue()
    assert sql("SELECT count(*) FROM core_user WHERE username = 'hy_import'") == [(0,)]
    sheet.write_text("账号,姓名,角色,负责区域\nhy_import,华阳新人,网格员,310105103001001\n", encoding="utf-8")
    call_command("import", "users", str(sheet), "--user", "hy_admin", stdout=out)
    assert sql("SELECT count(*) FROM core_user WHERE username = 'hy_import'") == [(1,)]


def test_a_town_administrators_form_offers_their_town_only(world, second, login):
    page = login(world.users["hy_admin"]).get(reverse("core:user_create")).content.decode()
    assert "华阳一居第1网格" in page and "林泉第1网格" not in page
    assert 'value="admin"' not in page  # the administrator's role is not theirs to grant
    page = login(world.users["admin"]).get(reverse("core:user_create")).content.decode()
    assert "华阳一居第1网格" in page and "林泉第1网格" in page and 'value="admin"' in page


# --- the town settings page -----------------------------------------------------------------------

def test_the_settings_page_sets_a_route_to_the_towns_own_department_only(world, second, login):
    client = login(world.users["admin"])
    page = client.get(reverse("core:route_list")).content.decode()
    assert "华阳镇" in page and "新泾镇" in page  # several towns: each row names its town
    route = ReportRoute.objects.get(town=second["town"], category="noise")
    url = reverse("core:route_edit", kwargs={"table": "reports.reportroute", "pk": route.pk})
    client.post(url, {"department": world.departments["market"].pk, "version": route.version})  # another town's
    client.post(url, {"department": "x", "version": route.version})
    assert sql("SELECT department_id, version FROM reports_reportroute WHERE id = %s", route.pk) == [
        (None, route.version)]
    client.post(url, {"department": second["market"].pk, "version": route.version})
    assert sql("SELECT department_id FROM reports_reportroute WHERE id = %s", route.pk) == [(second["market"].pk,)]
    stale = client.post(url, {"department": "", "version": route.version}, follow=True).content.decode()
    assert sql("SELECT department_id FROM reports_reportroute WHERE id = %s", route.pk) == [(second["market"].pk,)]
    assert "已有其他人修改" in stale
    assert client.post(reverse("core:route_edit", kwargs={"table": "core.user", "pk": 1})).status_code == 404
    category_route = CategoryRoute.objects.get(town=second["town"], category__code="hotel")
    client.post(reverse("core:route_edit", kwargs={"table": "places.categoryroute", "pk": category_route.pk}),
                {"department": second["market"].pk, "version": category_route.version})
    assert sql("SELECT department_id FROM places_categoryroute WHERE id = %s", category_route.pk) == [
        (second["market"].pk,)]


def test_the_demand_routing_page_names_each_rows_town(world, second, login):
    from ..economy.conftest import set_route

    set_route("tax", second["market"])
    page = login(world.users["admin"]).get(reverse("economy:route_list")).content.decode()
    assert "华阳镇" in page and "新泾镇" in page


# --- ledgers: departments by town, a shared department name resolved by the person's town ------------

def _import(kind, text, tmp_path, user):
    sheet = tmp_path / f"{kind}.csv"
    sheet.write_text(text, encoding="utf-8")
    out = io.StringIO()
    with contextlib.suppress(CommandError):  # rows refused: the report is in the output
        call_command("import", kind, str(sheet), "--user", user, stdout=out)
    return out.getvalue()


def test_the_departments_ledger_names_the_town(world, second, tmp_path):
    out = _import("departments", "编码,名称,镇\nZFD,华阳执法队,华阳镇\nPCS,华阳派出所,310105103\n", tmp_path, "admin")
    assert sql("SELECT code FROM core_department WHERE town_id = %s ORDER BY code", second["town"].pk) == [
        ("PCS",), ("SJS",), ("ZFD",)]
    out = _import("departments", "编码,名称,镇\nX1,某所,\nX2,某所二,火星镇\n", tmp_path, "admin")
    assert "火星镇" in out and sql("SELECT count(*) FROM core_department WHERE code LIKE 'X%%'") == [(0,)]
    # A town administrator's empty town is their own; another town's is refused.
    out = _import("departments", "编码,名称,镇\nX3,华阳某所,\n", tmp_path, "hy_admin")
    assert sql("SELECT town_id FROM core_department WHERE code = 'X3'") == [(second["town"].pk,)]
    out = _import("departments", "编码,名称,镇\nX4,新泾某所,新泾镇\n", tmp_path, "hy_admin")
    assert "新泾镇" in out and sql("SELECT count(*) FROM core_department WHERE code = 'X4'") == [(0,)]


def test_the_staff_ledger_takes_a_shared_department_name_from_the_persons_town(world, second, tmp_path):
    out = _import("users", "账号,姓名,角色,部门,负责区域\nhy_sjs,华阳所员,部门干部,市场监督管理所,310105103001001\n",
                  tmp_path, "admin")
    rows = sql("SELECT ud.department_id FROM core_user_departments ud JOIN core_user u ON u.id = ud.user_id "
               "WHERE u.username = 'hy_sjs'")
    assert rows == [(second["market"].pk,)], out
    out = _import("users", "账号,姓名,角色,部门\nnowhere,无区域,部门干部,市场监督管理所\n", tmp_path, "admin")
    assert "市场监督管理所" in out and sql("SELECT count(*) FROM core_user WHERE username = 'nowhere'") == [(0,)]


def test_another_towns_figures_never_reach_the_dashboard(world, second, login):
    from ..workorders.helpers import raise_order

    raise_order(world)  # an open order of the first town, at its market office
    leaders = {"xj": make_user("xj_leader", Role.TOWN_LEADER, [world.town]),
               "hy": make_user("hy_leader", Role.TOWN_LEADER, [second["town"]])}

    def open_orders(user):
        sections = {s["key"]: s for s in login(user).get("/dashboard/data.json").json()["sections"]}
        return {f["key"]: f["value"] for f in sections["workorders"]["figures"]}["open"]

    assert open_orders(leaders["xj"]) == sql("SELECT count(*) FROM workorders_workorder WHERE state <> 'closed'")[0][0]
    assert open_orders(leaders["hy"]) == 0
    assert open_orders(world.users["hy_officer"]) == 0


def test_an_order_goes_to_a_department_of_its_grids_town(world, second):
    from wangge.workorders import services as orders

    before = sql("SELECT count(*) FROM workorders_workorder")
    with pytest.raises(ValidationError) as refused:
        orders.raise_order(world.users["admin"], kind="rectification", title="跨镇", grid=world.grids["linquan1"],
                           department=second["market"])
    assert "department" in refused.value.message_dict
    assert sql("SELECT count(*) FROM workorders_workorder") == before


def test_an_order_is_assigned_only_to_someone_of_its_own_town(world, second, login):
    """The rule behind the pickers, in the service: page, API and other services alike."""
    from wangge.workorders import services as orders
    from wangge.workorders.models import WorkOrder

    order = orders.raise_order(world.users["admin"], kind="rectification", title="跨镇指派",
                               grid=world.grids["linquan1"])
    with pytest.raises(ValidationError) as refused:
        orders.assign(world.users["admin"], order, world.users["hy_officer"])
    assert refused.value.message_dict["assignee"] == ["此人属于其他镇。"]
    with pytest.raises(ValidationError):
        orders.raise_order(world.users["admin"], kind="rectification", title="跨镇", grid=world.grids["linquan1"],
                           assignee=world.users["hy_inspector"])
    assert sql("SELECT assignee_id FROM workorders_workorder WHERE id = %s", order.pk) == [(None,)]
    assert WorkOrder.objects.filter(title="跨镇").count() == 0
    orders.assign(world.users["admin"], order, world.users["gridworker"])  # of this town: fine
    assert sql("SELECT assignee_id FROM workorders_workorder WHERE id = %s", order.pk) == [
        (world.users["gridworker"].pk,)]


# --- campaigns ------------------------------------------------------------------------------------

def test_campaigns_and_their_teams_are_read_by_their_own_towns_people_only(world, second):
    """Every user of both towns against the rows (SQL): the campaigns, and their teams, of the towns the
    user works in (their areas' and their departments'), every one for an administrator."""
    from wangge.inspections.models import Campaign, Team

    from ..inspections.helpers import campaign

    xinjing = campaign(world)
    huayang = inspections.save_campaign(world.users["hy_officer"], Campaign(
        name="华阳专项", starts_on=timezone.localdate(), ends_on=timezone.localdate(),
        checklist=checklists()["epidemic"]))
    inspections.save_team(world.users["hy_officer"], Team(campaign=huayang, name="华阳一组", shift="day"),
                          [world.users["hy_inspector"], world.users["hy_officer"]])
    assert (xinjing.town_id, huayang.town_id) == (world.town.pk, second["town"].pk)
    for user in User.objects.all():
        if user.username == "admin":
            towns = [world.town.pk, second["town"].pk]
        else:
            towns = [pk for (pk,) in sql(
                "SELECT DISTINCT t.id FROM core_area t WHERE t.level = 'town' AND ("
                " t.id IN (SELECT d.town_id FROM core_department d JOIN core_user_departments ud"
                "          ON ud.department_id = d.id WHERE ud.user_id = %s)"
                " OR EXISTS (SELECT 1 FROM core_area a JOIN core_user_areas ua ON ua.area_id = a.id"
                "            WHERE ua.user_id = %s AND (a.path LIKE t.path || '%%' OR t.path LIKE a.path || '%%')))",
                user.pk, user.pk)]
        marks = ",".join(["%s"] * len(towns)) or "NULL"
        expected = {pk for (pk,) in sql(f"SELECT id FROM inspections_campaign WHERE town_id IN ({marks})", *towns)}  # noqa: S608
        teams = {pk for (pk,) in sql("SELECT tm.id FROM inspections_team tm JOIN inspections_campaign c ON "  # noqa: S608
                                     f"c.id = tm.campaign_id WHERE c.town_id IN ({marks})", *towns)}
        assert set(Campaign.objects.visible_to(user).values_list("pk", flat=True)) == expected, user.username
        assert set(Team.objects.visible_to(user).values_list("pk", flat=True)) == teams, user.username
    assert set(Campaign.objects.visible_to(world.users["hy_admin"])) == {huayang}
    assert set(Campaign.objects.visible_to(world.users["officer"])) == {xinjing}
