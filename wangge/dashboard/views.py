"""The town dashboard, its JSON twin, the grid map's data and the big screen. Every figure comes from
the providers in `sources/`, over what the signed-in user may see."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from wangge.core.permissions import login_required

from .gridmap import grid_map, measures_for
from .period import PeriodError, parse_period
from .sources import collect


def _period(request):
    try:
        return parse_period(request.GET), None
    except PeriodError as exc:
        return None, str(exc)


def dashboard_data(user, period) -> dict:
    return {"period": {"from": period.start.isoformat(), "to": period.end.isoformat()} if period else None,
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "sections": [s.as_dict() for s in collect(user, period)]}


def _bad_period(error: str) -> JsonResponse:
    """The API's one error shape (docs/API.md), field by field."""
    return JsonResponse({"detail": error, "errors": [{"field": "from", "message": error}]}, status=422,
                        json_dumps_params={"ensure_ascii": False})


@login_required
def home(request):
    period, error = _period(request)
    if error:
        messages.error(request, error)
    sections = collect(request.user, period)
    charts = {f"{s.key}-{t.key}": table for s in sections
              for t, table in zip(s.tables, s.as_dict()["tables"], strict=True) if t.chart and t.rows}
    return render(request, "dashboard/home.html", {
        "sections": sections, "charts": charts, "period": period, "scope": request.user.areas.all(),
        "measures": measures_for(request.user), "query_string": request.GET.urlencode()})


@login_required
def data(request):
    period, error = _period(request)
    if error:
        return _bad_period(error)
    return JsonResponse(dashboard_data(request.user, period), json_dumps_params={"ensure_ascii": False})


@login_required
def map_data(request):
    period, error = _period(request)
    if error:
        return _bad_period(error)
    return JsonResponse(grid_map(request.user, request.GET.get("measure", ""), period),
                        json_dumps_params={"ensure_ascii": False})


@login_required
def screen(request):
    return render(request, "dashboard/screen.html", {"measures": measures_for(request.user)})
