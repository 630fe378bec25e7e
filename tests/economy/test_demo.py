import pytest

from wangge.core import demo as core_demo
from wangge.core.validators import validate_credit_code
from wangge.economy import demo
from wangge.economy.models import DemandRoute, Enterprise, EnterpriseVisit, Park
from wangge.workorders.models import WorkOrder


@pytest.mark.django_db
def test_demo_loads_the_xijiao_park_idempotently():
    context = core_demo.load()
    demo.load(context)
    counts = (Park.objects.count(), Enterprise.objects.count(), EnterpriseVisit.objects.count(),
              WorkOrder.objects.count())
    demo.load(context)
    assert (Park.objects.count(), Enterprise.objects.count(), EnterpriseVisit.objects.count(),
            WorkOrder.objects.count()) == counts
    assert Park.objects.get().name == "西郊国际金融产业园"
    assert counts[1] == 15 and counts[2] >= 12
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        assert validate_credit_code(code) == code
    assert {v.month for v in EnterpriseVisit.objects.values_list("visited_on", flat=True)} == {7}
    demands = WorkOrder.objects.filter(kind="demand")
    assert {"new", "assigned", "in_progress", "closed", "reopened"} <= set(demands.values_list("state", flat=True))
    assert {"satisfied", "basically_satisfied"} <= set(demands.filter(state="closed").values_list("satisfaction",
                                                                                                   flat=True))
    assert demands.filter(state="reopened", satisfaction="dissatisfied").exists()
    assert not DemandRoute.objects.filter(department__isnull=True).exists()
