"""The town dashboard, its JSON twin, the grid map's data and the big screen. Every figure comes from
the providers in `sources/`, over what the signed-in user may see."""

import json

from django.contrib import messages
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from wangge.core.permissions import login_required
from wangge.core.roles import Role

from .gridmap import grid_map, measures_for
from .period import PeriodError, parse_period
from .rollup.refresh import ensure_fresh
from .rounds import RoundError, pick
from .screen import SCREEN_CACHE, screen_cache_key, screen_extras
from .sources import collect


def _period(request):
    """The period and the inspection rounds (`?campaign=`) asked for, or an error (then the defaults).
    The rounds' sizes come from the roll-up, brought up to date first; only rounds the user may see."""
    rolled, user = ensure_fresh(), request.user
    try:
        period = parse_period(request.GET)
    except PeriodError as exc:
        return None, pick(None, rolled=rolled, user=user), ("from", str(exc))
    try:
        return period, pick(period, request.GET.get("campaign"), rolled=rolled, user=user), None
    except RoundError as exc:
        return period, pick(period, rolled=rolled, user=user), ("campaign", str(exc))


def rounds_data(rounds) -> dict:
    return {"chosen": rounds.chosen.round.pk if rounds.chosen else None,
            "choices": [{"id": c.round.pk, "label": c.label} for c in rounds.choices]}


def dashboard_data(user, period, rounds=None) -> dict:
    if rounds is None:
        rounds = pick(period, rolled=ensure_fresh(), user=user)
    return {"period": {"from": period.start.isoformat(), "to": period.end.isoformat()} if period else None,
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "rounds": rounds_data(rounds),
            "sections": [s.as_dict() for s in collect(user, period, rounds)]}


def _bad_period(error: tuple[str, str]) -> JsonResponse:
    """The API's one error shape (docs/API.md), field by field."""
    field, message = error
    return JsonResponse({"detail": message, "errors": [{"field": field, "message": message}]}, status=422,
                        json_dumps_params={"ensure_ascii": False})


def calendar_warning(user) -> str:
    """For administrators only: next year has no official holiday calendar (deadlines would count its
    public holidays as working days)."""
    if Role.ADMIN not in user.roles:
        return ""
    from django.utils.translation import gettext as _

    from wangge.workorders.holidays import missing_year

    year = missing_year()
    if year is None:
        return ""
    return _("The %(year)s holiday calendar has not been imported: overdue counting will treat public holidays "
             "as working days. Run wangge holidays --year %(year)s") % {"year": year}


@login_required
def home(request):
    period, rounds, error = _period(request)
    if error:
        messages.error(request, error[1])
    sections = collect(request.user, period, rounds)
    charts = {f"{s.key}-{t.key}": table for s in sections
              for t, table in zip(s.tables, s.as_dict()["tables"], strict=True) if t.chart and t.rows}
    return render(request, "dashboard/home.html", {
        "sections": sections, "charts": charts, "period": period, "scope": request.user.areas.all(),
        "measures": measures_for(request.user), "query_string": request.GET.urlencode(), "rounds": rounds,
        "calendar_warning": calendar_warning(request.user)})


@login_required
def data(request):
    period, rounds, error = _period(request)
    if error:
        return _bad_period(error)
    return JsonResponse(dashboard_data(request.user, period, rounds), json_dumps_params={"ensure_ascii": False})


@login_required
def map_data(request):
    period, rounds, error = _period(request)
    if error:
        return _bad_period(error)
    return JsonResponse(grid_map(request.user, request.GET.get("measure", ""), period, rounds),
                        json_dumps_params={"ensure_ascii": False})


@login_required
def screen_data(request):
    """The big screen's one request per refresh: the sections, trends, rankings and alerts. Every screen
    polls it, so the answer is kept SCREEN_CACHE seconds for everyone who sees the same (screen_cache_key)."""
    key = screen_cache_key(request.user, request.GET)
    body = cache.get(key) if key else None
    if body is None:
        period, rounds, error = _period(request)
        if error:
            return _bad_period(error)
        body = json.dumps({**dashboard_data(request.user, period, rounds), **screen_extras(request.user)},
                          ensure_ascii=False, cls=DjangoJSONEncoder)
        if key:
            cache.set(key, body, SCREEN_CACHE)
    return HttpResponse(body, content_type="application/json")


SCREEN_REFRESH = (60, 2, 600)  # seconds: default, least, most


@login_required
def screen(request):
    """`?refresh=N` seconds between updates (60 by default)."""
    default, least, most = SCREEN_REFRESH
    asked = request.GET.get("refresh", "")
    refresh = min(max(int(asked), least), most) if asked.isdecimal() else default
    rounds = _period(request)[1]
    grid_query = f"campaign={rounds.chosen.round.pk}" if rounds and rounds.chosen else ""
    return render(request, "dashboard/screen.html", {"measures": measures_for(request.user), "rounds": rounds,
                                                     "refresh": refresh, "grid_query": grid_query})
