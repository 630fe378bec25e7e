"""The one place a notification (站内提醒) is created: work handed over on an order, an order gone
overdue, another module's alert (the vaccination reminders). Each notice is made once: an order's
hand-over by the (user, key) unique constraint with the transition's event in the key, an overdue
level by (order, level, user); so a retry or two jobs at once tell nobody twice. Further channels
(e-mail, WeCom, SMS: delivery.py) are queued by `notify_many` in the same transaction."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from wangge.core.models import User, ancestors
from wangge.core.roles import Role

from .models import Notification


@dataclass(frozen=True)
class Notice:
    user: User
    message: str
    key: str = ""
    order: object = None  # a WorkOrder
    level: int = 0
    link: str = ""
    # What may go out by e-mail, WeCom or SMS when the message itself must stay in the app (a health
    # fact, a person's name): empty sends the message.
    outside: str = ""


def notify(users, message: str, *, key: str = "", order=None, level: int = 0, link: str = "") -> list[User]:
    """Tell each of `users` once; returns those newly told."""
    made = notify_many([Notice(u, message, key, order, level, link) for u in users])
    return [n.user for n in made]


def notify_many(notices: list[Notice]) -> list[Notification]:
    """Insert the notices not made before (by their unique keys); returns the rows inserted."""
    notices = [n for n in notices if n.user is not None and n.user.is_active]
    if not notices:
        return []
    keys = {n.key for n in notices if n.key}
    orders = {n.order.pk for n in notices if not n.key and n.order is not None}
    seen = Q(key__in=keys) | Q(key="", order__in=orders)  # a superset, matched exactly below
    existing = {(user_id, key or (order_id, level)) for user_id, key, order_id, level in
                Notification.objects.filter(seen).values_list("user_id", "key", "order_id", "level")}
    rows, wanted, outside = [], set(), {}
    for n in notices:
        mark = (n.user.pk, n.key or (getattr(n.order, "pk", None), n.level))
        if mark in existing or mark in wanted:
            continue
        wanted.add(mark)
        rows.append(Notification(user=n.user, order=n.order, level=n.level, key=n.key, link=n.link[:200],
                                 message=n.message[:300]))
        outside[mark] = n.outside or _outside_text(n)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent run may have won: still once
    _queue_deliveries(rows, outside)
    return rows


def _outside_text(notice: Notice) -> str:
    """A resident's need names the person and often a health fact: outside the app only its number."""
    from .choices import Kind

    order = notice.order
    if order is not None and order.kind == Kind.RESIDENT_NEED:
        return _("Work order #%(id)s (resident need) needs your attention: open Wangge to see it.") % {"id": order.pk}
    if order is not None and order.kind == Kind.PUBLIC_REPORT:  # a resident's own words: they stay in the app
        return _("Work order #%(id)s (public report) needs your attention: open Wangge to see it.") % {"id": order.pk}
    return notice.message


def _queue_deliveries(rows: list[Notification], outside: dict) -> None:
    """The other channels, for the notifications this call made (read back: with ignore_conflicts the
    database gives no ids; should a concurrent run have made the same row, `delivery_once` keeps its
    deliveries to one per channel)."""
    from .channels import configured
    from .delivery import queue

    if not rows or not configured():
        return
    users = {r.user_id for r in rows}
    made = Notification.objects.filter(user_id__in=users, created_at__gte=min(r.created_at for r in rows)).filter(
        Q(key__in={r.key for r in rows if r.key}) | Q(key="", order__in={r.order_id for r in rows if not r.key}))
    pairs = []
    for note in made:
        mark = (note.user_id, note.key or (note.order_id, note.level))
        if mark in outside:
            pairs.append((note, outside[mark]))
    queue(pairs)


# --- who must act on an order -------------------------------------------------------------------

def department_heads(order) -> list[User]:
    """The department officers of the order's department."""
    if not order.department_id:
        return []
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.DEPARTMENT_OFFICER,
                                    departments=order.department_id).distinct())


def _holding(role: str, area) -> list[User]:
    """The active users of `role`, or — given an area — those of them whose areas hold it (the area or one
    above it), in one query."""
    people = User.objects.filter(is_active=True, role_assignments__role=role)
    if area is not None:
        people = people.filter(areas__path__in=[*ancestors(area.path), area.path])
    return list(people.distinct())


def town_leaders(area=None) -> list[User]:
    """The town leaders; given an area (an order's grid, a report's area), those whose areas hold it: the
    leaders of another town are not told of this town's work (they could not open it)."""
    return _holding(Role.TOWN_LEADER, area)


def area_managers(order) -> list[User]:
    """The neighbourhood cadres whose areas hold the order's grid."""
    return _holding(Role.NEIGHBOURHOOD_CADRE, order.grid)


def assigners(order) -> list[User]:
    """Who assigns a new order: its department's officers; without a department (or officers), the
    cadres of its neighbourhood; failing those, the town leaders."""
    return department_heads(order) or area_managers(order) or town_leaders(order.grid)


def worker(order) -> list[User]:
    """Whose next step it is: the assignee, or — unassigned, or deactivated since — whoever assigns."""
    if order.assignee_id and order.assignee.is_active:
        return [order.assignee]
    return assigners(order)


def verifiers(order) -> list[User]:
    """Who verifies a submitted order: whoever assigned it, failing that whoever assigns such orders, then
    the town leaders — never its assignee (verify_and_close refuses them), so an order one assigned to
    oneself goes to the others."""
    from .choices import Verb

    handed_by = order.events.filter(verb=Verb.ASSIGN).exclude(actor=None).order_by("-at", "-id").first()
    for people in ([handed_by.actor] if handed_by and handed_by.actor.is_active else [], assigners(order),
                   town_leaders(order.grid)):
        people = [u for u in people if u.pk != order.assignee_id]
        if people:
            return people
    return []


def handed_to(order, verb: str, actor: User | None) -> list[User]:
    """Who must act now that `verb` moved the order (nobody for steps that hand nothing over)."""
    from .choices import State, Verb

    state = order.state
    if verb == Verb.RAISE and state == State.NEW:
        people = assigners(order)
    elif state in (State.ASSIGNED, State.RETURNED, State.REOPENED):
        # assigned; returned (by the verifier or a failed re-inspection); reopened (by hand or a
        # dissatisfied requester): the assignee works on it again.
        people = worker(order)
    elif state == State.ESCALATED:
        people = [u for u in department_heads(order) if u != actor] or town_leaders(order.grid)
    elif state == State.AWAITING_VERIFICATION:
        people = verifiers(order)
    else:
        people = []
    return [u for u in dict.fromkeys(people) if u is not None and u != actor]


def tell_handover(order, event, actor: User | None) -> list[User]:
    """Notify those who must act after `event` (one timeline step), once each."""
    from django.urls import reverse
    from django.utils import formats

    from .choices import Kind, Verb

    people = handed_to(order, event.verb, actor)
    if not people:
        return []
    what = {"id": order.pk, "title": order.title[:60], "actor": event.actor_name,
            "deadline": formats.date_format(order.deadline, "SHORT_DATE_FORMAT"), "kind": Kind(order.kind).label,
            "state": order.get_state_display()}
    if event.verb == Verb.RAISE:
        text = _("New work order #%(id)s “%(title)s” (%(kind)s) to assign, deadline %(deadline)s.") % what
    elif event.verb == Verb.ASSIGN:
        text = _("Work order #%(id)s “%(title)s” is assigned to you by %(actor)s, deadline %(deadline)s.") % what
    elif order.state == "awaiting_verification":
        text = _("Work order #%(id)s “%(title)s” is done by %(actor)s and awaits your verification.") % what
    elif order.state == "escalated":
        text = _("Work order #%(id)s “%(title)s” was escalated by %(actor)s: decide what happens next.") % what
    else:
        text = _("Work order #%(id)s “%(title)s” is back with you (%(state)s by %(actor)s), deadline "
                 "%(deadline)s.") % what
    return notify(people, text, key=f"order-event:{event.pk}", order=order,
                  link=reverse("workorders:order_detail", args=[order.pk]))
