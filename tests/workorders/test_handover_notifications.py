"""Every transition that hands work to someone tells the people who must act now, exactly once, through
the one notify function (workorders/notify.py)."""

import datetime
import pathlib
import re

from wangge.workorders import notify, services
from wangge.workorders.choices import Kind
from wangge.workorders.models import FieldVisit, Notification

from .helpers import TODAY, raise_order


def told(order) -> list[str]:
    """Usernames told about the order's hand-overs, in order."""
    return list(Notification.objects.filter(order=order, level=0).order_by("id").values_list("user__username",
                                                                                            flat=True))


def test_each_hand_over_tells_who_must_act_once(world):
    u = world.users
    order = raise_order(world, kind=Kind.DEMAND, assignee=None, actor="cadre")  # routed to the market office
    assert told(order) == ["officer"]  # it must be assigned
    services.assign(u["officer"], order, u["gridworker"])
    assert told(order) == ["officer", "gridworker"]
    services.start(u["gridworker"], order)  # nothing handed over
    services.submit_for_verification(u["gridworker"], order)
    assert told(order)[-1] == "officer"  # who assigned it verifies
    services.return_to_assignee(u["officer"], order, comment="还缺企业回执")
    assert told(order)[-1] == "gridworker"
    services.start(u["gridworker"], order)
    services.escalate(u["gridworker"], order, comment="需要镇里协调")
    assert told(order)[-1] == "officer"  # the department's officer decides
    services.assign(u["officer"], order, u["gridworker"])
    for verb in (services.start, services.submit_for_verification):
        verb(u["gridworker"], order)
    services.verify_and_close(u["officer"], order, satisfaction="dissatisfied")  # reopened
    assert told(order)[-1] == "gridworker"
    for verb in (services.start, services.submit_for_verification):
        verb(u["gridworker"], order)
    services.verify_and_close(u["officer"], order, satisfaction="satisfied")
    services.reopen(u["cadre"], order, comment="企业反映问题复发")
    assert told(order) == ["officer", "gridworker"] * 5
    # Exactly once per step: each notification names a different timeline step, and telling again adds nothing.
    keys = list(Notification.objects.filter(order=order, level=0).values_list("key", flat=True))
    assert len(keys) == len(set(keys)) and all(k.startswith("order-event:") for k in keys)
    last = order.events.order_by("-id").first()
    assert notify.tell_handover(order, last, u["cadre"]) == []
    assert len(told(order)) == 10
    # The actor is never told about their own step; the message names the order, not what it is about.
    assert not Notification.objects.filter(order=order, user=u["cadre"]).exists()
    assert all(f"#{order.pk}" in m for m in Notification.objects.filter(order=order).values_list("message", flat=True))


def test_instructions_and_orders_without_department_reach_who_assigns_them(world):
    leader = world.users["leader"]
    visit = services.save_visit(leader, FieldVisit(title="镇长调研", visited_on=TODAY, leader="镇长",
                                                   area=world.hoods["linquan"]))
    instruction = services.give_instruction(leader, visit, text="加强夜间巡查", department=world.departments["market"],
                                            units=[("林泉居委", world.grids["linquan1"])],
                                            deadline=TODAY + datetime.timedelta(days=7))
    order = instruction.work_orders.get()
    assert told(order) == ["officer"]
    # No department: the cadre of the neighbourhood assigns it.
    plain = raise_order(world, department=None, assignee=None, actor="leader", kind=Kind.OTHER)
    assert told(plain) == ["cadre"]
    # Assigned at once: the assignee only.
    direct = raise_order(world, assignee="gridworker", actor="admin")
    assert told(direct) == ["gridworker"]


def test_notifications_are_made_only_by_the_notify_module():
    root = pathlib.Path(__file__).resolve().parents[2] / "wangge"
    makers = re.compile(r"(?<!class )Notification\(|Notification\.objects\.(create|bulk_create|get_or_create|"
                        r"update_or_create)")
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "migrations" not in p.parts and p.name != "notify.py" and makers.search(p.read_text())]
    assert offenders == []


def test_an_order_assigned_to_oneself_is_verified_by_someone_else_who_is_told(world):
    """The cadre assigns a neighbourhood order to themselves and submits it: they may not verify it, so the
    others who assign such orders are told (before, whoever assigned it — the cadre — was the only one)."""
    cadre = world.users["cadre"]
    order = raise_order(world, kind=Kind.DEMAND, department=None, assignee=None, actor="cadre")
    services.assign(cadre, order, cadre)
    services.start(cadre, order)
    services.submit_for_verification(cadre, order)
    assert order.state == "awaiting_verification" and told(order)[-1] == "leader"
    services.verify_and_close(world.users["leader"], order, satisfaction="satisfied")


def test_work_handed_back_to_a_deactivated_assignee_goes_to_whoever_assigns(world):
    from wangge.core.services import set_active

    u = world.users
    order = raise_order(world, kind=Kind.DEMAND, assignee=None, actor="cadre")
    services.assign(u["officer"], order, u["gridworker"])
    for verb in (services.start, services.submit_for_verification):
        verb(u["gridworker"], order)
    services.verify_and_close(u["officer"], order, satisfaction="satisfied")
    set_active(u["admin"], u["gridworker"], False)
    before = told(order)
    services.reopen(u["leader"], order, comment="企业反映问题复发")
    assert order.state == "reopened" and told(order)[len(before):] == ["officer"]  # not the deactivated worker


def test_the_leaders_of_another_town_are_not_told_of_this_towns_orders(world):
    from wangge.core.models import Area, AreaLevel

    from ..conftest import make_user

    other = Area.objects.create(code="310105103", name="华阳镇", level=AreaLevel.TOWN)
    make_user("hy_leader", "town_leader", [other])
    u = world.users
    order = raise_order(world, kind=Kind.DEMAND, department=None, assignee="gridworker", actor="cadre")
    services.start(u["gridworker"], order)
    services.escalate(u["gridworker"], order, comment="需要镇里协调")
    assert told(order)[-1:] == ["leader"]
    assert not Notification.objects.filter(user__username="hy_leader").exists()
