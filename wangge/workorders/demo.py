"""Demo field visits from the source document, their instructions as work orders in several states.
Idempotent: a visit is matched by title and date, and skipped when it is already there."""

import datetime

from wangge.core.audit import audit_context, current
from wangge.core.demo import NEIGHBOURHOODS, TOWN_CODE
from wangge.core.models import User

from . import services
from .models import FieldVisit

# Steps after assignment: "start" and "submit" by the assignee, "verify" / "return" by the admin.
VISITS = [
    {
        "title": "重点场所夜间执法检查", "date": datetime.date(2022, 7, 10), "leader": "镇党委副书记、政法委书记",
        "participants": "平安办、派出所、执法队、市场所", "place": "天山西路、仙霞西路沿街商铺",
        "units": ["天山西路某KTV", "仙霞西路某网吧", "哈密路某棋牌室"],
        "notes": "白+黑检查：场所码张贴使用、应扫尽扫、员工防护和每日核酸、消毒记录，巡查娱乐场所擅自营业。",
        "instructions": [
            ("场所码未张贴、员工未按要求每日核酸，责令停业整顿，整改合格后方可恢复营业", "SJS", "officer", 5,
             [("天山西路某KTV", "林泉", ["start", "submit", "verify"]),
              ("仙霞西路某网吧", "林泉", ["start", "submit"]),
              ("哈密路某棋牌室", "北虹", ["start"])]),
            ("加强夜间巡查，杜绝娱乐场所擅自营业，不留死角", "PCS", "inspector", 10,
             [("北虹居民区沿街娱乐场所", "北虹", [])]),
        ],
    },
    {
        "title": "市调研组赴西郊国际金融产业园调研", "date": datetime.date(2022, 7, 13), "leader": "市调研组",
        "participants": "镇经发办", "place": "西郊国际金融产业园", "units": ["西郊国际金融产业园", "园区入驻企业"],
        "notes": "企业介绍经营情况、疫情影响、困难和诉求；镇介绍园区建设、招商痛点和区域一体化情况。",
        "instructions": [
            ("梳理园区企业诉求，协调解决用工和租金减免问题，逐条销项", "JFB", None, 10,
             [("西郊国际金融产业园", "新泾", []), ("园区入驻企业", "新泾", [])]),
        ],
    },
    {
        "title": "区委书记调研指导", "date": datetime.date(2022, 7, 14), "leader": "区委书记",
        "participants": "镇党委书记、镇长", "place": "市场所、执法队、派出所、虹康休闲绿地采样点、居民区",
        "units": ["市场所", "执法队", "派出所", "虹康休闲绿地常态化核酸采样点", "林泉居民区", "北虹居民区",
                  "新泾家苑居民区"],
        "notes": "听取各单位重点行业、重点场所检查情况汇报；实地查看天山星城、定威、绿五小区出入管理和物资保障。",
        "instructions": [
            ("持续抓好重点场所监管，定期复盘总结", "SJS", "officer", 10,
             [("市场所", "林泉", ["start", "submit", "verify"]), ("执法队", "林泉", ["start"])]),
            ("关心关爱独居老人，解决生活和就医需求", None, "cadre", 5,
             [("林泉居民区", "林泉", ["start", "submit", "return"])]),
            ("方便居民和企业核酸检测，优化采样点服务", "CYZX", None, 5,
             [("虹康休闲绿地常态化核酸采样点", "虹康", [])]),
        ],
    },
    {
        "title": "老年人新冠疫苗接种工作督导", "date": datetime.date(2022, 6, 27), "leader": "副区长",
        "participants": "区卫健委、社区卫生服务中心", "place": "林泉疫苗接种点", "units": ["林泉疫苗接种点"],
        "notes": "精确摸排、精准发动、精细服务，持续提高60岁以上老年人接种率。",
        "instructions": [
            ("精确摸排60岁以上未接种老人底数和原因，做到底数清、情况明", "SQWS", "doctor", 5,
             [("林泉居民区", "林泉", ["start", "submit", "verify"])]),
            ("家庭医生签约和未签约老人精准发动，做好接种现场服务和接种后随访", "SQWS", "doctor", 10,
             [("林泉居民区", "林泉", ["start", "escalate"])]),
        ],
    },
]


def _grid(areas: dict, neighbourhood: str):
    return areas[f"{TOWN_CODE}{NEIGHBOURHOODS.index(neighbourhood) + 1:03d}001"]


def load(context: dict) -> None:
    areas, departments = context["areas"], context["departments"]
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "leader", "officer", "cadre",
                                                                      "doctor", "gridworker", "inspector"])}
    leader, admin = users["leader"], users["admin"]
    town = areas[TOWN_CODE]
    with audit_context(actor=leader, request_id=current().request_id or None):
        for spec in VISITS:
            if FieldVisit.objects.filter(title=spec["title"], visited_on=spec["date"]).exists():
                continue
            visit = services.save_visit(leader, FieldVisit(
                title=spec["title"], visited_on=spec["date"], leader=spec["leader"],
                participants=spec["participants"], area=town, place=spec["place"], units="\n".join(spec["units"]),
                notes=spec["notes"]))
            for text, department, assignee, days, units in spec["instructions"]:
                deadline = services.add_working_days(spec["date"], days)
                instruction = services.give_instruction(
                    leader, visit, text=text, deadline=deadline, today=spec["date"],
                    department=departments[department] if department else None,
                    assignee=users.get(assignee) if assignee else None,
                    units=[(label, _grid(areas, hood)) for label, hood, _steps in units])
                for order, (_label, _hood, steps) in zip(instruction.work_orders.order_by("id"), units, strict=True):
                    for verb in steps:
                        actor = admin if verb in ("verify", "return") else order.assignee
                        comment = {"start": "已接单，到场处置", "submit": "已按要求整改完毕，请核查",
                                   "verify": "复查合格，同意销项", "return": "仍有独居老人需求未落实，请继续跟进",
                                   "escalate": "行动不便老人上门接种需区卫健委协调"}[verb]
                        services.VERB_FUNCTIONS[verb](actor, order, comment=comment)
