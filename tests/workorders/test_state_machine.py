"""The whole state machine: every state x every verb; legal moves succeed, illegal ones change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wangge.core.services import StaleVersionError
from wangge.workorders import services
from wangge.workorders.calendar import add_working_days, working_days_between
from wangge.workorders.choices import Kind, Satisfaction, State, Verb
from wangge.workorders.models import Holiday, WorkOrder, WorkOrderEvent

from .helpers import TODAY, raise_order

VERBS = list(services.VERB_FUNCTIONS)
EXPECTED = {  # verb -> the states it may start from, spelled out independently of the code's table
    Verb.ASSIGN: {"new", "assigned", "returned", "reopened", "escalated"},
    Verb.START: {"assigned", "returned", "reopened"},
    Verb.SUBMIT: {"in_progress"},
    Verb.VERIFY: {"awaiting_verification"},
    Verb.RETURN: {"awaiting_verification"},
    Verb.REOPEN: {"closed"},
    Verb.ESCALATE: {"new", "assigned", "in_progress", "returned", "reopened"},
    Verb.REINSPECT: {"new", "assigned", "in_progress", "awaiting_verification", "returned", "reopened", "escalated"},
}
TARGET = {Verb.ASSIGN: "assigned", Verb.START: "in_progress", Verb.SUBMIT: "awaiting_verification",
          Verb.VERIFY: "closed", Verb.RETURN: "returned", Verb.REOPEN: "reopened", Verb.ESCALATE: "escalated",
          Verb.REINSPECT: "closed"}


def force_state(order, state):
    WorkOrder.objects.filter(pk=order.pk).update(
        state=state, closed_at=timezone.now() if state == State.CLOSED else None)
    order.refresh_from_db()
    return order


def call(world, verb, order):
    admin = world.users["admin"]
    fn = services.VERB_FUNCTIONS[verb]
    if verb == Verb.ASSIGN:
        return fn(admin, order, world.users["cadre"], comment="交给书记")
    return fn(admin, order, comment="按要求处理")


def test_table_matches_the_specification():
    assert {v: set(s) for v, (s, _t) in services.TRANSITIONS.items()} == EXPECTED
    assert {v: t for v, (_s, t) in services.TRANSITIONS.items()} == TARGET


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("verb", VERBS)
def test_every_state_and_verb(world, state, verb):
    order = force_state(raise_order(world), state)
    before = (order.state, order.version, order.assignee_id, WorkOrderEvent.objects.filter(order=order).count())
    if state in EXPECTED[verb]:
        call(world, verb, order)
        order.refresh_from_db()
        assert order.state == TARGET[verb]
        assert order.version == before[1] + 1
        event = order.events.last()
        assert (event.verb, event.from_state, event.to_state, event.actor) == (
            verb, state, TARGET[verb], world.users["admin"])
        assert (order.closed_at is not None) == (order.state == State.CLOSED)
    else:
        with pytest.raises(ValidationError) as exc:
            call(world, verb, order)
        assert exc.value.code == "illegal_transition"
        assert str(State(state).label) in exc.value.messages[0]
        order.refresh_from_db()
        after = (order.state, order.version, order.assignee_id, WorkOrderEvent.objects.filter(order=order).count())
        assert after == before


def test_full_loop_records_the_timeline(world):
    order = raise_order(world)
    worker, officer = world.users["gridworker"], world.users["officer"]
    services.start(worker, order, comment="到场")
    services.submit_for_verification(worker, order, comment="已整改")
    services.verify_and_close(officer, order, comment="复查合格")
    assert order.state == State.CLOSED and order.verified_by == officer and order.closed_at
    assert list(order.events.values_list("verb", "from_state", "to_state")) == [
        ("raise", "", "new"), ("assign", "new", "assigned"), ("start", "assigned", "in_progress"),
        ("submit", "in_progress", "awaiting_verification"), ("verify", "awaiting_verification", "closed")]
    assert order.deadline == add_working_days(TODAY, 5) == datetime.date(2022, 7, 18)


def test_assignee_cannot_verify_their_own_order(world):
    order = force_state(raise_order(world, assignee="cadre"), State.AWAITING_VERIFICATION)
    with pytest.raises(ValidationError) as exc:
        services.verify_and_close(world.users["cadre"], order)
    assert exc.value.code == "self_verification"
    order.refresh_from_db()
    assert order.state == State.AWAITING_VERIFICATION


@pytest.mark.parametrize("satisfaction,state", [(Satisfaction.SATISFIED, State.CLOSED),
                                                (Satisfaction.BASICALLY_SATISFIED, State.CLOSED),
                                                (Satisfaction.DISSATISFIED, State.REOPENED)])
def test_demand_records_satisfaction_and_dissatisfied_reopens(world, satisfaction, state):
    order = force_state(raise_order(world, kind=Kind.DEMAND), State.AWAITING_VERIFICATION)
    services.verify_and_close(world.users["officer"], order, satisfaction=satisfaction)
    assert (order.state, order.satisfaction) == (state, satisfaction)
    assert order.events.last().to_state == state


def test_demand_without_satisfaction_is_refused(world):
    order = force_state(raise_order(world, kind=Kind.DEMAND), State.AWAITING_VERIFICATION)
    with pytest.raises(ValidationError) as exc:
        services.verify_and_close(world.users["officer"], order)
    assert "satisfaction" in exc.value.message_dict


def test_stale_version_is_refused(world):
    order = raise_order(world)
    with pytest.raises(StaleVersionError):
        services.start(world.users["gridworker"], order, expected_version=order.version - 1)
    services.start(world.users["gridworker"], order, expected_version=order.version)
    assert order.state == State.IN_PROGRESS


def test_permissions(world):
    order = raise_order(world)
    with pytest.raises(PermissionDenied):  # a grid worker may not assign
        services.assign(world.users["gridworker"], order, world.users["cadre"])
    with pytest.raises(PermissionDenied):  # an inspector sees it but is not the assignee
        services.start(world.users["inspector"], order)
    with pytest.raises(PermissionDenied):  # outside the cadre's neighbourhood, other department
        services.assign(world.users["cadre"], raise_order(world, grid="beihong1", department="health"),
                        world.users["gridworker"])
    with pytest.raises(PermissionDenied):
        raise_order(world, actor="nobody", assignee=None)
    with pytest.raises(ValidationError):  # a cadre raises only in their own neighbourhood
        raise_order(world, actor="cadre", grid="beihong1", assignee=None)
    with pytest.raises(ValidationError):  # raising may not assign without the manage permission
        raise_order(world, actor="gridworker", assignee="cadre")
    mine = raise_order(world, actor="gridworker", assignee=None)
    assert mine.state == State.NEW and mine.raised_by == world.users["gridworker"]
    assert raise_order(world, actor="officer", grid="beihong2", assignee="inspector").state == State.ASSIGNED


def test_comment_required_for_return_reopen_escalate(world):
    order = force_state(raise_order(world), State.AWAITING_VERIFICATION)
    with pytest.raises(ValidationError):
        services.return_to_assignee(world.users["admin"], order, comment="")
    order.refresh_from_db()
    assert order.state == State.AWAITING_VERIFICATION


def test_timeline_is_append_only(world):
    event = raise_order(world).events.first()
    event.comment = "改"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        WorkOrderEvent.objects.all().delete()


def test_changes_leave_an_audit_trail(world):
    from wangge.core.models import AuditEntry

    order = raise_order(world)
    services.start(world.users["gridworker"], order, comment="到场")
    changes = [e.changes for e in AuditEntry.objects.for_object(order)]
    assert any(c.get("state") == ["assigned", "in_progress"] for c in changes)


def test_working_days_with_holidays_and_make_up_days(db):
    # 2022 National Day: 1-7 October off, Saturday 8 and Sunday 9 October worked.
    for day in range(3, 8):
        Holiday.objects.create(date=datetime.date(2022, 10, day), name="国庆")
    for day in (8, 9):
        Holiday.objects.create(date=datetime.date(2022, 10, day), is_working_day=True, name="调休")
    friday = datetime.date(2022, 9, 30)
    assert add_working_days(friday, 1) == datetime.date(2022, 10, 8)
    assert add_working_days(friday, 3) == datetime.date(2022, 10, 10)
    assert working_days_between(friday, datetime.date(2022, 10, 10)) == 3
    assert working_days_between(friday, friday) == 0


def test_subject_and_source_links(world):
    premises = world.premises["linquan1"]
    order = raise_order(world, subject=premises, source="夜查", actor="cadre", assignee=None)
    assert order.subject == premises and order.subject_label == premises.name
    with pytest.raises(ValidationError) as exc:  # premises outside the cadre's neighbourhood
        raise_order(world, subject=world.premises["beihong2"], actor="cadre", assignee=None)
    assert "subject" in exc.value.message_dict


def test_database_refuses_to_rewrite_the_timeline_on_postgresql(world):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event = raise_order(world).events.first()
    for sql in ("UPDATE workorders_workorderevent SET comment = 'x' WHERE id = %s",
                "DELETE FROM workorders_workorderevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    with connection.cursor() as cursor:  # the actor may still be cleared when a user is deleted
        cursor.execute("UPDATE workorders_workorderevent SET actor_id = NULL WHERE id = %s", [event.pk])
