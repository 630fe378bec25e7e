"""The figures of a set of grids, counted from the source tables with grouped queries: one row per
(grid, key, day, part). Keys (the readers in `read.py` spell them the same way):

- `task:<campaign>:in_scope`, `task:<campaign>:done`: a round's tasks, re-inspections excluded, by the
  premises' grid (the rounds' sizes and the coverage table);
- `insp:<campaign>:routine:<outcome>`, `insp:<campaign>:shift:<shift>`, `insp:<campaign>:reinspections`:
  counted (not voided) inspections by their own grid;
- `insp:<campaign>:orders` / `:shutdowns` / `:people`, part = the work order / premises / person: counted
  distinct across grids by the reader;
- `wo:kind:<kind>:<measure>`, `wo:dept:<department or 0>:<measure>` for open, overdue, closed, on_time;
- `prem:key:<status>` (key premises), `prem:risk:<band>` (no score: low), `prem:scan_flagged`;
- `res:count` (registered residents);
- `vacc:<measure>` (population, first, full, boosted, contraindicated, census) of the living residents by birth
  day, births before the window (vaccination_window) on its first day, births after it left out; the
  temporary contraindications as `vacc:census_until`, part = the day they hold until (as an ordinal), and
  `vacc:window` (day: first birth day kept exactly, part: last one as an ordinal) to check a reference date;
- `trend:<series>` with a day: the big screen's daily series (inspections, orders opened and closed, doses)
  from TREND_KEPT days before the day they were counted on (the screen reads the last 14).
"""

import datetime
from collections import defaultdict

from django.db.models import Case, Count, DateField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from wangge.community.models import Resident
from wangge.inspections.choices import InspectionKind, Outcome, TaskReason, TaskState
from wangge.inspections.models import Inspection, ScanCompliance, Task
from wangge.places.choices import RiskBand
from wangge.places.models import Premises
from wangge.workorders.figures import COUNTS
from wangge.workorders.models import WorkOrder


def _grids(queryset, path: str, grids):
    """Rows of these grids (None: all); grid 0 stands for rows without one."""
    if grids is None:
        return queryset.order_by()
    real = [g for g in grids if g]
    condition = Q(**{f"{path}__in": real})
    if 0 in grids:
        condition |= Q(**{f"{path}__isnull": True})
    return queryset.filter(condition).order_by()


def _tasks(grids, out):
    rows = (_grids(Task.objects.exclude(reason=TaskReason.REINSPECTION), "premises__grid_id", grids)
            .values_list("premises__grid_id", "campaign_id")
            .annotate(n=Count("pk"), done=Count("pk", filter=Q(state=TaskState.DONE))))
    for grid, campaign, n, done in rows:
        out[(grid, f"task:{campaign}:in_scope", None, 0)] += n
        out[(grid, f"task:{campaign}:done", None, 0)] += done


def _inspections(grids, out):
    counted = _grids(Inspection.objects.counted().filter(campaign__isnull=False), "grid_id", grids)
    for grid, campaign, kind, outcome, shift, n in (counted.values_list("grid_id", "campaign_id", "kind", "outcome",
                                                                        "shift").annotate(n=Count("pk"))):
        if kind == InspectionKind.ROUTINE:
            out[(grid, f"insp:{campaign}:routine:{outcome}", None, 0)] += n
        else:
            out[(grid, f"insp:{campaign}:reinspections", None, 0)] += n
        out[(grid, f"insp:{campaign}:shift:{shift}", None, 0)] += n
    distinct = [("orders", counted.filter(work_order__isnull=False), "work_order_id"),
                ("shutdowns", counted.filter(outcome=Outcome.SHUTDOWN), "premises_id")]
    for name, rows, part in distinct:
        for grid, campaign, member, n in rows.values_list("grid_id", "campaign_id", part).annotate(n=Count("pk")):
            # -1: an inspection of another subject (no premises), counted once like SQL's DISTINCT NULL.
            out[(grid, f"insp:{campaign}:{name}", None, member if member is not None else -1)] += n
    through = Inspection.inspectors.through.objects.filter(inspection__in=counted.values("pk"))
    for grid, campaign, user, n in (through.order_by().values_list("inspection__grid_id", "inspection__campaign_id",
                                                                   "user_id").annotate(n=Count("pk"))):
        out[(grid, f"insp:{campaign}:people", None, user)] += n


def _workorders(grids, out):
    orders = _grids(WorkOrder.objects.all(), "grid_id", grids)
    for grid, kind, department, *counts in (orders.values_list("grid_id", "kind", "department_id")
                                            .annotate(**COUNTS)):
        for measure, n in zip(COUNTS, counts, strict=True):
            if n:
                out[(grid, f"wo:kind:{kind}:{measure}", None, 0)] += n
                out[(grid, f"wo:dept:{department or 0}:{measure}", None, 0)] += n


def _places(grids, out):
    premises = _grids(Premises.objects.all(), "grid_id", grids)
    for grid, status, n in premises.filter(is_key=True).values_list("grid_id", "status").annotate(n=Count("pk")):
        out[(grid, f"prem:key:{status}", None, 0)] += n
    banded = premises.annotate(b=Coalesce(F("risk__band"), Value(RiskBand.LOW)))
    for grid, band, n in banded.values_list("grid_id", "b").annotate(n=Count("pk")):
        out[(grid, f"prem:risk:{band}", None, 0)] += n
    flagged = _grids(ScanCompliance.objects.filter(flagged=True), "premises__grid_id", grids)
    for grid, n in flagged.values_list("premises__grid_id").annotate(n=Count("pk")):
        out[(grid, "prem:scan_flagged", None, 0)] += n
    for grid, n in _grids(Resident.objects.all(), "grid_id", grids).values_list("grid_id").annotate(n=Count("pk")):
        out[(grid, "res:count", None, 0)] += n


def vaccination_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth days counted exactly: enough for reference dates from the start of last year to the end of next
    year; every grid counted in the same year has the same window."""
    from wangge.vaccination.services.status import born_by

    return born_by(datetime.date(today.year - 1, 1, 1)), born_by(datetime.date(today.year + 2, 1, 1))


def _vaccination(grids, out):
    from wangge.community.choices import ResidentStatus
    from wangge.vaccination.choices import Reason, Status
    from wangge.vaccination.services.coverage import AT_LEAST_FIRST, AT_LEAST_FULL
    from wangge.vaccination.services.status import not_full_q

    first_day, last_day = vaccination_window(timezone.localdate())
    living = _grids(Resident.objects.filter(status=ResidentStatus.LIVING, merged_into__isnull=True,
                                            birth_date__lte=last_day), "grid_id", grids)
    living = living.annotate(d=Case(When(birth_date__lt=first_day, then=Value(first_day)), default=F("birth_date"),
                                    output_field=DateField()))
    census = Q(vaccination__census__isnull=False) & not_full_q()
    temporary = Q(vaccination__census__reason=Reason.TEMPORARY)
    measures = {"population": Count("pk"),
                "first": Count("pk", filter=Q(vaccination__status__in=AT_LEAST_FIRST)),
                "full": Count("pk", filter=Q(vaccination__status__in=AT_LEAST_FULL)),
                "boosted": Count("pk", filter=Q(vaccination__status=Status.BOOSTED)),
                "contraindicated": Count("pk", filter=Q(vaccination__contraindicated=True) & not_full_q()),
                "census": Count("pk", filter=census & ~temporary)}
    for grid, day, *counts in living.values_list("grid_id", "d").annotate(**measures):
        for measure, n in zip(measures, counts, strict=True):
            out[(grid, f"vacc:{measure}", day, 0)] += n
    for grid, day, until, n in (living.filter(census & temporary)
                                .values_list("grid_id", "d", "vaccination__census__until").annotate(n=Count("pk"))):
        out[(grid, "vacc:census_until", day, until.toordinal())] += n
    for grid in {g for g, key, *_rest in out if key.startswith("vacc:")}:  # the window its rows hold for
        out[(grid, "vacc:window", first_day, last_day.toordinal())] = 1


TREND_KEPT = 60  # days


def _trends(grids, out):
    from wangge.vaccination.models import Dose
    from wangge.workorders.choices import State
    from wangge.workorders.models import WorkOrderEvent

    since = timezone.localdate() - datetime.timedelta(days=TREND_KEPT)
    moment = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    series = [
        ("inspections", _grids(Inspection.objects.counted().filter(inspected_at__gte=moment), "grid_id", grids),
         "grid_id", "inspected_at__date"),
        ("orders_opened", _grids(WorkOrder.objects.filter(created_at__gte=moment), "grid_id", grids),
         "grid_id", "created_at__date"),
        ("orders_closed", _grids(WorkOrderEvent.objects.filter(to_state=State.CLOSED, at__gte=moment),
                                 "order__grid_id", grids), "order__grid_id", "at__date"),
        ("doses", _grids(Dose.objects.filter(voided_at__isnull=True, given_on__gte=since), "resident__grid_id", grids),
         "resident__grid_id", "given_on"),
    ]
    for name, rows, grid, day in series:
        for g, d, n in rows.values_list(grid, day).annotate(n=Count("pk")):
            out[(g, f"trend:{name}", d, 0)] += n


def compute(grids=None) -> dict[tuple, int]:
    """{(grid, key, day, part): value} for these grid ids (None: every grid), zero counts left out."""
    out: dict[tuple, int] = defaultdict(int)
    for count in (_tasks, _inspections, _workorders, _places, _vaccination, _trends):
        count(grids, out)
    return {(grid or 0, *rest): n for (grid, *rest), n in out.items() if n}
