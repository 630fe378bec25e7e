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


def ladder_days(value) -> int | None:
    """`?days=N` (1–3650) narrows the escalation steps to the last N days; otherwise all on record."""
    text = str(value or "")
    return int(text) if text.isdecimal() and 0 < int(text) <= 3650 else None


def risk_figures(user, days: int | None = None) -> dict:
    """Counted from rows each time: premises by band, scan flags, and the escalation steps recorded
    (entries, one per problem, and the distinct premises they were taken at)."""
    premises = Premises.objects.visible_to(user)
    bands = dict(premises.values_list("risk__band").annotate(n=Count("pk")).order_by())
    bands[RiskBand.LOW] = bands.get(RiskBand.LOW, 0) + bands.pop(None, 0)  # not scored yet: nothing known against it
    entries = LadderEntry.objects.visible_to(user)
    if days:
        entries = entries.filter(taken_at__gte=timezone.now() - datetime.timedelta(days=days))
    steps = {s: (n, p) for s, n, p in entries.values_list("step").annotate(
        n=Count("pk"), p=Count("premises", distinct=True)).values_list("step", "n", "p").order_by()}
    return {
        "bands": [{"band": b, "label": str(label), "count": bands.get(b, 0)} for b, label in RiskBand.choices],
        "flagged_by_scans": ScanCompliance.objects.filter(flagged=True, premises__in=premises).count(),
        "ladder_steps": [{"step": s, "label": str(label), "count": steps.get(s, (0, 0))[0],
                          "premises": steps.get(s, (0, 0))[1]} for s, label in LadderStep.choices],
        "ladder_days": days,
    }


@permission_required(Perm.VIEW_INSPECTIONS)
def risk_overview(request):
    premises = Premises.objects.visible_to(request.user)
    band = request.GET.get("band")
    riskiest = premises.filter(risk__isnull=False).select_related("risk", "grid", "category")
    if band in RiskBand.values:
        riskiest = riskiest.filter(risk__band=band)
    return render(request, "inspections/risk.html", {
        "figures": risk_figures(request.user, ladder_days(request.GET.get("days"))), "band": band,
        "riskiest": riskiest.order_by("-risk__score", "name")[:50],
        "flagged": ScanCompliance.objects.filter(flagged=True, premises__in=premises)
        .select_related("premises__grid").order_by("flagged_since")[:200],
        "steps": LadderEntry.objects.visible_to(request.user).select_related("premises", "inspection")
        .order_by("-taken_at")[:50],
        "can_import": request.user.can(Perm.MANAGE_CAMPAIGNS),
    })
