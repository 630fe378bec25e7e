"""#20.8: a rectification goes to the unit that enforces the violated items (the checklist item's, else
its checklist's), falling back to the premises category's unit; that unit's officer sees the order and
the inspection that raised it."""

import datetime
import uuid

from django.db import connection
from django.utils import timezone

from wangge.core.models import Department
from wangge.inspections import services
from wangge.inspections.models import Checklist, ChecklistItem
from wangge.inspections.routing import rectification_department
from wangge.places.regulators import regulator_of
from wangge.workorders.models import WorkOrder

from ..conftest import make_user
from .helpers import COMPLIANT, checklists

FIRE_OK = {"exits_clear": "yes", "extinguishers": "yes", "wiring": "yes", "gas": "规范", "evacuation_plan": "yes"}


def _rectify(world, checklist, answers, premises_key="linquan1"):
    inspection, _ = services.submit_inspection(
        world.users["inspector"], client_id=uuid.uuid4(), premises=world.premises[premises_key],
        checklist=checklist, answers=answers, outcome="rectification", inspectors=[world.users["officer"]],
        rectification_items="整改", deadline=timezone.localdate() + datetime.timedelta(days=5))
    return inspection


def _order_unit(inspection) -> int | None:
    with connection.cursor() as cursor:  # the oracle: the stored row, not the service's answer
        cursor.execute("SELECT w.department_id FROM workorders_workorder w JOIN inspections_inspection i "
                       "ON i.work_order_id = w.id WHERE i.id = %s", [inspection.pk])
        return cursor.fetchone()[0]


def test_a_fire_violation_at_a_restaurant_goes_to_the_fire_unit(world, client):
    lists = checklists()
    fire_unit = Department.objects.create(town=world.town, code="XFZ", name="消防救援站", is_enforcement=True)
    Checklist.objects.filter(pk=lists["fire"].pk).update(department=fire_unit)
    fire_officer = make_user("fireman", "department_officer", [], [fire_unit])
    # A restaurant (market supervision's category) without a gas alarm: the fire unit's order.
    inspection = _rectify(world, Checklist.objects.get(pk=lists["fire"].pk), dict(FIRE_OK, gas="无报警装置"))
    assert _order_unit(inspection) == fire_unit.pk
    assert regulator_of(world.premises["linquan1"]) == world.departments["market"]
    # The fire unit's officer sees both the order and the inspection; the market officer still sees the
    # inspection (its category) but the order is not theirs to work.
    assert WorkOrder.objects.visible_to(fire_officer).filter(pk=inspection.work_order_id).exists()
    assert type(inspection).objects.visible_to(fire_officer).filter(pk=inspection.pk).exists()
    assert type(inspection).objects.visible_to(world.users["officer"]).filter(pk=inspection.pk).exists()


def test_an_item_names_its_own_unit_and_unnamed_items_fall_back_to_the_category(world):
    lists = checklists()
    police = Department.objects.create(town=world.town, code="PCS", name="派出所", is_enforcement=True)
    ChecklistItem.objects.filter(checklist=lists["epidemic"], code="venue_code_applied").update(department=police)
    epidemic = Checklist.objects.get(pk=lists["epidemic"].pk)
    # No unit on the item or the checklist: the category's (restaurant → market supervision).
    plain = _rectify(world, epidemic, dict(COMPLIANT, disinfection="no"))
    assert _order_unit(plain) == world.departments["market"].pk
    # Two major items, one each: the first in checklist order (the police's venue code) takes it.
    hotels = world.premises["linquan2"].category
    hotels.department = world.departments["health"]
    hotels.save()
    tie = _rectify(world, epidemic, dict(COMPLIANT, venue_code_applied="no", disinfection="no"), "linquan2")
    assert _order_unit(tie) == police.pk
    # A critical item falling back to the category outranks the police's major one.
    worse = _rectify(world, epidemic, dict(COMPLIANT, venue_code_applied="no", staff_tested="1"), "beihong1")
    assert _order_unit(worse) == world.departments["market"].pk


def test_the_ranking_rule():
    """Severity first, then the number of items, then checklist order (plain objects: no database)."""
    class Unit:
        def __init__(self, pk):
            self.pk = pk

    class Item:
        def __init__(self, order, severity, unit):
            self.order, self.severity, self.department = order, severity, unit
            self.checklist = type("C", (), {"department": None})()

    a, b, fallback = Unit(1), Unit(2), Unit(9)
    assert rectification_department([], fallback) is fallback
    assert rectification_department([Item(1, "major", a), Item(2, "critical", b)], fallback) is b
    assert rectification_department([Item(1, "major", a), Item(2, "major", b), Item(3, "minor", b)], fallback) is b
    assert rectification_department([Item(2, "major", b), Item(1, "major", a)], fallback) is a
    assert rectification_department([Item(1, "major", None), Item(2, "minor", a)], fallback) is fallback
