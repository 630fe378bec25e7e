"""待我处理: what is waiting for the signed-in user, gathered from every module they act in.

Each section is a fixed number of queries (its counts in one aggregate, its first rows in one more),
whatever the number of rows, so the home page stays as fast with 40,000 orders as with four.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.roles import Perm, Scope

SOON_DAYS = 3       # "due soon": the deadline is within this many days from today
SHOWN = 8           # rows listed per section; the count and the link lead to the rest
CARE_DAYS = 7       # special-group residents not visited for this many days are due a visit


@dataclass
class Item:
    label: str
    url: str
    detail: str = ""
    flag: str = ""      # returned / overdue / soon: a coloured badge
    flag_label: str = ""


@dataclass
class Section:
    key: str
    title: str
    url: str
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, n)
    items: list[Item] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.counts[0][2] if self.counts else 0


FLAGS = {"returned": _("returned to me"), "overdue": _("overdue"), "soon": _("due soon")}


def _flag(key: str) -> dict:
    return {"flag": key, "flag_label": FLAGS[key]}


def _my_orders(user, today: datetime.date) -> Section | None:
    from wangge.workorders.choices import State
    from wangge.workorders.models import WorkOrder

    if not user.can(Perm.VIEW_WORKORDERS):
        return None
    soon = today + datetime.timedelta(days=SOON_DAYS)
    mine = WorkOrder.objects.visible_to(user).filter(assignee=user).exclude(state=State.CLOSED)
    n = mine.aggregate(all=Count("id"), returned=Count("id", filter=Q(state=State.RETURNED)),
                       overdue=Count("id", filter=Q(deadline__lt=today)),
                       soon=Count("id", filter=Q(deadline__gte=today, deadline__lte=soon)))
    section = Section("orders", _("Work orders assigned to me"), reverse("workorders:order_list") + "?tab=mine",
                      [("all", _("assigned to me"), n["all"]), ("soon", _("due soon"), n["soon"]),
                       ("overdue", _("overdue"), n["overdue"]), ("returned", _("returned to me"), n["returned"])])
    # Returned first, then the most pressing deadline.
    returned_first = Case(When(state=State.RETURNED, then=Value(0)), default=Value(1))
    rows = mine.order_by(returned_first, "deadline", "id").select_related("grid")[:SHOWN]
    for o in rows:
        flag = ("returned" if o.state == State.RETURNED else "overdue" if o.deadline < today
                else "soon" if o.deadline <= soon else "")
        section.items.append(Item(f"#{o.pk} {o.title}", reverse("workorders:order_detail", args=[o.pk]),
                                  f"{o.grid.name} · {_('deadline')} {o.deadline:%Y-%m-%d} · {o.get_state_display()}",
                                  **(_flag(flag) if flag else {})))
    return section


def _orders_to_decide(user) -> Section | None:
    """A cadre's or officer's part: new orders to hand out, escalated ones to decide on, finished ones to
    verify (none of them their own: an escalation is its assignee's question, a verification never theirs)."""
    from wangge.workorders.choices import State
    from wangge.workorders.models import WorkOrder

    if not user.can(Perm.MANAGE_WORKORDERS):
        return None
    rows = WorkOrder.objects.visible_to(user).filter(
        Q(state=State.NEW) | (Q(state__in=[State.ESCALATED, State.AWAITING_VERIFICATION]) & ~Q(assignee=user)))
    n = rows.aggregate(new=Count("id", filter=Q(state=State.NEW)),
                       escalated=Count("id", filter=Q(state=State.ESCALATED)),
                       verify=Count("id", filter=Q(state=State.AWAITING_VERIFICATION)))
    section = Section("decide", _("Work orders to assign or verify"), reverse("workorders:order_list"),
                      [("all", _("waiting for a decision"), n["new"] + n["escalated"] + n["verify"]),
                       ("new", _("to assign"), n["new"]), ("escalated", State.ESCALATED.label, n["escalated"]),
                       ("verify", _("to verify"), n["verify"])])
    for o in rows.order_by("deadline", "id").select_related("grid")[:SHOWN]:
        section.items.append(Item(f"#{o.pk} {o.title}", reverse("workorders:order_detail", args=[o.pk]),
                                  f"{o.grid.name} · {o.get_state_display()} · {_('deadline')} {o.deadline:%Y-%m-%d}"))
    return section


def _inspection_tasks(user, today: datetime.date) -> Section | None:
    from wangge.inspections.models import Task

    if not user.can(Perm.INSPECT):
        return None
    soon = today + datetime.timedelta(days=SOON_DAYS)
    tasks = Task.objects.open_for(user, soon)
    n = tasks.aggregate(all=Count("id", filter=Q(planned_on__lte=today)),
                        soon=Count("id", filter=Q(planned_on__gt=today)),
                        overdue=Count("id", filter=Q(planned_on__lt=today)))
    section = Section("tasks", _("Inspection tasks"), reverse("inspections:my_tasks"),
                      [("all", _("due today"), n["all"]), ("soon", _("due soon"), n["soon"]),
                       ("overdue", _("overdue"), n["overdue"])])
    rows = tasks.select_related("premises", "campaign").order_by("planned_on", "shift", "-risk", "id")[:SHOWN]
    for t in rows:
        flag = "overdue" if t.planned_on < today else "soon" if t.planned_on > today else ""
        section.items.append(Item(t.premises.name, reverse("inspections:inspect", args=[t.pk]),
                                  f"{t.campaign.name} · {t.get_shift_display()} · {t.planned_on:%Y-%m-%d}",
                                  **(_flag(flag) if flag else {})))
    return section


def _care_visits(user, today: datetime.date) -> Section | None:
    from wangge.community.models import Resident
    from wangge.community.services.care import not_visited

    if not user.can(Perm.EDIT_RESIDENTS):
        return None
    due = not_visited(Resident.objects.visible_to(user), CARE_DAYS, today, viewer=user)
    url = reverse("community:special_list") + f"?due=1&days={CARE_DAYS}"
    section = Section("care", _("Care visits due"), url, [("all", _("not visited for a week"), due.count())])
    for r in due.select_related("grid")[:SHOWN]:
        last = f"{_('last visit')} {r.last_visit:%Y-%m-%d}" if r.last_visit else _("never visited")
        section.items.append(Item(r.name, reverse("community:care_visit_create", args=[r.pk]),
                                  f"{r.grid.name} · {last}"))
    return section


def _status(person) -> str:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return person.vaccination.get_status_display()
    except ObjectDoesNotExist:  # no status row yet: never vaccinated
        return str(_("unvaccinated"))


def _vaccination(user, today: datetime.date) -> Section | None:
    """A family doctor's worklist and the follow-ups past their day."""
    from wangge.vaccination.services.day import overdue_follow_ups
    from wangge.vaccination.services.outreach import worklist

    if Scope.DOCTOR not in user.scopes or not user.can(Perm.RECORD_VACCINATION):
        return None
    people = worklist(user, today)
    late = overdue_follow_ups(user, today) if user.can(Perm.RECORD_DOSES) else None
    section = Section("vaccination", _("Vaccination work"), reverse("vaccination:worklist"),
                      [("all", _("to mobilise"), people.count())])
    if late is not None:
        section.counts.append(("overdue", _("follow-ups overdue"), late.count()))
    for p in people[:SHOWN]:
        section.items.append(Item(p.name, reverse("vaccination:person_detail", args=[p.pk]),
                                  f"{p.grid.name} · {_status(p)}"))
    return section


# Sections of apps above this one (the assessment's reports awaiting approval), registered by their AppConfig.
REGISTERED = []


def register_section(provider) -> None:
    """`provider(user) -> Section | None`, a fixed number of queries whatever the rows."""
    if provider not in REGISTERED:
        REGISTERED.append(provider)


def inbox(user, today: datetime.date | None = None) -> list[Section]:
    today = today or timezone.localdate()
    sections = [_my_orders(user, today), _orders_to_decide(user), _inspection_tasks(user, today),
                _care_visits(user, today), _vaccination(user, today), *(p(user) for p in REGISTERED)]
    return [s for s in sections if s is not None]
