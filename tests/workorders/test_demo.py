import pytest

from wangge.core import demo as core_demo
from wangge.workorders import demo
from wangge.workorders.models import FieldVisit, WorkOrder


@pytest.mark.django_db
def test_demo_loads_four_visits_idempotently():
    context = core_demo.load()
    demo.load(context)
    counts = (FieldVisit.objects.count(), WorkOrder.objects.count())
    states = set(WorkOrder.objects.values_list("state", flat=True))
    demo.load(context)
    assert (FieldVisit.objects.count(), WorkOrder.objects.count()) == counts
    assert counts[0] == 4 and counts[1] >= 10
    assert {"new", "assigned", "in_progress", "awaiting_verification", "closed", "returned", "escalated"} <= states
    assert set(WorkOrder.objects.values_list("kind", flat=True)) == {"instruction"}
