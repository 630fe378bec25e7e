"""Figures over the orders a user may see: a handful of aggregate queries, whatever the row count."""

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from .choices import Kind, State

CLOSED = Q(state=State.CLOSED)
COUNTS = {
    "open": Count("id", filter=~CLOSED),
    "overdue": Count("id", filter=~CLOSED & Q(overdue_level__gt=0)),
    "closed": Count("id", filter=CLOSED),
    "on_time": Count("id", filter=CLOSED & Q(closed_at__date__lte=F("deadline"))),
}


def _rate(on_time: int, closed: int) -> float | None:
    return round(100 * on_time / closed, 1) if closed else None


def median_time_to_close(orders):
    """The median of closed_at - created_at: one count and one ordered pick (works on SQLite and PostgreSQL)."""
    closed = orders.filter(CLOSED, closed_at__isnull=False).annotate(
        took=ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())).order_by("took")
    n = closed.count()
    if not n:
        return None
    middle = list(closed.values_list("took", flat=True)[(n - 1) // 2: n // 2 + 1])
    return sum(middle[1:], middle[0]) / len(middle)


def figures(orders) -> dict:
    kinds = dict(Kind.choices)
    by_kind = [{"label": kinds.get(r["kind"], r["kind"]), **r, "rate": _rate(r["on_time"], r["closed"])}
               for r in orders.order_by().values("kind").annotate(**COUNTS).order_by("kind")]
    by_department = [{"label": r["department__name"] or "—", **r, "rate": _rate(r["on_time"], r["closed"])}
                     for r in orders.order_by().values("department__name").annotate(**COUNTS)
                     .order_by("department__name")]
    total = orders.order_by().aggregate(**COUNTS)
    total["rate"] = _rate(total["on_time"], total["closed"])
    return {"by_kind": by_kind, "by_department": by_department, "total": total,
            "median": median_time_to_close(orders)}
