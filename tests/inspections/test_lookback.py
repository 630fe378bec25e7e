"""The look-back round: its plan text (#20.19) and its comparison with the first round (#20.17)."""

import datetime

from django.utils import timezone, translation

from wangge.inspections import services
from wangge.inspections.models import Campaign

from .helpers import campaign

TODAY = timezone.localdate()


def test_lookback_plan_quotes_a_quoted_name_once(world):
    c = campaign(world, plan=False)
    Campaign.objects.filter(pk=c.pk).update(name="“两节”重点场所大排查")
    c.refresh_from_db()
    with translation.override("zh-hans"):
        lookback = services.create_lookback(world.users["admin"], c, name="回头看", starts_on=TODAY,
                                            ends_on=TODAY + datetime.timedelta(days=1))
    assert "““" not in lookback.plan and "””" not in lookback.plan, lookback.plan
    assert "‘两节’重点场所大排查" in lookback.plan


def test_comparison_shows_the_finding_the_rectification_and_the_lookback(world, login):
    """#20.17: a passed re-inspection no longer hides the first finding: the row shows the finding, the
    rectification (its order and re-inspection) and the look-back's result."""
    import re

    from django.urls import reverse

    from wangge.inspections.models import Task

    from .helpers import COMPLIANT, submit

    c = campaign(world)
    task = Task.objects.get(campaign=c, premises=world.premises["linquan1"], reason="scope")
    first, _ = submit(world, task, answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                      rectification_items="补建消杀台账", deadline=TODAY + datetime.timedelta(days=3))
    again, _ = submit(world, Task.objects.get(campaign=c, reason="reinspection"))
    lookback = services.create_lookback(world.users["admin"], c, name="回头看", starts_on=TODAY,
                                        ends_on=TODAY + datetime.timedelta(days=1), share=0)
    back, _ = submit(world, Task.objects.get(campaign=lookback, premises=world.premises["linquan1"]))
    page = login(world.users["admin"]).get(reverse("inspections:lookback_compare", args=[lookback.pk]))
    html = page.content.decode()
    row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if "老王面馆" in r)
    cells = dict(re.findall(r'data-col="(\w+)">(.*?)</td>', row, re.S))
    assert f"/inspections/records/{first.pk}/" in cells["first"] and "责令整改" in cells["first"]
    assert f"/workorders/{first.work_order_id}/" in cells["rectification"]
    assert f"/inspections/records/{again.pk}/" in cells["rectification"]
    assert f"/inspections/records/{back.pk}/" in cells["lookback"]
