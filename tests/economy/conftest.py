"""The world plus an economy office (经发办) and its officer, two parks, one enterprise per grid and
the routing table the tests rely on."""

import datetime
from dataclasses import dataclass, field

import pytest

from wangge.core.models import Area, Department
from wangge.core.roles import Role
from wangge.core.validators import credit_code_check_character
from wangge.economy import services
from wangge.economy.choices import DemandCategory
from wangge.economy.models import DemandRoute, Enterprise, Park

from ..conftest import make_user

VISIT_DAY = datetime.date(2022, 7, 12)


def credit_code(n: int) -> str:
    body = f"91310105MA1FL{n:04d}"
    return body + credit_code_check_character(body)


@dataclass
class Economy:
    world: object
    jfb: Department
    parks: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)

    @property
    def users(self):
        return self.world.users


def set_route(category: str, department, town=None) -> None:
    town = town or (department.town if department else Area.objects.get(code="310105102"))
    DemandRoute.objects.update_or_create(town=town, category=category, defaults={"department": department})


@pytest.fixture
def economy(world) -> Economy:
    return build_economy(world)


def build_economy(world) -> Economy:
    jfb = Department.objects.create(town=world.town, code="JFB", name="经济发展办公室", short_name="经发办")
    world.users["econ"] = make_user("econ", Role.DEPARTMENT_OFFICER, [], [jfb])
    eco = Economy(world, jfb)
    # Every category routed nowhere (a browser test's flush may have removed the migration's rows), then
    # the routes the tests rely on.
    for category in DemandCategory.values:
        set_route(category, None)
    for category in ("rent_relief", "financing", "staff", "policy", "other"):
        set_route(category, jfb)
    set_route("permits", world.departments["market"])
    admin = world.users["admin"]
    eco.parks = {
        "xijiao": services.save_park(admin, Park(name="西郊国际金融产业园", area=world.hoods["linquan"],
                                                 department=jfb)),
        "beihong": services.save_park(admin, Park(name="北虹创意园", area=world.hoods["beihong"])),
    }
    specs = [("linquan1", "西郊金融信息公司", "xijiao", "13911112222"), ("linquan2", "新泾融资租赁公司", "xijiao", ""),
             ("beihong1", "北虹商贸公司", None, ""), ("beihong2", "北虹文化传媒公司", "beihong", "")]
    for n, (grid, name, park, phone) in enumerate(specs, start=1):
        eco.enterprises[grid] = services.save_enterprise(admin, Enterprise(
            name=name, credit_code=credit_code(n), address=f"金钟路{n}号", grid=world.grids[grid],
            park=eco.parks[park] if park else None, contact_name="王经理", contact_phone=phone))
    return eco


def visit(eco: Economy, actor: str, grid: str, demands=(), **extra):
    fields = {"visited_on": VISIT_DAY, "visitors": "经发办", "operating_status": "normal", "impact": "slight"}
    fields.update(extra)
    return services.record_visit(eco.users[actor], eco.enterprises[grid],
                                 demands=[services.Demand(c, t) for c, t in demands], **fields)
