"""The risk page: premises by risk band, "posted but not scanned" flags, escalation steps taken."""

import datetime

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.places.models import Premises

from .choices import LadderStep, RiskBand
from .models import LadderEntry, ScanCompliance

LADDER_DAYS = 90


def risk_figures(user) -> dict:
    premises = Premises.objects.visible_to(user)
    bands = dict(premises.values_list("risk__band").annotate(n=Count("pk")).order_by())
    bands[RiskBand.LOW] = bands.get(RiskBand.LOW, 0) + bands.pop(None, 0)  # not scored yet: nothing known against it
    since = timezone.now() - datetime.timedelta(days=LADDER_DAYS)
    steps = dict(LadderEntry.objects.visible_to(user).filter(taken_at__gte=since).values_list("step")
                 .annotate(n=Count("pk")).order_by())
    return {
        "bands": [{"band": b, "label": str(label), "count": bands.get(b, 0)} for b, label in RiskBand.choices],
        "flagged_by_scans": ScanCompliance.objects.filter(flagged=True, premises__in=premises).count(),
        "ladder_steps": [{"step": s, "label": str(label), "count": steps.get(s, 0)} for s, label in LadderStep.choices],
        "ladder_days": LADDER_DAYS,
    }


@permission_required(Perm.VIEW_INSPECTIONS)
def risk_overview(request):
    premises = Premises.objects.visible_to(request.user)
    band = request.GET.get("band")
    riskiest = premises.filter(risk__isnull=False).select_related("risk", "grid", "category")
    if band in RiskBand.values:
        riskiest = riskiest.filter(risk__band=band)
    return render(request, "inspections/risk.html", {
        "figures": risk_figures(request.user), "band": band,
        "riskiest": riskiest.order_by("-risk__score", "name")[:50],
        "flagged": ScanCompliance.objects.filter(flagged=True, premises__in=premises)
        .select_related("premises__grid").order_by("flagged_since")[:200],
        "steps": LadderEntry.objects.visible_to(request.user).select_related("premises", "inspection")
        .order_by("-taken_at")[:50],
        "can_import": request.user.can(Perm.MANAGE_CAMPAIGNS),
    })
