"""One row of every kind a URL can name, and an outsider per role who may see none of them.

The outsider of a role holds the role over an empty neighbourhood and an empty department, signs no
residents, chairs no road, sits on no team and made nothing — so every scoped row of the estate lies
outside their scope, and every page or API endpoint that names one must refuse it.
"""

import datetime
import uuid
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from wangge.community.models import DuplicateSuggestion, SupplyItem
from wangge.community.services import care, screening, supplies
from wangge.core.models import Area, AreaLevel, BackgroundJob, Department, ExportJob, ImportJob
from wangge.dashboard.models import Brief
from wangge.economy.models import DemandRoute
from wangge.workorders import services as workorders
from wangge.workorders.models import FieldVisit, Notification

from ..community.conftest import hood  # noqa: F401  (fixtures used by `estate`)
from ..conftest import earlier_today, make_user
from ..economy.conftest import economy, visit  # noqa: F401
from ..inspections.helpers import campaign, photo, submit
from ..sampling.conftest import _fresh_rate_limit, sites  # noqa: F401
from ..workorders.helpers import TODAY, raise_order


@dataclass
class Estate:
    world: object
    rows: dict = field(default_factory=dict)  # kind -> a row outside every outsider's scope
    names: list = field(default_factory=list)  # names of scoped rows: a listing an outsider sees shows none
    area_names: list = field(default_factory=list)  # the grids' names


@pytest.fixture
def estate(world, hood, economy, sites, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    return build_estate(world, hood, economy, sites)


def build_estate(world, hood, economy, sites) -> Estate:  # noqa: F811
    """The estate's rows over the given fixtures' town (MEDIA_ROOT set by the caller: photos are written)."""
    admin = world.users["admin"]
    rows = {"area": world.grids["beihong1"], "user": world.users["cadre"], "premises": world.premises["linquan1"],
            "segment": world.segments["hami"], "resident": world.residents["linquan1"],
            "compound": hood.compounds["linquan1"], "gate": hood.compounds["linquan1"].gates.first(),
            "park": economy.parks["xijiao"], "enterprise": economy.enterprises["linquan1"],
            "sampling_site": sites["linquan1"], "department": world.departments["market"]}
    order = raise_order(world)
    rows["order"] = order
    rows["notification"] = Notification.objects.filter(order=order).first() or Notification.objects.create(
        user=world.users["gridworker"], order=order, level=0, message="新工单")
    rows["attachment"] = workorders.add_attachment(admin, order, photo("现场.jpg"))
    rows["field_visit"] = workorders.save_visit(world.users["leader"], FieldVisit(
        title="镇长调研林泉", visited_on=TODAY, leader="镇长", area=world.hoods["linquan"]))
    workorders.give_instruction(world.users["leader"], rows["field_visit"], text="加强夜间巡查",
                                units=[("林泉居委", world.grids["linquan1"])], deadline=TODAY + datetime.timedelta(7))
    rows["campaign"] = campaign(world)
    rows["team"] = rows["campaign"].teams.first()
    rows["checklist"] = rows["campaign"].checklist
    rows["task"] = rows["campaign"].tasks.select_related("premises").first()
    inspection, _new = submit(world, rows["task"], photos=[("现场", photo())])
    rows["inspection"] = inspection
    rows["photo"] = inspection.photos.first()
    rows["paper"] = add_paper(world, rows["campaign"])
    rows["round"] = screening.open_round(admin, name="林泉第一轮筛查", date=TODAY,
                                         compounds=[hood.compounds["linquan1"]])
    rows["result"] = rows["round"].results.first()
    rows["care_visit"], _new = care.record_care_visit(admin, hood.people["alone"], visited_on=TODAY, visitors="居委",
                                                      condition="good", client_id=uuid.uuid4())
    a, b = hood.people["young"], hood.people["away"]
    rows["suggestion"] = DuplicateSuggestion.objects.create(first=a, second=b, reason="same_name_birth")
    rows["supply_site"] = supplies.open_site(admin, office_of=world.hoods["linquan"])
    item = supplies.save_item(admin, SupplyItem(name="口罩", unit="只"))
    rows["item"] = item
    rows["stock"] = supplies.receive(admin, rows["supply_site"], item, 100).stock
    rows["route"] = DemandRoute.objects.first()
    rows["enterprise_visit"], _new = visit(economy, "admin", "linquan1")
    rows["import_job"] = ImportJob.objects.create(kind="residents", filename="居民.xlsx", data=b"", created_by=admin)
    rows["background_job"] = BackgroundJob.objects.create(kind="brief", created_by=admin, status="failed",
                                                          error="x")
    rows["export_job"] = ExportJob.objects.create(kind="residents", fmt="csv", created_by=admin, status="done",
                                                  file="exports/x.csv")
    rows["brief"] = Brief.objects.create(kind="daily", starts_on=TODAY, ends_on=TODAY, made_for=admin,
                                         area=world.town, docx_file="x.docx", pdf_file="x.pdf")
    add_vaccination(rows, world, hood)
    rows["public_report"] = add_public_report(world)
    add_assessment(rows, world)
    names = [r.name for r in (*world.residents.values(), *hood.people.values(), *world.premises.values(),
                              *hood.compounds.values(), *economy.parks.values(), *economy.enterprises.values(),
                              *sites.values())]
    names += [order.title, rows["field_visit"].title, rows["round"].name, rows["paper"].number,
              rows["public_report"].tracking_number, rows["public_report"].description, rows["review"].title]
    return Estate(world, rows, names, [g.name for g in world.grids.values()])


@pytest.fixture(scope="module")
def module_estate(django_db_setup, django_db_blocker, tmp_path_factory):
    """The estate built once for a module whose tests only read it (tests/access/test_every_endpoint.py):
    in a transaction the module's end rolls back, each test's own being a savepoint inside it, so every
    test still starts from the same rows and the tests after find the database as before (as
    tests/test_demo_town.py does with the demo town; a flush would also delete the data migrations' rows)."""
    from django.test import override_settings

    from ..community.conftest import build_hood
    from ..conftest import build_world, rolled_back
    from ..economy.conftest import build_economy
    from ..sampling.conftest import build_sites

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("estate-media")), rolled_back(django_db_blocker):
        world = build_world()
        yield build_estate(world, build_hood(world), build_economy(world), build_sites(world))


def add_paper(world, campaign):
    """A signed rectification notice of a premises regulated by the market office, not yet inspected."""
    from wangge.papers import services as papers

    from ..papers.conftest import rectify, signature_upload

    key = next(k for k in ("beihong1", "linquan1")
               if campaign.tasks.filter(premises=world.premises[k], state="planned").exists())
    notice = papers.make_paper(world.users["inspector"], rectify(world, campaign, key), "rectification")
    return papers.sign(world.users["inspector"], notice, signature_upload())


def add_assessment(rows, world):
    """A scheme and a report definition (read by everyone), a town report and review of March 2025, drafts."""
    from wangge.assessment import services as assessment

    leader, march = world.users["leader"], datetime.date(2025, 3, 1)
    rows["scheme"] = assessment.save_scheme(leader, None, name="三月考核", starts_on=march,
                                            ends_on=datetime.date(2025, 3, 31), weights={"orders_on_time": 50})
    rows["report_definition"] = assessment.save_definition(leader, None, name="月报", period="month",
                                                           figures=["workorders.open"], indicators=[],
                                                           areas=list(world.hoods.values()))
    rows["period_report"] = assessment.prepare_report(leader, rows["report_definition"], march)
    rows["review"] = assessment.draft_review(leader, title="三月复盘测试", starts_on=march,
                                             ends_on=datetime.date(2025, 3, 31))


def add_public_report(world):
    """A resident's report with a photo in the first grid (its order in the same grid)."""
    from wangge.reports import services as reports

    return reports.submit_report(category="sanitation", description="林泉垃圾桶满溢无人清运", address="仙霞西路5号",
                                 phone="13955556666", photo=photo("随手拍.jpg"))


def add_vaccination(rows, world, neighbourhood):
    """A dose, an appointment and a vaccination visit (observed, released, followed up later)."""
    from wangge.vaccination.models import FollowUp, VaccinationPoint
    from wangge.vaccination.services import day, doses, outreach

    admin, now = world.users["admin"], earlier_today()
    rows["point"] = VaccinationPoint.objects.create(name="卫生服务中心接种点", grid=world.grids["linquan1"])
    rows["dose"] = doses.record_dose(admin, world.residents["linquan1"], number=1, given_on=TODAY,
                                     vaccine_type="inactivated")
    elder = neighbourhood.people["bedridden"]
    rows["appointment"] = outreach.book(admin, elder, point=rows["point"], date=timezone.localdate(now), at_home=True)
    visit = day.check_in(admin, rows["point"], elder, appointment=rows["appointment"], now=now)
    rows["vaccination_visit"] = day.vaccinate(admin, visit, vaccine_type="inactivated", batch="B7", now=now)
    day.release(admin, visit, now=now + datetime.timedelta(minutes=31))
    rows["follow_up"] = FollowUp.objects.get(visit=visit)


@pytest.fixture(params=["own town", "other town"])
def outsider(world, request):
    """outsider(role) -> a user holding `role` over nothing the estate holds (None: no role at all).

    Own town: over an empty neighbourhood and an empty department of the estate's town. Other town: over
    the whole of a second town and a department of it with the same code as the estate's market office
    (docs/TOWNS.md): whatever the role, nothing of the first town is theirs."""
    if request.param == "own town":
        area = Area.objects.create(code="310105102099", name="空白社区", level=AreaLevel.NEIGHBOURHOOD,
                                   parent=world.town)
        department = Department.objects.create(town=world.town, code="KONG", name="空白科室")
    else:
        area = Area.objects.create(code="310105103", name="华阳镇", level=AreaLevel.TOWN)
        department = Department.objects.create(town=area, code="SJS", name="华阳镇市场监管所")

    def make(role):
        return make_user(f"outsider-{role or 'none'}", role, [area], [department])

    make.other_town = request.param == "other town"
    return make
