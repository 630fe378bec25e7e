"""The measures (考核指标): each computed from the records and their trail, never typed in.

An indicator is a set of records (`base`) and the part of them that meets the measure (`met`), both
for a period; the lookup `keys[kind]` names the person, department or neighbourhood a record counts
for. The figure is a rate over the subject's own records (met / counted), so a busy grid is measured
against its own workload, not against a quiet one. The same querysets serve the figure and the
drill-down list behind it (`records`), so the list always holds exactly what was counted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.community.models import CareVisit, Resident
from wangge.community.services.care import special_groups
from wangge.inspections.choices import TaskReason, TaskState
from wangge.inspections.models import Task
from wangge.workorders.choices import Kind, Satisfaction, Verb
from wangge.workorders.models import WorkOrder, WorkOrderEvent

from .choices import SubjectKind

RESPONSE_TARGET_HOURS = 24  # a first response within a day earns the full score


@dataclass(frozen=True)
class Bounds:
    """A period's days, and the moments it starts and ends (local midnights; the end is exclusive)."""

    start: datetime.date
    end: datetime.date

    @property
    def since(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def cutoff(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1),
                                                             datetime.time.min))


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    counts: str  # what the records are, for the people assessed ("what counts")
    meets: str  # what meeting the measure means
    model: type
    keys: dict  # SubjectKind -> lookup to the subject's id (absent: not measured for that kind)
    base: object  # (root queryset, Bounds) -> the records counted
    met: object  # Bounds -> Q of the records meeting the measure
    higher_is_better: bool = True
    unit: str = "%"

    def score(self, value: float | None) -> float | None:
        if value is None:
            return None
        if self.unit == "h":
            return 100.0 if value <= RESPONSE_TARGET_HOURS else round(100.0 * RESPONSE_TARGET_HOURS / value, 1)
        return value if self.higher_is_better else round(100.0 - value, 1)


_ORDER_KEYS = {SubjectKind.GRID_WORKER: "assignee_id", SubjectKind.INSPECTOR: "assignee_id",
               SubjectKind.DEPARTMENT: "department_id", SubjectKind.NEIGHBOURHOOD: "grid__parent_id"}
_RATED = (Kind.DEMAND, Kind.PUBLIC_REPORT)
_CONTENT = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


def _tasks(root, b: Bounds):
    return root.filter(planned_on__gte=b.start, planned_on__lte=b.end).exclude(reason=TaskReason.REINSPECTION)


def _orders_due(root, b: Bounds):
    return root.filter(deadline__gte=b.start, deadline__lte=b.end)


def _orders_closed(root, b: Bounds):
    closed = WorkOrderEvent.objects.filter(verb=Verb.VERIFY, at__gte=b.since, at__lt=b.cutoff).values("order_id")
    return root.filter(pk__in=closed)


def _reopened(b: Bounds) -> Q:
    return Q(pk__in=WorkOrderEvent.objects.filter(verb=Verb.REOPEN, at__gte=b.since, at__lt=b.cutoff)
             .values("order_id"))


def _rated(root, b: Bounds):
    return root.filter(kind__in=_RATED, closed_at__gte=b.since, closed_at__lt=b.cutoff).exclude(satisfaction="")


def _handled(root, b: Bounds):
    return root.filter(created_at__lt=b.cutoff).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=b.since))


def _overdue_at_end(b: Bounds) -> Q:
    return Q(deadline__lt=b.end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=b.cutoff))


def _special(root, b: Bounds):
    return special_groups(root, b.end).filter(created_at__lt=b.cutoff)


def _visited(b: Bounds) -> Q:
    return Q(pk__in=CareVisit.objects.filter(visited_on__gte=b.start, visited_on__lte=b.end).values("resident_id"))


def _raised(root, b: Bounds):
    return root.filter(created_at__gte=b.since, created_at__lt=b.cutoff, assignee__isnull=False)


def _started(b: Bounds) -> Q:
    return Q(pk__in=WorkOrderEvent.objects.filter(verb=Verb.START, at__lt=b.cutoff).values("order_id"))


INDICATORS = [
    Indicator("tasks_on_time", _("Inspection tasks done on time"),
              _("inspection tasks planned for a day of the period (re-inspections aside)"),
              _("inspected by the day planned"), Task,
              {SubjectKind.GRID_WORKER: "team__members", SubjectKind.INSPECTOR: "team__members",
               SubjectKind.NEIGHBOURHOOD: "premises__grid__parent_id"},
              _tasks, lambda b: Q(state=TaskState.DONE, inspection__inspected_at__date__lte=F("planned_on"))),
    Indicator("orders_on_time", _("Work orders closed on time"),
              _("work orders whose deadline falls in the period"), _("closed by their deadline"), WorkOrder,
              _ORDER_KEYS, _orders_due, lambda b: Q(closed_at__date__lte=F("deadline"))),
    Indicator("reopen_rate", _("Closed orders reopened"),
              _("work orders verified and closed in the period"), _("reopened in the period"), WorkOrder,
              _ORDER_KEYS, _orders_closed, _reopened, higher_is_better=False),
    Indicator("satisfaction", _("Satisfaction of demands and public reports"),
              _("enterprise demands and public reports closed in the period and rated"),
              _("rated satisfied or basically satisfied"), WorkOrder, _ORDER_KEYS, _rated,
              lambda b: Q(satisfaction__in=_CONTENT)),
    Indicator("overdue_per_100", _("Overdue at the end, per 100 orders handled"),
              _("work orders open at some time in the period"), _("still open after their deadline at the end"),
              WorkOrder, _ORDER_KEYS, _handled, _overdue_at_end, higher_is_better=False),
    Indicator("care_visits", _("Care visits due and done"),
              _("residents in special groups (each due a visit in the period)"), _("visited in the period"),
              Resident, {SubjectKind.GRID_WORKER: "grid__staff", SubjectKind.NEIGHBOURHOOD: "grid__parent_id"},
              _special, _visited),
    Indicator("first_response", _("First response time"),
              _("work orders raised in the period with an assignee"), _("started by the assignee (hours taken)"),
              WorkOrder, _ORDER_KEYS, _raised, _started, higher_is_better=False, unit="h"),
]
BY_KEY = {i.key: i for i in INDICATORS}


@dataclass
class Value:
    counted: int
    met: int
    value: float | None  # a rate in %, or mean hours for first_response
    score: float | None


def _rate(met: int, counted: int) -> float | None:
    return round(100.0 * met / counted, 1) if counted else None


def records(indicator: Indicator, kind: str, subject_id: int | None, bounds: Bounds, root=None, met=False):
    """The records behind one figure (`met`: only those meeting the measure); `root` scopes them (visible_to)."""
    rows = indicator.base(root if root is not None else indicator.model.objects.all(), bounds)
    if subject_id is not None:
        rows = rows.filter(**{indicator.keys[kind]: subject_id})
    if met:
        rows = rows.filter(indicator.met(bounds))
    return rows.distinct()


def _hours(indicator: Indicator, kind: str, bounds: Bounds) -> dict:
    path = indicator.keys[kind]
    rows = (indicator.base(WorkOrder.objects.all(), bounds).order_by()
            .annotate(first=Min("events__at", filter=Q(events__verb=Verb.START)))
            .values_list(path, "pk", "created_at", "first").distinct())
    spans: dict = defaultdict(dict)
    for subject, pk, created, first in rows:
        if subject is not None:
            spans[subject][pk] = None if first is None or first >= bounds.cutoff else first - created
    out = {}
    for subject, orders in spans.items():
        taken = [s for s in orders.values() if s is not None]
        hours = round(sum(s.total_seconds() for s in taken) / 3600 / len(taken), 1) if taken else None
        out[subject] = Value(len(orders), len(taken), hours, indicator.score(hours))
    return out


def compute(indicator: Indicator, kind: str, bounds: Bounds) -> dict:
    """{subject id: Value} for every subject with records counted; one grouped query."""
    if kind not in indicator.keys:
        return {}
    if indicator.unit == "h":
        return _hours(indicator, kind, bounds)
    path = indicator.keys[kind]
    rows = (indicator.base(indicator.model.objects.all(), bounds).order_by().values(path)
            .annotate(counted=Count("pk", distinct=True),
                      met=Count("pk", filter=indicator.met(bounds), distinct=True)))
    out = {}
    for row in rows:
        if row[path] is not None:
            value = _rate(row["met"], row["counted"])
            out[row[path]] = Value(row["counted"], row["met"], value, indicator.score(value))
    return out
