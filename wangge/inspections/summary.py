"""A campaign's figures, computed from its tasks and inspections over what the user may see — never
typed in. The same numbers feed the page, the API, the ledger and (later) the dashboard."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from wangge.core.models import User
from wangge.core.natural import natural_key
from wangge.workorders.choices import State
from wangge.workorders.models import WorkOrder

from .choices import FlagReview, InspectionKind, Outcome, Shift, TaskReason, TaskState
from .models import Campaign, Inspection, Task

# Figures other apps add to the summary (the enforcement papers by kind): name -> fn(campaign, user,
# counted inspections, until). Registered in their AppConfig.ready, so this app imports none of them.
EXTRA_FIGURES: dict = {}


def register_figure(name: str, compute) -> None:
    EXTRA_FIGURES[name] = compute


def _done(until) -> Q:
    """A task inspected (by `until`, when given: its inspection's time, not when it was typed in)."""
    done = Q(state=TaskState.DONE)
    return done & Q(inspection__inspected_at__lt=until) if until is not None else done


def campaign_summary(campaign: Campaign, user: User, until: datetime.datetime | None = None) -> dict:
    """`until`: the figures as they stood then (a review's end): inspections made before it, orders open
    then; the tasks in scope are the round's plan."""
    tasks = Task.objects.visible_to(user).filter(campaign=campaign).exclude(reason=TaskReason.REINSPECTION)
    scoped = Inspection.objects.visible_to(user).filter(campaign=campaign)
    today, open_q = timezone.localdate(), ~Q(state=State.CLOSED)
    if until is not None:
        scoped = scoped.filter(inspected_at__lt=until)
        today = timezone.localtime(until).date() - datetime.timedelta(days=1)  # the last day before `until`
        open_q = Q(closed_at__isnull=True) | Q(closed_at__gte=until)
    inspections = scoped.counted()  # a voided inspection counts nowhere (its task is to be done again)
    reviews = dict(scoped.flagged().values_list("flag_review").annotate(n=Count("pk")).order_by())
    first = inspections.filter(kind=InspectionKind.ROUTINE)
    counts = tasks.aggregate(in_scope=Count("pk"), inspected=Count("pk", filter=_done(until)))
    outcomes = dict(first.values_list("outcome").annotate(n=Count("pk")).order_by())
    shifts = dict(inspections.values_list("shift").annotate(n=Count("pk")).order_by())
    order_ids = inspections.filter(work_order__isnull=False).values("work_order_id")
    orders = WorkOrder.objects.filter(pk__in=order_ids).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(deadline__lt=today)),
    )
    passed = (inspections.filter(kind=InspectionKind.REINSPECTION, outcome__in=[Outcome.COMPLIANT, Outcome.FIXED])
              .values("work_order_id").distinct().count())
    return {
        "campaign": campaign.pk,
        "in_scope": counts["in_scope"],
        "inspected": counts["inspected"],
        "not_yet": counts["in_scope"] - counts["inspected"],
        "compliant": outcomes.get(Outcome.COMPLIANT, 0),
        "fixed_on_the_spot": outcomes.get(Outcome.FIXED, 0),
        "rectification_orders": orders["total"],
        "rectification_open": orders["open"],
        "rectification_overdue": orders["overdue"],
        "rectification_passed": passed,
        "suspended": first.filter(outcome=Outcome.RECTIFICATION, suspended=True).values("premises_id").distinct()
        .count(),
        "shutdowns": inspections.filter(outcome=Outcome.SHUTDOWN).values("premises_id").distinct().count(),
        "reinspections": inspections.filter(kind=InspectionKind.REINSPECTION).count(),
        "people_deployed": User.objects.filter(inspections__in=inspections).distinct().count(),
        "day_inspections": shifts.get(Shift.DAY, 0),
        "night_inspections": shifts.get(Shift.NIGHT, 0),
        # Plausibility: flagged and still counted (to check or confirmed), of which to check; voided.
        "flagged": reviews.get(FlagReview.PENDING, 0) + reviews.get(FlagReview.CONFIRMED, 0),
        "flagged_unreviewed": reviews.get(FlagReview.PENDING, 0),
        "voided": reviews.get(FlagReview.VOIDED, 0),
        **{name: compute(campaign, user, inspections, until) for name, compute in EXTRA_FIGURES.items()},
    }


def coverage(campaign: Campaign, user: User, by: str, until: datetime.datetime | None = None) -> list[dict]:
    """In scope / inspected / not yet, by grid, category or shift."""
    field = {"grid": "premises__grid__name", "neighbourhood": "premises__grid__parent__name",
             "category": "premises__category__name", "shift": "shift"}[by]
    tasks = Task.objects.visible_to(user).filter(campaign=campaign).exclude(reason=TaskReason.REINSPECTION)
    rows = (tasks.values(field).annotate(in_scope=Count("pk"), inspected=Count("pk", filter=_done(until)))
            .order_by())
    rows = sorted(rows, key=lambda r: natural_key(r[field]))  # 一村, 二村, 三村 (not code-point order)
    labels = dict(Shift.choices) if by == "shift" else {}
    return [{"label": str(labels.get(r[field], r[field] or "—")), "key": r[field], "in_scope": r["in_scope"],
             "inspected": r["inspected"], "not_yet": r["in_scope"] - r["inspected"],
             "percent": round(100 * r["inspected"] / r["in_scope"]) if r["in_scope"] else 0} for r in rows]
