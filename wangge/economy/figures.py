"""The economy at a glance, over the enterprises a user may see: every figure computed from rows."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q

from wangge.workorders.choices import Kind, Satisfaction, SatisfactionSource, State
from wangge.workorders.figures import median_time_to_close
from wangge.workorders.models import WorkOrder

from .choices import DemandCategory, EnterpriseStatus
from .models import Enterprise

DEFAULT_DAYS = 30


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def demand_orders_for(user, enterprises=None):
    """Enterprise-demand orders the user may see (of the given enterprises, when given)."""
    orders = WorkOrder.objects.visible_to(user).filter(
        kind=Kind.DEMAND, subject_type=ContentType.objects.get_for_model(Enterprise))
    if enterprises is not None:
        orders = orders.filter(subject_id__in=enterprises.values("pk"))
    return orders


def with_last_visit(enterprises):
    return enterprises.annotate(last_visit=Max("visits__visited_on"))


def not_visited(enterprises, days: int, today: datetime.date):
    """Enterprises in business with no visit in the last `days` days (never visited first)."""
    since = today - datetime.timedelta(days=days)
    return (with_last_visit(enterprises.filter(status=EnterpriseStatus.ACTIVE))
            .filter(Q(last_visit__isnull=True) | Q(last_visit__lte=since))
            .order_by("last_visit", "name", "id"))


def coverage(enterprises, days: int, today: datetime.date) -> dict:
    active = enterprises.filter(status=EnterpriseStatus.ACTIVE)
    since = today - datetime.timedelta(days=days)
    total = active.count()
    ever = active.filter(visits__isnull=False).distinct().count()
    recent = active.filter(visits__visited_on__gt=since).distinct().count()
    return {"enterprises": total, "visited": ever, "visited_share": _share(ever, total),
            "recent": recent, "recent_share": _share(recent, total), "not_recent": total - recent, "days": days}


def demand_figures(orders) -> dict:
    categories = dict(DemandCategory.choices)
    states = dict(State.choices)
    by_category = [{"category": r["category"], "label": str(categories.get(r["category"], r["category"])),
                    "total": r["total"], "open": r["open"], "closed": r["closed"]}
                   for r in orders.order_by().values("category").annotate(
                       total=Count("id"), open=Count("id", filter=~Q(state=State.CLOSED)),
                       closed=Count("id", filter=Q(state=State.CLOSED))).order_by("category")]
    by_state = [{"state": r["state"], "label": str(states[r["state"]]), "total": r["total"]}
                for r in orders.order_by().values("state").annotate(total=Count("id")).order_by("state")]
    # The latest answer of each order: a dissatisfied one is reopened, so not every answer is closed.
    answers = dict(orders.exclude(satisfaction="").order_by()
                   .values_list("satisfaction").annotate(n=Count("id")))
    answered = sum(answers.values())
    satisfaction = [{"satisfaction": value, "label": str(label), "total": answers.get(value, 0),
                     "share": _share(answers.get(value, 0), answered)} for value, label in Satisfaction.choices]
    # Who gave the answers: the enterprise itself (its rating link) or staff for it.
    sources = dict(orders.exclude(satisfaction="").order_by()
                   .values_list("satisfaction_source").annotate(n=Count("id")))
    by_source = [{"source": value, "label": str(label), "total": sources.get(value, 0),
                  "share": _share(sources.get(value, 0), answered)} for value, label in SatisfactionSource.choices
                 if value != SatisfactionSource.REPORTER]  # a public reporter never rates a demand
    median = median_time_to_close(orders)
    return {"total": sum(r["total"] for r in by_state), "by_category": by_category, "by_state": by_state,
            "satisfaction": satisfaction, "answered": answered, "by_source": by_source,
            "satisfied_share": _share(answers.get(Satisfaction.SATISFIED, 0)
                                      + answers.get(Satisfaction.BASICALLY_SATISFIED, 0), answered),
            "median_days": round(median.total_seconds() / 86400, 1) if median is not None else None}


def overview(user, enterprises, days: int, today: datetime.date) -> dict:
    return {"coverage": coverage(enterprises, days, today),
            "demands": demand_figures(demand_orders_for(user, enterprises))}
