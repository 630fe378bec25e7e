"""Open and overdue work orders by kind and by department, with the engine's own definitions."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from wangge.core.models import Department
from wangge.core.natural import natural_sorted
from wangge.core.roles import Perm
from wangge.workorders.choices import Kind, State
from wangge.workorders.figures import COUNTS
from wangge.workorders.models import WorkOrder

from ..figures import Figure, Item, Section, Table, cutoff
from ..links import list_url
from ..rollup.figures import order_counts
from ..rollup.read import rollup_for

NOTABLE_MAX = 10
WANTED = {"open": COUNTS["open"], "overdue": COUNTS["overdue"]}


def _orders(**params):
    return list_url("workorders:order_list", **params)


def _as_of(period, moment):
    """Counts as they stood at `moment` (the end of a brief's period): orders created by then, open when not
    closed by then, overdue when open then and past their deadline on the period's last day."""
    open_then = Q(closed_at__isnull=True) | Q(closed_at__gte=moment)
    wanted = {"open": Count("id", filter=open_then),
              "overdue": Count("id", filter=open_then & Q(deadline__lt=period.end))}
    return wanted, open_then & Q(deadline__lt=period.end)


def _rolled(rollup):
    """The same rows as the grouped queries, from the roll-up."""
    by_kind = [{"kind": kind, "open": c["open"], "overdue": c["overdue"]}
               for kind, c in sorted(order_counts(rollup, "kind").items())]
    departments = order_counts(rollup, "dept")
    names = dict(Department.objects.filter(pk__in=[int(d) for d in departments if d != "0"])
                 .values_list("pk", "name"))
    by_department = [{"department_id": int(d) or None, "department__name": names.get(int(d)), "open": c["open"],
                      "overdue": c["overdue"]} for d, c in departments.items()]
    return by_kind, by_department


def provide(user, period):
    if not user.can(Perm.VIEW_WORKORDERS):
        return None
    orders = WorkOrder.objects.visible_to(user).order_by()
    wanted, overdue_filter = WANTED, ~Q(state=State.CLOSED) & Q(overdue_level__gt=0)
    if (moment := cutoff(period)) is not None:
        orders = orders.filter(created_at__lt=moment)
        wanted, overdue_filter = _as_of(period, moment)
    kinds = dict(Kind.choices)
    rolled = rollup_for(user) if moment is None else None
    if rolled:
        by_kind, by_department = _rolled(rolled)
    else:
        by_kind = list(orders.values("kind").annotate(**wanted).order_by("kind"))
        by_department = orders.values("department_id", "department__name").annotate(**wanted).order_by()
    total = {key: sum(r[key] for r in by_kind) for key in wanted}  # every order has one kind: no second scan
    by_department = natural_sorted(by_department, key=lambda r: r["department__name"] or "")
    kind_rows = [[Figure("kind", str(kinds.get(r["kind"], r["kind"])), str(kinds.get(r["kind"], r["kind"]))),
                  Figure("open", "", r["open"], _orders(kind=r["kind"], state="open")),
                  Figure("overdue", "", r["overdue"], _orders(kind=r["kind"], overdue=1))] for r in by_kind]
    department_rows = [[Figure("department", r["department__name"] or "—", r["department__name"] or "—"),
                        Figure("open", "", r["open"],
                               _orders(department=r["department_id"], state="open") if r["department_id"] else None),
                        Figure("overdue", "", r["overdue"],
                               _orders(department=r["department_id"], overdue=1) if r["department_id"] else None)]
                       for r in by_department]
    headers = [_("Open"), _("Overdue")]
    section = Section("workorders", _("Work orders"), [
        Figure("open", _("Open work orders"), total["open"], _orders(state="open")),
        Figure("overdue", _("Overdue work orders"), total["overdue"], _orders(overdue=1)),
    ], [Table("by_kind", _("Open and overdue by kind"), [_("Kind"), *headers], kind_rows, chart=True),
        Table("by_department", _("Open and overdue by department"), [_("Department"), *headers], department_rows,
              chart=True)])
    overdue = (orders.filter(overdue_filter).order_by("deadline", "id")
               .only("pk", "title", "deadline", "subject_label")[:NOTABLE_MAX])
    section.notable = [Item(_("Overdue since %(date)s: %(title)s") % {"date": o.deadline, "title": o.title},
                            list_url("workorders:order_detail", o.pk)) for o in overdue]
    return section
