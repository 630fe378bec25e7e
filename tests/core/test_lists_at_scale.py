"""The four big lists (premises, residents, work orders, inspections) stay cheap as they grow: the
queries of a page do not grow with the rows nor with the page number; a page read as a deferred join
holds exactly the rows of the plain ordered slice; and `visible_to`, rewritten to filter by id lists,
lets each user see exactly the rows the access rules allow, computed here independently in SQL
(docs/PERFORMANCE.md, "Lists at district scale")."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wangge.community.models import Resident
from wangge.core import visibility
from wangge.core.bulk import insert_audited
from wangge.core.models import Area, AreaLevel
from wangge.core.pagination import page_slice, paginate_list
from wangge.inspections.choices import InspectionKind, Outcome
from wangge.inspections.models import Campaign, Checklist, Inspection
from wangge.places.choices import Shift
from wangge.places.models import Premises, PremisesCategory
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import WorkOrder

from .. import conftest

LISTS = ["/premises/", "/residents/", "/workorders/", "/inspections/records/"]
GRIDS = ["linquan1", "linquan2", "beihong1", "beihong2"]


def grow(world, n: int) -> None:
    """n more rows of each list, spread over the four grids (bulk inserts, as an import writes them)."""
    category = PremisesCategory.objects.get(code="shop")
    start = Premises.objects.count()
    premises = []
    for k in range(start, start + n):
        p = Premises(name=f"店{k:04d}", category=category, address=f"哈密路{k}号", grid=world.grids[GRIDS[k % 4]],
                     segment=world.segments["hami"] if k % 7 == 0 else None)
        p.derive()
        premises.append(p)
    insert_audited(premises)
    residents = []
    for k in range(start, start + n):
        r = Resident(name=f"居民{k:04d}", id_number=conftest.id_number(f"1950{1 + k // 900:02d}01", k % 900 + 100),
                     grid=world.grids[GRIDS[k % 4]])
        r.derive_protected_columns()
        residents.append(r)
    insert_audited(residents)
    insert_audited([WorkOrder(kind=Kind.RECTIFICATION, state=State.ASSIGNED if k % 3 else State.CLOSED,
                              title=f"整改{k}", subject_label=f"整改{k}", grid=world.grids[GRIDS[k % 4]],
                              department=world.departments["market"], deadline=datetime.date(2022, 5, 1),
                              assignee=world.users["gridworker"] if k % 5 == 0 else None)
                    for k in range(start, start + n)])
    campaign = Campaign.objects.first() or Campaign.objects.create(
        town=world.town, name="排查", starts_on=datetime.date(2022, 4, 1), ends_on=datetime.date(2022, 4, 30),
        checklist=Checklist.objects.filter(is_current=True).first())
    at = timezone.make_aware(datetime.datetime(2022, 4, 2, 10))
    insert_audited([Inspection(client_id=uuid.uuid4(), kind=InspectionKind.ROUTINE, campaign=campaign,
                               premises=p, grid_id=p.grid_id, subject_label=p.name, checklist=campaign.checklist,
                               inspected_at=at + datetime.timedelta(minutes=k % 50), shift=Shift.DAY,
                               outcome=Outcome.COMPLIANT if k % 4 else Outcome.FIXED,
                               submitted_by=world.users["inspector"] if k % 9 == 0 else None)
                    for k, p in enumerate(premises)])


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["leader", "cadre", "gridworker", "officer"])
def test_queries_per_list_page_do_not_grow_with_rows_nor_pages(world, login, who):
    client = login(world.users[who])
    grow(world, 10)
    mine = [url for url in LISTS if client.get(url).status_code == 200]  # also warms the caches
    assert "/premises/" in mine and len(mine) >= 3
    small = {url: queries(client, url) for url in mine}
    grow(world, 490)
    for url in mine:
        assert queries(client, url) == small[url], url
        assert queries(client, url + "?page=5") == small[url], url
        assert queries(client, url + "?page=9999") == small[url], url  # out of range: the last page


def test_page_slice_is_the_plain_ordered_slice(world):
    grow(world, 130)
    # Duplicate names, so the order's tie-breaker matters.
    Premises.objects.filter(pk__in=Premises.objects.order_by("pk").values("pk")[:40]).update(name="同名")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM places_premises ORDER BY name, id")
        everything = [row[0] for row in cursor.fetchall()]
    ordered = Premises.objects.order_by("name", "id").select_related("grid")
    for number in range(1, 5):
        page = page_slice(ordered, number, per_page=40)
        assert [p.pk for p in page] == everything[(number - 1) * 40:number * 40]
        assert [p.pk for p in page] == [p.pk for p in ordered[(number - 1) * 40:number * 40]]
    assert page_slice(ordered, 99, per_page=40) == []
    # The list's page object: numbers out of range give the last page, rubbish the first.
    last = (len(everything) - 1) // 40 * 40
    assert [p.pk for p in paginate_list(ordered, "9999", per_page=40)] == everything[last:]
    assert paginate_list(ordered, "x", per_page=40).number == 1
    assert paginate_list(ordered, "2", per_page=40).paginator.count == len(everything)


def test_the_pages_of_a_list_hold_each_visible_row_once(world, login):
    grow(world, 230)
    client = login(world.users["cadre"])
    pages = client.get("/premises/").context["page"].paginator.num_pages
    assert pages > 2
    seen = []
    for number in range(1, pages + 1):
        seen += [p.pk for p in client.get(f"/premises/?page={number}").context["page"]]
    assert len(seen) == len(set(seen)) == len(allowed(Premises, world.users["cadre"]))
    assert set(seen) == allowed(Premises, world.users["cadre"])


# --- visible_to against the access rules, computed independently ---------------------------------

def _ids(sql: str, params) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def allowed(model, user) -> set[int]:
    """The rows the rules of docs/ARCHITECTURE.md allow, in SQL written from those rules: rows in a
    grid under one of the user's areas; for a department's staff, rows regulated by (or routed to) the
    department; rows the user answers for (road chief, assignee, submitter) or took part in; residents
    signed with the user as family doctor."""
    scopes = user.scopes
    if "all" in scopes:
        return set(model.objects.values_list("pk", flat=True))
    table = model._meta.db_table
    rules, params = [], []
    if "area" in scopes:
        for path in user.area_paths:
            rules.append(f"SELECT t.id FROM {table} t JOIN core_area g ON g.id = t.grid_id WHERE g.path LIKE %s")
            params.append(path + "%")
    departments = list(user.departments.values_list("pk", flat=True)) if "department" in scopes else []
    marks = ", ".join(["%s"] * len(departments))
    # A department serves its own town: the category's regulating department in the premises' town
    # (places_categoryroute), a work order's department within the department's town.
    by_category = ("SELECT t.id FROM {} t JOIN places_premises p ON p.id = t.premises_id JOIN core_area g "
                   "ON g.id = p.grid_id JOIN places_categoryroute r ON r.category_id = p.category_id JOIN core_area tw "
                   "ON tw.id = r.town_id WHERE g.path LIKE tw.path || '%%' AND r.department_id IN ({})")
    in_town = ("({} IS NULL OR {} IN (SELECT g.id FROM core_area g, core_department d, core_area tw WHERE "
               f"tw.id = d.town_id AND g.path LIKE tw.path || '%%' AND d.id IN ({marks})))")
    chief = ("SELECT t.id FROM {} t JOIN places_premises p ON p.id = t.premises_id JOIN places_roadsegment s "
             "ON s.id = p.segment_id WHERE s.chief_id = %s")
    if model is Premises:
        rules.append("SELECT t.id FROM places_premises t JOIN places_roadsegment s ON s.id = t.segment_id "
                     "WHERE s.chief_id = %s")
        params.append(user.pk)
        if departments:
            rules.append(by_category.replace("t.premises_id", "t.id").format(table, marks))
            params += departments
    elif model is Resident:
        if "doctor" in scopes:
            rules.append("SELECT id FROM community_resident WHERE family_doctor_id = %s")
            params.append(user.pk)
    elif model is WorkOrder:
        rules.append("SELECT id FROM workorders_workorder WHERE assignee_id = %s")
        params.append(user.pk)
        if departments:
            rules.append(f"SELECT id FROM workorders_workorder WHERE department_id IN ({marks}) AND "
                         + in_town.format("grid_id", "grid_id"))
            params += departments + departments
    elif model is Inspection:
        rules += ["SELECT id FROM inspections_inspection WHERE submitted_by_id = %s", chief.format(table),
                  "SELECT inspection_id FROM inspections_inspection_inspectors WHERE user_id = %s"]
        params += [user.pk, user.pk, user.pk]
        if departments:
            rules.append(by_category.format(table, marks))
            rules.append("SELECT t.id FROM inspections_inspection t JOIN workorders_workorder w "
                         f"ON w.id = t.work_order_id WHERE w.department_id IN ({marks}) AND "
                         + in_town.format("t.grid_id", "t.grid_id"))
            params += departments + departments + departments
    return _ids(" UNION ".join(rules), params) if rules else set()


MODELS = [Premises, Resident, WorkOrder, Inspection]


def test_visible_rows_are_the_rows_the_rules_allow(world):
    grow(world, 60)
    # Someone in three roads' worth of rules: a road chief who also took part in an inspection.
    inspection = Inspection.objects.filter(grid=world.grids["linquan2"]).first()
    inspection.inspectors.add(world.users["gridworker"])
    for user in world.users.values():
        for model in MODELS:
            assert set(model.objects.visible_to(user).values_list("pk", flat=True)) == allowed(model, user), \
                (user.username, model.__name__)


def test_long_branches_stay_subqueries_with_the_same_rows(world, monkeypatch):
    """Above LITERAL_IDS a branch is a subquery instead of a literal list: the same rows."""
    grow(world, 60)
    monkeypatch.setattr(visibility, "LITERAL_IDS", 0)
    for user in world.users.values():
        for model in MODELS:
            assert set(model.objects.visible_to(user).values_list("pk", flat=True)) == allowed(model, user), \
                (user.username, model.__name__)


def test_a_user_holding_the_whole_tree_sees_every_row_without_a_filter(world):
    grow(world, 20)
    leader = world.users["leader"]  # holds the town, the root of the test's tree
    assert leader.sees_every_area
    sql = str(Premises.objects.visible_to(leader).query)
    assert "WHERE" not in sql
    for model in MODELS:
        assert set(model.objects.visible_to(leader).values_list("pk", flat=True)) == allowed(model, leader)
    # A second town: the leader of the first no longer holds the whole tree, and sees only their town.
    other = Area.objects.create(code="310105103", name="另一镇", level=AreaLevel.TOWN)
    grid = Area.objects.create(code="310105103001", name="另一格", level=AreaLevel.GRID, parent=other)
    Premises.objects.create(name="别镇店", category=PremisesCategory.objects.get(code="shop"), address="甲路1号",
                            grid=grid)
    leader = type(leader).objects.get(pk=leader.pk)
    assert not leader.sees_every_area
    assert set(Premises.objects.visible_to(leader).values_list("pk", flat=True)) == allowed(Premises, leader)
    assert not Premises.objects.visible_to(leader).filter(grid=grid).exists()


def test_a_user_without_areas_sees_by_their_other_rules_only(world):
    grid_worker = world.users["gridworker"]
    grid_worker.areas.clear()
    grid_worker = type(grid_worker).objects.get(pk=grid_worker.pk)
    assert grid_worker.area_ids_below == [] and not grid_worker.sees_every_area
    assert set(Premises.objects.visible_to(grid_worker).values_list("pk", flat=True)) == {
        world.premises["beihong1"].pk}  # the road chief's own segment
