"""What the big screen (大屏) adds to the dashboard's sections: daily trends of the last 14 days, rankings of
grids and departments by work orders, and the alerts that scroll. Every number is counted from the
records the user may see, a few aggregate queries whatever the data size."""

import datetime
import hashlib

from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wangge.core.models import Department
from wangge.core.natural import natural_key
from wangge.core.roles import Perm
from wangge.inspections.choices import InspectionKind, Outcome
from wangge.inspections.models import Inspection
from wangge.vaccination.models import Dose
from wangge.workorders.choices import State
from wangge.workorders.figures import COUNTS
from wangge.workorders.models import WorkOrder, WorkOrderEvent

from .links import list_url
from .rollup.figures import order_counts, orders_by_grid
from .rollup.read import rollup_for

TREND_DAYS = 14
RANK_ROWS = 8
ALERTS_MAX = 20
FINDINGS_DAYS = 7


def _per_day(rows, days: list[datetime.date]) -> list[int]:
    counts = {day: n for day, n in rows}
    return [counts.get(day, 0) for day in days]


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _daily(queryset, date_field: str, days):
    """Rows per local day: `date_field` is a DateField or `<datetime>__date` (local time). A datetime is
    bounded by local midnights, not `__date` ranges: a function of the column would scan the whole table."""
    if date_field.endswith("__date"):
        column = date_field.removesuffix("__date")
        bounds = {f"{column}__gte": _midnight(days[0]), f"{column}__lt": _midnight(days[-1] + datetime.timedelta(1))}
    else:
        bounds = {f"{date_field}__gte": days[0], f"{date_field}__lte": days[-1]}
    return _per_day(queryset.filter(**bounds).order_by().values_list(date_field).annotate(n=Count("pk")), days)


def trends(user, today: datetime.date) -> dict:
    """Inspections, work orders opened and closed, and vaccine doses per day, the last 14 days."""
    days = [today - datetime.timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1)]
    if (rolled := rollup_for(user)) is not None:
        return _rolled_trends(user, rolled, days)
    series = []
    if user.can(Perm.VIEW_INSPECTIONS):
        series.append({"key": "inspections", "label": _("Inspections"),
                       "data": _daily(Inspection.objects.visible_to(user).counted(), "inspected_at__date", days)})
    if user.can(Perm.VIEW_WORKORDERS):
        orders = WorkOrder.objects.visible_to(user)
        closings = WorkOrderEvent.objects.filter(order__in=orders.values("pk"), to_state=State.CLOSED)
        series += [{"key": "orders_opened", "label": _("Work orders opened"),
                    "data": _daily(orders, "created_at__date", days)},
                   {"key": "orders_closed", "label": _("Work orders closed"),
                    "data": _daily(closings, "at__date", days)}]
    if user.can(Perm.VIEW_VACCINATION):
        series.append({"key": "doses", "label": _("Vaccine doses"),
                       "data": _daily(Dose.objects.visible_to(user).filter(voided_at__isnull=True), "given_on", days)})
    return _trend_days(days, series)


def _trend_days(days, series) -> dict:
    return {"days": [f"{d.month}月{d.day}日" for d in days], "dates": [d.isoformat() for d in days],
            "series": series}


def _rolled_trends(user, rollup, days) -> dict:
    """The same series from the roll-up's daily rows (one query)."""
    wanted = [("inspections", _("Inspections"), Perm.VIEW_INSPECTIONS),
              ("orders_opened", _("Work orders opened"), Perm.VIEW_WORKORDERS),
              ("orders_closed", _("Work orders closed"), Perm.VIEW_WORKORDERS),
              ("doses", _("Vaccine doses"), Perm.VIEW_VACCINATION)]
    wanted = [w for w in wanted if user.can(w[2])]
    rows = (rollup.rows().filter(key__in=[f"trend:{k}" for k, *_ in wanted], day__gte=days[0], day__lte=days[-1])
            .values_list("key", "day").annotate(n=Sum("value")))
    by_key: dict = {}
    for key, day, n in rows:
        by_key.setdefault(key, []).append((day, n))
    return _trend_days(days, [{"key": k, "label": label, "data": _per_day(by_key.get(f"trend:{k}", []), days)}
                              for k, label, _perm in wanted])


def _rate(on_time: int, closed: int) -> float | None:
    return round(100 * on_time / closed, 1) if closed else None


def _ranked(rows, name_field: str, link) -> list[dict]:
    """Best first: the highest on-time rate, then the fewest overdue; units with nothing closed last."""
    out = [{"name": r[name_field] or "—", "on_time_rate": _rate(r["on_time"], r["closed"]), "overdue": r["overdue"],
            "open": r["open"], "closed": r["closed"], "url": link(r)} for r in rows]
    out.sort(key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), r["overdue"],
                            natural_key(r["name"])))
    for n, row in enumerate(out, 1):
        row["rank"] = n
    return out[:RANK_ROWS]


def rankings(user) -> dict:
    if not user.can(Perm.VIEW_WORKORDERS):
        return {"grids": [], "departments": []}
    if (rolled := rollup_for(user)) is not None:
        by_grid = orders_by_grid(rolled)
        counts = {int(d): c for d, c in order_counts(rolled, "dept").items() if d != "0"}
        names = dict(Department.objects.filter(pk__in=counts).values_list("pk", "name"))
        by_department = [{"department_id": d, "department__name": names.get(d), **c} for d, c in counts.items()]
    else:
        orders = WorkOrder.objects.visible_to(user).order_by()
        by_grid = orders.values("grid_id", "grid__name").annotate(**COUNTS)
        by_department = orders.filter(department__isnull=False).values("department_id", "department__name") \
            .annotate(**COUNTS)
    return {
        "grids": _ranked(by_grid, "grid__name",
                         lambda r: list_url("workorders:order_list", grid=r["grid_id"], overdue=1)),
        "departments": _ranked(by_department, "department__name",
                               lambda r: list_url("workorders:order_list", department=r["department_id"],
                                                  overdue=1)),
    }


def alerts(user, today: datetime.date) -> list[dict]:
    """Overdue work orders (longest first), then the last week's shutdowns and rectification orders."""
    out = []
    if user.can(Perm.VIEW_WORKORDERS):
        overdue = (WorkOrder.objects.visible_to(user).exclude(state=State.CLOSED).filter(overdue_level__gt=0)
                   .select_related("grid").order_by("deadline", "id")
                   .only("pk", "title", "deadline", "grid__name")[:ALERTS_MAX])
        out += [{"level": "overdue", "url": list_url("workorders:order_detail", o.pk),
                 "text": _("Overdue since %(date)s: %(title)s (%(grid)s)") % {
                     "date": f"{o.deadline.month}月{o.deadline.day}日", "title": o.title, "grid": o.grid.name}}
                for o in overdue]
    if user.can(Perm.VIEW_INSPECTIONS):
        since = today - datetime.timedelta(days=FINDINGS_DAYS - 1)
        findings = (Inspection.objects.visible_to(user)
                    .filter(kind=InspectionKind.ROUTINE, outcome__in=(Outcome.SHUTDOWN, Outcome.RECTIFICATION),
                            inspected_at__gte=_midnight(since))
                    .select_related("grid").order_by("-inspected_at", "-id")
                    .only("pk", "subject_label", "outcome", "inspected_at", "grid__name")[:ALERTS_MAX])
        for i in findings:
            at = timezone.localtime(i.inspected_at)
            out.append({"level": i.outcome, "url": list_url("inspections:inspection_detail", i.pk),
                        "text": _("%(date)s %(subject)s (%(grid)s): %(outcome)s") % {
                            "date": f"{at.month}月{at.day}日", "subject": i.subject_label, "grid": i.grid.name,
                            "outcome": i.get_outcome_display()}})
    return out


SCREEN_CACHE = 30  # seconds the big screen's answer is shared


def screen_cache_key(user, params) -> str | None:
    """One key per scope: users whose figures come from the roll-up over the same grids, with the same
    permissions and towns (the rounds offered are their towns', docs/TOWNS.md), see the same screen; anyone
    else (counted directly: owners, departments) is not cached."""
    from .rollup.scope import SomeGrids, grid_scope

    scope = grid_scope(user)
    if scope is None:
        return None
    grids = ",".join(sorted(scope.paths)) if isinstance(scope, SomeGrids) else "*"
    asked = "&".join(f"{k}={params.get(k, '')}" for k in ("from", "to", "campaign"))
    towns = ",".join(str(pk) for pk in user.town_ids)
    raw = f"{grids}|{towns}|{','.join(sorted(user.permissions))}|{asked}|{translation.get_language()}"
    return "dashboard:screen:" + hashlib.sha256(raw.encode()).hexdigest()


def screen_extras(user) -> dict:
    today = timezone.localdate()
    return {"trends": trends(user, today), "rankings": rankings(user), "alerts": alerts(user, today)}
