"""Demo: the Xijiao International Financial Industrial Park (西郊国际金融产业园), fifteen enterprises,
visits over July 2022 and their demands in several states, driven through the services as the demo
staff. Deterministic and idempotent: nothing is added once the park exists."""

import datetime
import random

from wangge.core.audit import audit_context, current
from wangge.core.demo import NEIGHBOURHOODS, TOWN_CODE
from wangge.core.models import User
from wangge.core.validators import CREDIT_ALPHABET, credit_code_check_character
from wangge.workorders import services as orders

from . import services
from .choices import DEFAULT_ROUTES, EnterpriseStatus, Industry, Size
from .models import DemandRoute, Enterprise, Park

PARK = "西郊国际金融产业园"
HOOD = "新泾"
# name, industry, size, employees, grid (1-3), status
ENTERPRISES = [
    ("上海西郊金融信息服务有限公司", Industry.FINANCE, Size.MEDIUM, 180, 1, EnterpriseStatus.ACTIVE),
    ("上海新泾融资租赁有限公司", Industry.FINANCE, Size.SMALL, 45, 1, EnterpriseStatus.ACTIVE),
    ("上海金钟数据科技有限公司", Industry.TECHNOLOGY, Size.SMALL, 60, 1, EnterpriseStatus.ACTIVE),
    ("上海虹桥商务咨询有限公司", Industry.SERVICES, Size.MICRO, 12, 1, EnterpriseStatus.ACTIVE),
    ("上海西郊私募基金管理有限公司", Industry.FINANCE, Size.SMALL, 28, 2, EnterpriseStatus.ACTIVE),
    ("上海剑河供应链管理有限公司", Industry.LOGISTICS, Size.MEDIUM, 220, 2, EnterpriseStatus.ACTIVE),
    ("上海淞虹软件开发有限公司", Industry.TECHNOLOGY, Size.MEDIUM, 150, 2, EnterpriseStatus.ACTIVE),
    ("上海天山保险代理有限公司", Industry.FINANCE, Size.SMALL, 35, 2, EnterpriseStatus.ACTIVE),
    ("上海北渔餐饮管理有限公司", Industry.HOSPITALITY, Size.SMALL, 40, 2, EnterpriseStatus.SUSPENDED),
    ("上海哈密商贸有限公司", Industry.TRADE, Size.MICRO, 9, 3, EnterpriseStatus.ACTIVE),
    ("上海福泉人力资源有限公司", Industry.SERVICES, Size.SMALL, 55, 3, EnterpriseStatus.ACTIVE),
    ("上海仙霞资产管理有限公司", Industry.FINANCE, Size.SMALL, 22, 3, EnterpriseStatus.ACTIVE),
    ("上海新泾智能制造有限公司", Industry.MANUFACTURING, Size.MEDIUM, 260, 3, EnterpriseStatus.ACTIVE),
    ("上海通协物业服务有限公司", Industry.REAL_ESTATE, Size.SMALL, 70, 3, EnterpriseStatus.ACTIVE),
    ("上海西郊文化传媒有限公司", Industry.SERVICES, Size.MICRO, 15, 1, EnterpriseStatus.MOVED_OUT),
]
SATISFIED, BASIC, DISSATISFIED = "satisfied", "basically_satisfied", "dissatisfied"
DONE = ["assign", "start", "submit"]
# enterprise index, day of July, recorded by, operating status, staff back %, impact, where it hurts, problems,
# demands [(category, text, steps)]
VISITS = [
    (0, 4, "jingfa", "normal", 95, "slight", ["orders"], "线上业务恢复较快，线下网点客流不足。",
     [("financing", "申请中小微企业贷款贴息，希望加快审核", [*DONE, ("verify", SATISFIED)])]),
    (1, 5, "jingfa", "partly", 70, "serious", ["cash_flow", "staff"], "租金压力大，部分员工仍居家办公。",
     [("rent_relief", "申请国有物业房租减免六个月", [*DONE, ("verify", BASIC)])]),
    (2, 6, "leader", "normal", 90, "slight", ["supply_chain"], "服务器等硬件到货延迟。",
     [("supply_chain", "申请重点物资运输车辆通行证", ["assign"]),
      ("policy", "咨询高新技术企业认定政策", [*DONE, ("verify", SATISFIED)])]),
    (3, 7, "jingfa", "partly", 60, "serious", ["orders", "cash_flow"], "订单减少三成。", []),
    (4, 11, "jingfa", "normal", 100, "none", [], "经营正常。",
     [("policy", "咨询私募基金备案及落户扶持政策", [])]),
    (5, 12, "leader", "partly", 65, "severe", ["logistics", "supply_chain", "staff"], "物流受阻，司机返岗不足。",
     [("supply_chain", "申请货车通行证，协调仓库复工", ["assign", "start"]),
      ("staff", "招聘仓储人员困难，希望对接就业服务", [*DONE, ("verify", DISSATISFIED)])]),
    (6, 13, "jingfa", "normal", 85, "slight", ["staff"], "应届生招聘进度慢。",
     [("staff", "希望组织园区专场招聘会", ["assign", "start"])]),
    (7, 14, "jingfa", "normal", 90, "slight", ["orders"], "", []),
    (8, 15, "leader", "suspended", 20, "severe", ["orders", "cash_flow", "staff"], "堂食暂停，现金流紧张。",
     [("permits", "食品经营许可证延续办理", ["assign", "start"]),
      ("rent_relief", "申请房租减免", [*DONE, ("verify", SATISFIED)])]),
    (9, 18, "jingfa", "partly", 50, "serious", ["orders", "cash_flow"], "客户回款慢。",
     [("financing", "申请应急周转资金担保", ["assign"])]),
    (10, 19, "jingfa", "normal", 95, "slight", ["staff"], "", []),
    (11, 20, "jingfa", "normal", 100, "none", [], "经营正常，无诉求。", []),
    (12, 21, "leader", "partly", 75, "serious", ["supply_chain", "logistics"], "原材料供应不稳定。",
     [("resumption", "申请防疫物资和复工复产指导", [*DONE, ("verify", BASIC)]),
      ("tax", "咨询增值税留抵退税办理", [])]),
    (0, 26, "jingfa", "normal", 100, "slight", [], "回访：贷款贴息已到位。", []),
    (5, 27, "leader", "partly", 80, "serious", ["logistics"], "回访：通行证仍在办理中。", []),
]


def credit_code(rng: random.Random) -> str:
    body = "91310105" + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    return body + credit_code_check_character(body)


def _fill_routes(admin: User, departments: dict) -> None:
    """Routes the migration left empty (the departments came later) get their default department."""
    for route in DemandRoute.objects.filter(department__isnull=True, town__code=TOWN_CODE):
        department = departments.get(DEFAULT_ROUTES.get(route.category, ""))
        if department is not None:
            route.department = department
            services.save_route(admin, route, route.version)


def load(context: dict) -> None:
    areas, departments = context["areas"], context["departments"]
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "leader", "jingfa", "officer"])}
    admin = users["admin"]
    hood_code = f"{TOWN_CODE}{NEIGHBOURHOODS.index(HOOD) + 1:03d}"
    with audit_context(actor=admin, request_id=current().request_id or None):
        _fill_routes(admin, departments)
        if Park.objects.filter(name=PARK).exists():
            return
        park = services.save_park(admin, Park(name=PARK, area=areas[hood_code], department=departments["JFB"],
                                              address="新泾镇金钟路、剑河路一带",
                                              notes="市调研组2022年7月13日赴园区调研，听取企业经营情况和诉求。"))
        rng = random.Random(2022)
        enterprises = []
        for n, (name, industry, size, employees, grid, status) in enumerate(ENTERPRISES, start=1):
            enterprises.append(services.save_enterprise(admin, Enterprise(
                name=name, credit_code=credit_code(rng), industry=industry, size=size, employees=employees,
                address=f"金钟路{600 + n * 8}号", grid=areas[f"{hood_code}{grid:03d}"], park=park, status=status,
                contact_name=f"{'王李张刘陈杨黄赵吴周徐孙马朱胡'[n - 1]}经理",
                contact_phone=f"139{rng.randrange(10**8):08d}")))
        assignees = {"JFB": users["jingfa"], "SJS": users["officer"]}
        for index, day, by, operating, back, impact, hurts, problems, demands in VISITS:
            visit, _created = services.record_visit(
                users[by], enterprises[index], visited_on=datetime.date(2022, 7, day),
                visitors="经发办、园区服务中心" if by == "jingfa" else "镇领导、经发办",
                operating_status=operating, staff_back_percent=back, impact=impact, impact_areas=hurts,
                problems=problems, demands=[services.Demand(c, text) for c, text, _steps in demands])
            raised = services.demand_orders(visit).order_by("id")
            for order, (_category, _text, steps) in zip(raised, demands, strict=True):
                _drive(order, steps, admin, assignees.get(order.department.code if order.department else "",
                                                          users["leader"]))


def _drive(order, steps, admin: User, assignee: User) -> None:
    comments = {"assign": "请按诉求分类办理并答复企业", "start": "已联系企业，了解具体情况",
                "submit": "已办结并答复企业，请核查"}
    for step in steps:
        verb, satisfaction = step if isinstance(step, tuple) else (step, "")
        if verb == "assign":
            orders.assign(admin, order, assignee, comment=comments[verb])
        elif verb in ("start", "submit"):
            orders.VERB_FUNCTIONS[verb](assignee, order, comment=comments[verb])
        else:
            orders.verify_and_close(admin, order, satisfaction=satisfaction,
                                    comment={SATISFIED: "企业表示满意", BASIC: "企业表示基本满意",
                                             DISSATISFIED: "企业不满意，重新办理"}[satisfaction])
