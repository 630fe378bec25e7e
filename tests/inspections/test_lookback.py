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
